import { readFileSync } from 'node:fs'
import type * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import { LanguageIds, languageFacts } from '../../protocol/languages.ts'
import type { RunEvent } from '../../protocol/run.ts'
import { openInterview, setUpInterviewer, type Api } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

describe('every language in a room', () => {
  it('offers all six languages, each available with a version and limits', async () => {
    const { interviewer } = await openInterview(admin)
    const client = await connectRoom(server.url, interviewer.participantToken)
    try {
      const languages = client.states[0]?.languages ?? []
      expect(languages.map((l) => l.id).sort()).toEqual([...LanguageIds].sort())
      for (const language of languages) {
        expect(language.available, `${language.id}: ${language.reason ?? ''}`).toBe(true)
        expect(language.version).not.toBe('')
        expect(language.limits.memoryMb).toBeGreaterThan(0)
      }
    } finally {
      client.close()
    }
  })

  // The candidate switches language, types the reference solution and runs it; the interviewer
  // watches. Everything goes through the room's real sockets and the real sandbox.
  it.each(LanguageIds)(
    'runs two-sum in %s through the room, streaming every verdict to both sides',
    async (language) => {
      const { interview, interviewer, candidate } = await openInterview(admin)
      const candidateClient = await connectRoom(server.url, candidate.participantToken)
      const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
      const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
      const observer = connectDoc(server.url, interview.id, interviewer.participantToken)
      try {
        expect(await ask<Ack>(candidateClient.socket, 'language:set', { language })).toEqual({
          ok: true,
        })
        await waitFor(
          () => interviewerClient.states.some((s) => s.language === language),
          `the switch to ${language}`,
        )
        await waitForSync(provider)
        const path = solutionPath('two-sum', language)
        const files = doc.getMap<Y.Text>('files')
        await waitFor(() => files.has(path), `the ${language} starter`)
        const reference = readFileSync(
          `challenges/two-sum/solutions/solution.${languageFacts[language].extension}`,
          'utf8',
        )
        const text = files.get(path)
        if (text === undefined) throw new Error('no file')
        doc.transact(() => {
          text.delete(0, text.length)
          text.insert(0, reference)
        })
        // The interviewer's editor shows the candidate's code: the server has it.
        await waitForSync(observer.provider)
        await waitFor(
          () => observer.doc.getMap<Y.Text>('files').get(path)?.toJSON() === reference,
          `the observer's copy of ${path}`,
        )

        const ack = await ask<Ack<{ runId: string }>>(candidateClient.socket, 'run:start', {
          mode: 'tests',
        })
        expect(ack.ok).toBe(true)
        const runId = ack.ok ? ack.runId : ''
        const watched = await interviewerClient.runEvents(runId)
        const ran = await candidateClient.runEvents(runId)
        const exit = watched.at(-1)
        const failures = watched
          .filter(
            (e): e is Extract<RunEvent, { type: 'test' }> =>
              e.type === 'test' && e.result.verdict !== 'passed',
          )
          .map(
            (e) =>
              `${e.result.name}: ${e.result.verdict} ${e.result.mismatch ?? e.result.error?.message ?? ''}`,
          )
        expect(failures).toEqual([])
        expect(exit?.type === 'exit' && exit.summary).toMatchObject({
          verdict: 'passed',
          passed: 6,
          total: 6,
        })
        expect(ran.map((e) => e.type)).toEqual(watched.map((e) => e.type))
        expect(watched.flatMap((e) => (e.type === 'stage' ? [e.stage] : []))).toContain('running')
      } finally {
        provider.destroy()
        observer.provider.destroy()
        candidateClient.close()
        interviewerClient.close()
      }
    },
  )
})
