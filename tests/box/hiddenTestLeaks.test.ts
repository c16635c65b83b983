/**
 * Hidden tests never reach a candidate, in any box language, through the real server: a
 * candidate and an interviewer in one room, the candidate's code a probe (tests/fixtures/
 * leakProbes/) that hunts for the hidden tests' values before its first test (module level, a
 * static initialiser, Go's init, a peek at stdin), during each test (the caller's frames, its
 * own memory) and after one (a thread), in its files and in every /proc/<pid>/{cmdline,environ},
 * and prints whatever it finds.
 *
 * Regression for issue 13, finding 4: the harness got every test's arguments on stdin, so that
 * probe printed the hidden inputs into test 1's console, which the candidate sees. The hidden
 * tests now run in a box of their own whose output only interviewers receive. The same probe
 * does find the hidden inputs there: the interviewer sees them, which proves it looks hard enough.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { RoomView } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { RunEvent, RunSummary, TestResult } from '../../protocol/run.ts'
import { loadChallenge, type Challenge } from '../../server/challenges/loadChallenges.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { ask, connectRoom, typeInRoom } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

const fixtures = path.join(import.meta.dirname, '../fixtures')
const challengesDir = path.join(fixtures, 'challenges')
const slug = 'hidden-probe'

const probes: Record<Exclude<LanguageId, 'javascript' | 'typescript'>, string> = {
  python: 'probe.py',
  java: 'Solution.java',
  cpp: 'probe.cpp',
  go: 'probe.go',
}

let server: TestServer
let admin: Api
let challenge: Challenge

beforeAll(async () => {
  challenge = await loadChallenge(challengesDir, slug)
  server = await startTestServer({ env: { CHALLENGES_DIR: challengesDir } })
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

function summaryOf(events: RunEvent[]): RunSummary {
  const exit = events.find((event) => event.type === 'exit')
  if (exit?.type !== 'exit') throw new Error('the run has no exit')
  return exit.summary
}

function resultsOf(events: RunEvent[]): TestResult[] {
  return events.flatMap((event) => (event.type === 'test' ? [event.result] : []))
}

describe('a candidate hunting for hidden tests', () => {
  it.for(Object.entries(probes))(
    'in %s finds none before, during or after its tests, while the interviewer sees them all',
    { timeout: 180_000 },
    async ([language, file], { expect }) => {
      const hidden = challenge.tests.filter((test) => test.hidden)
      const hiddenInputs = hidden.map((test) => ('args' in test.input ? test.input.args[0] : ''))
      const secrets = [
        ...hiddenInputs,
        ...hidden.map((test) => test.expected),
        ...hidden.map((test) => test.name),
      ].map(String)
      expect(secrets.every((secret) => secret.startsWith('qzhid-'))).toBe(true)

      const { interview, interviewer, candidate } = await openInterview(admin, slug, language)
      const stopTyping = await typeInRoom({
        url: server.url,
        interviewId: interview.id,
        token: candidate.participantToken,
        path: solutionPath(slug, language as LanguageId),
        code: readFileSync(path.join(fixtures, 'leakProbes', file), 'utf8'),
      })
      const candidateClient = await connectRoom(server.url, candidate.participantToken)
      const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
      try {
        const ack = await ask<Ack<{ runId: string }>>(candidateClient.socket, 'run:start', {
          mode: 'tests',
        })
        if (!ack.ok) throw new Error(`run refused: ${ack.error.message}`)
        const seenByCandidate = await candidateClient.runEvents(ack.runId)
        const seenByInterviewer = await interviewerClient.runEvents(ack.runId)
        const room = await new Api(server.url, {
          bearer: candidate.participantToken,
        }).get<RoomView>('/api/room')
        // What the candidate's socket and /api/room received, history included.
        const candidateSaw = JSON.stringify([
          room.body,
          seenByCandidate,
          candidateClient.history,
          candidateClient.states,
        ])
        for (const secret of secrets) expect(candidateSaw).not.toContain(secret)

        // The probe really ran, in both boxes, and looked before the first test.
        const results = resultsOf(seenByInterviewer)
        // It answers `secret + "-seen"`: wrong on purpose (see the probes).
        expect(results.map((result) => result.verdict)).toEqual([
          'failed',
          'failed',
          'failed',
          'failed',
        ])
        const summary = summaryOf(seenByInterviewer)
        expect(summary.outsideOutput).toMatch(/^before: /m)
        expect(summaryOf(seenByCandidate).outsideOutput).toBe(summary.outsideOutput)
        // The visible box held the visible inputs and nothing else.
        expect(summary.outsideOutput).not.toMatch(/qzhid-/)
        // In the hidden box the same probe finds the hidden inputs, before and during its tests,
        // and the interviewer receives all of it: hidden results in full and what the box printed.
        const beforeHidden = summary.hiddenOutsideOutput ?? ''
        expect(beforeHidden).toMatch(/^before: /m)
        for (const input of hiddenInputs) expect(beforeHidden).toContain(String(input))
        const hiddenResults = results.filter((result) => result.hidden)
        expect(hiddenResults.map((result) => result.name)).toEqual(hidden.map((test) => test.name))
        expect(hiddenResults.map((result) => result.expected)).toEqual(
          hidden.map((test) => JSON.stringify(test.expected)),
        )
        for (const [i, result] of hiddenResults.entries()) {
          expect(result.stdout).toContain(`during ${String(hiddenInputs[i])}: `)
        }
        // Expected values never enter any box: not even the hidden box's probe found one.
        const interviewerBoxOutput = JSON.stringify([
          summary,
          results.map((result) => result.stdout ?? ''),
        ])
        for (const test of hidden) expect(interviewerBoxOutput).not.toContain(String(test.expected))
        expect(summaryOf(seenByCandidate).hiddenOutsideOutput).toBeUndefined()
      } finally {
        stopTyping()
        candidateClient.close()
        interviewerClient.close()
      }
    },
  )
})
