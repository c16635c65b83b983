import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Interview, RoomTicket, RoomView } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { RunEvent } from '../../protocol/run.ts'
import { loadChallenge } from '../../server/challenges/loadChallenges.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import {
  ask,
  connectDoc,
  connectRoom,
  refusedRoom,
  typeInRoom,
  waitForSync,
} from '../helpers/clients.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

const twoSumJs = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
}
`

/** Replaces the shared file's text, as a participant typing (see typeCode in helpers/clients). */
function typeCode(
  interviewId: string,
  token: string,
  path: string,
  code: string,
): Promise<() => void> {
  return typeInRoom({ url: server.url, interviewId, token, path, code })
}

describe('a run in a room', () => {
  it('streams the same ordered events to both participants, ending in exactly one exit', async () => {
    const { interview, interviewer, candidate } = await openInterview(admin)
    const stopTyping = await typeCode(
      interview.id,
      candidate.participantToken,
      solutionPath('two-sum', 'javascript'),
      twoSumJs,
    )
    const watcher = await connectRoom(server.url, interviewer.participantToken)
    const runner = await connectRoom(server.url, candidate.participantToken)
    const outsider = await openInterview(admin)
    const stranger = await connectRoom(server.url, outsider.interviewer.participantToken)
    try {
      const ack = await ask<Ack<{ runId: string }>>(runner.socket, 'run:start', { mode: 'tests' })
      expect(ack.ok).toBe(true)
      const runId = ack.ok ? ack.runId : ''
      const seen = await watcher.runEvents(runId)
      const theirs = await runner.runEvents(runId)

      expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i))
      expect(theirs.map((e) => [e.seq, e.type])).toEqual(seen.map((e) => [e.seq, e.type]))
      expect(seen[0]?.type).toBe('queued')
      expect(seen.filter((e) => e.type === 'exit')).toHaveLength(1)
      expect(seen.at(-1)?.type).toBe('exit')
      const tests = seen.filter((e) => e.type === 'test')
      expect(tests).toHaveLength(6)
      const exit = seen.at(-1)
      expect(exit?.type === 'exit' && exit.summary).toMatchObject({
        verdict: 'passed',
        passed: 6,
        total: 6,
      })
      // The interview in another room heard nothing.
      expect(stranger.events).toEqual([])
    } finally {
      stopTyping()
      watcher.close()
      runner.close()
      stranger.close()
    }
  })

  // Regression: run:start used to drop a `code` field silently and run the server's copy, so a
  // script that sent its own code believed it had run it. Strict payloads name the field instead.
  it('refuses a run request that carries code, naming the field, and runs nothing', async () => {
    const { candidate } = await openInterview(admin)
    const client = await connectRoom(server.url, candidate.participantToken)
    try {
      const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', {
        mode: 'tests',
        code: twoSumJs,
      })
      expect(ack).toEqual({
        ok: false,
        error: {
          code: 'bad_request',
          message: 'Invalid run request: code — Unknown field',
          issues: [{ path: 'code', message: 'Unknown field' }],
        },
      })
      // Nothing started: the room can run at once, and the run uses the server's copy.
      const run = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
      expect(run.ok).toBe(true)
      const events = await client.runEvents(run.ok ? run.runId : '')
      expect(events.filter((e) => e.type === 'queued').length).toBeGreaterThan(0)
      expect(client.events.filter((e) => e.type === 'exit')).toHaveLength(1)
      expect(client.socket.connected).toBe(true)
    } finally {
      client.close()
    }
  })

  // Regression: Ctrl+Enter right after an edit could run the previous code, because the edit
  // travels on the collab socket and the run request on socket.io, and the request can win.
  it('runs the code as the requester sees it, even when the run request overtakes the edit', async () => {
    const { interview, candidate } = await openInterview(admin)
    const path = solutionPath('two-sum', 'javascript')
    const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
    const client = await connectRoom(server.url, candidate.participantToken)
    try {
      await waitForSync(provider)
      const files = doc.getMap<Y.Text>('files')
      await waitFor(() => files.has(path), `the starter ${path}`)
      // The edit is made while the collab socket is down, so it cannot reach the server yet.
      provider.disconnect()
      const text = files.get(path)
      if (text === undefined) throw new Error('no file')
      text.delete(0, text.length)
      text.insert(0, twoSumJs)
      const after = { clientId: doc.clientID, clock: Y.getState(doc.store, doc.clientID) }
      const ack = ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests', after })
      // The run request is at the server first; the edit follows when the socket is back.
      setTimeout(() => provider.connect(), 300)
      const answer = await ack
      expect(answer.ok).toBe(true)
      const events = await client.runEvents(answer.ok ? answer.runId : '')
      const exit = events.at(-1)
      expect(exit?.type === 'exit' && exit.summary.verdict).toBe('passed')
    } finally {
      provider.destroy()
      client.close()
    }
  })

  it('refuses to run when the requester’s edits never arrive', async () => {
    const { candidate } = await openInterview(admin)
    const client = await connectRoom(server.url, candidate.participantToken)
    try {
      // A clock this client never reached: the server waits, then says why it did not run.
      const after = { clientId: 4242, clock: 10 }
      const answer = await ask<Ack>(client.socket, 'run:start', { mode: 'tests', after })
      expect(answer).toMatchObject({ ok: false, error: { code: 'conflict' } })
      expect(answer.ok ? '' : answer.error.message).toMatch(/edits have not reached the server/)
    } finally {
      client.close()
    }
  })

  it('refuses a second run while one is in flight', async () => {
    const { interview, candidate, interviewer } = await openInterview(admin)
    const slow =
      'function twoSum(nums, target) { const end = Date.now() + 300; while (Date.now() < end) {} return [0, 1] }'
    const stopTyping = await typeCode(
      interview.id,
      candidate.participantToken,
      solutionPath('two-sum', 'javascript'),
      slow,
    )
    const a = await connectRoom(server.url, candidate.participantToken)
    const b = await connectRoom(server.url, interviewer.participantToken)
    try {
      const first = await ask<Ack<{ runId: string }>>(a.socket, 'run:start', { mode: 'tests' })
      const second = await ask<Ack<{ runId: string }>>(b.socket, 'run:start', { mode: 'tests' })
      expect(first.ok).toBe(true)
      expect(second).toMatchObject({ ok: false, error: { code: 'run_in_progress' } })
      await a.runEvents(first.ok ? first.runId : '')
      // Once it exits, the room can run again.
      const third = await ask<Ack<{ runId: string }>>(b.socket, 'run:start', { mode: 'tests' })
      expect(third.ok).toBe(true)
      await b.runEvents(third.ok ? third.runId : '')
    } finally {
      stopTyping()
      a.close()
      b.close()
    }
  })

  it('runs custom input checked against the signature', async () => {
    const { interview, candidate } = await openInterview(admin)
    const stopTyping = await typeCode(
      interview.id,
      candidate.participantToken,
      solutionPath('two-sum', 'javascript'),
      twoSumJs,
    )
    const client = await connectRoom(server.url, candidate.participantToken)
    try {
      const bad = await ask<Ack>(client.socket, 'run:start', {
        mode: 'custom',
        args: [[1, 2], 'three'],
      })
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', {
        mode: 'custom',
        args: [[1, 5, 9], 14],
      })
      const events = await client.runEvents(ack.ok ? ack.runId : '')
      const test = events.find((e) => e.type === 'test')
      expect(test?.type === 'test' && test.result).toMatchObject({
        verdict: 'passed',
        actual: '[1,2]',
      })
    } finally {
      stopTyping()
      client.close()
    }
  })

  // Issue 14 B.4: the web built custom input's fields by parsing the display signature and the
  // display input back; it now gets both as data.
  it('gives the room the signature and each visible test’s arguments as data', async () => {
    const { candidate } = await openInterview(admin)
    const room = await new Api(server.url, { bearer: candidate.participantToken }).get<RoomView>(
      '/api/room',
    )
    const { challenge } = room.body
    expect(challenge.call).toEqual({
      function: 'twoSum',
      params: [
        { name: 'nums', type: { kind: 'array', of: { kind: 'int' } } },
        { name: 'target', type: { kind: 'int' } },
      ],
      returns: { kind: 'array', of: { kind: 'int' } },
    })
    expect(challenge.tests[0]).toMatchObject({
      input: 'nums = [2,7,11,15], target = 9',
      args: [[2, 7, 11, 15], 9],
    })
    expect(challenge.tests.every((test) => !test.hidden && test.args?.length === 2)).toBe(true)
  })

  // Issue 9, live controls: "a timer everyone sees: elapsed time, and the planned duration
  // chosen at creation".
  it('starts the interview clock when the candidate first enters the room, once, for everyone', async () => {
    const created = await admin.post<Interview>('/api/interviews', {
      challenge: 'two-sum',
      plannedMinutes: 45,
    })
    expect(created.body).toMatchObject({ plannedMinutes: 45, startedAt: null })
    const ticket = (await admin.post<RoomTicket>(`/api/interviews/${created.body.id}/enter`)).body
    const watcher = await connectRoom(server.url, ticket.participantToken)
    const token = created.body.candidateUrl.split('/join/')[1] ?? ''
    try {
      expect(watcher.states.at(-1)?.clock).toEqual({
        plannedMinutes: 45,
        startedAt: null,
        endedAt: null,
      })
      // Joining by the link is not entering the room: the clock waits for the candidate's socket.
      const joined = await new Api(server.url).post<RoomTicket>('/api/join', {
        token,
        displayName: 'Grace',
      })
      expect(
        (await admin.get<Interview>(`/api/interviews/${created.body.id}`)).body.startedAt,
      ).toBe(null)
      const candidate = await connectRoom(server.url, joined.body.participantToken)
      await waitFor(() => watcher.states.at(-1)?.clock.startedAt != null, 'the clock to start')
      const startedAt = watcher.states.at(-1)?.clock.startedAt
      expect(candidate.states.at(-1)?.clock.startedAt).toBe(startedAt)
      // Entering again does not restart it.
      candidate.close()
      const again = await connectRoom(server.url, joined.body.participantToken)
      expect(again.states.at(-1)?.clock).toEqual({ plannedMinutes: 45, startedAt, endedAt: null })
      again.close()
    } finally {
      watcher.close()
    }
  })

  it('answers a malformed payload with an error and keeps the connection', async () => {
    const { candidate } = await openInterview(admin)
    const client = await connectRoom(server.url, candidate.participantToken)
    try {
      const bad = await ask<Ack>(client.socket, 'run:start', { mode: 'rm -rf' })
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      const badLanguage = await ask<Ack>(client.socket, 'language:set', { language: 'cobol' })
      expect(badLanguage).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(client.socket.connected).toBe(true)
    } finally {
      client.close()
    }
  })

  it('switches the language for everyone and seeds that language’s starter once', async () => {
    const { interview, candidate, interviewer } = await openInterview(admin)
    const a = await connectRoom(server.url, candidate.participantToken)
    const b = await connectRoom(server.url, interviewer.participantToken)
    try {
      expect(await ask<Ack>(a.socket, 'language:set', { language: 'typescript' })).toEqual({
        ok: true,
      })
      await waitFor(
        () => b.states.some((s) => s.language === 'typescript'),
        'the switch to TypeScript',
      )
      const state = b.states.at(-1)
      expect(state?.activeFile).toBe(solutionPath('two-sum', 'typescript'))
      // Everyone is told who switched, the one who did too.
      for (const client of [a, b]) {
        await waitFor(() => client.notices.length > 0, 'the switch notice')
        expect(client.notices).toEqual([
          { type: 'languageSwitched', language: 'typescript', by: 'Grace' },
        ])
      }
      const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
      await waitForSync(provider)
      const text = () =>
        (
          doc.getMap('files').get(solutionPath('two-sum', 'typescript')) as
            { toString(): string } | undefined
        )?.toString()
      await waitFor(() => text() !== undefined, 'the TypeScript starter')
      expect(text()).toContain('function twoSum(nums: number[], target: number)')
      // Switching back and forth seeds nothing twice.
      await ask<Ack>(a.socket, 'language:set', { language: 'javascript' })
      await ask<Ack>(a.socket, 'language:set', { language: 'typescript' })
      expect(text()?.match(/function twoSum/g)).toHaveLength(1)
      // Each switch is on the timeline replay reads, with who made it.
      const switches = (await server.tandem.store.events.list(interview.id)).flatMap(({ event }) =>
        event.kind === 'language' ? [event] : [],
      )
      const by = { participantId: candidate.participant.participantId, role: 'candidate' }
      expect(switches).toEqual([
        { kind: 'language', ...by, from: 'javascript', to: 'typescript' },
        { kind: 'language', ...by, from: 'typescript', to: 'javascript' },
        { kind: 'language', ...by, from: 'javascript', to: 'typescript' },
      ])
      provider.destroy()
    } finally {
      a.close()
      b.close()
    }
  })

  it('tells everyone when the interview ends, then lets the candidate go', async () => {
    const { interview, candidate, interviewer } = await openInterview(admin)
    const candidateClient = await connectRoom(server.url, candidate.participantToken)
    const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
    const disconnected = new Promise<void>((resolve) =>
      candidateClient.socket.once('disconnect', () => resolve()),
    )
    try {
      await admin.post(`/api/interviews/${interview.id}/end`)
      await waitFor(
        () => candidateClient.states.some((s) => s.status === 'ended'),
        'the candidate learns it ended',
      )
      await waitFor(
        () => interviewerClient.states.some((s) => s.status === 'ended'),
        'the interviewer learns it ended',
      )
      await disconnected
      expect(interviewerClient.socket.connected).toBe(true)
    } finally {
      candidateClient.close()
      interviewerClient.close()
    }
  })

  it('refuses a socket without a valid token, or for an ended interview', async () => {
    expect((await refusedRoom(server.url, undefined)).message).toBe('unauthorized')
    expect((await refusedRoom(server.url, '')).message).toBe('unauthorized')
    expect((await refusedRoom(server.url, 'z'.repeat(43))).message).toBe('unauthorized')
    const { interview, candidate } = await openInterview(admin)
    await admin.post(`/api/interviews/${interview.id}/end`)
    const refused = await refusedRoom(server.url, candidate.participantToken)
    expect(refused.data).toMatchObject({ code: 'forbidden' })
  })
})

describe('hidden tests', () => {
  it('never reach the candidate: not over REST, socket.io, nor the Yjs document', async () => {
    const challenge = await loadChallenge('challenges', 'two-sum')
    const hidden = challenge.tests.filter((t) => t.hidden)
    expect(hidden.length).toBeGreaterThan(0)
    const secrets = hidden.flatMap((t) => [
      t.name,
      JSON.stringify('args' in t.input ? t.input.args : t.input.stdin),
      JSON.stringify(t.expected),
    ])

    const { interview, candidate, interviewer } = await openInterview(admin)
    const stopTyping = await typeCode(
      interview.id,
      candidate.participantToken,
      solutionPath('two-sum', 'javascript'),
      // Prints and throws its input, hoping the output reaches the candidate.
      `function twoSum(nums, target) { console.log(JSON.stringify([nums, target])); throw new Error(JSON.stringify([nums, target])) }`,
    )
    const candidateClient = await connectRoom(server.url, candidate.participantToken)
    const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
    const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
    try {
      const room = await new Api(server.url, { bearer: candidate.participantToken }).get<RoomView>(
        '/api/room',
      )
      const ack = await ask<Ack<{ runId: string }>>(candidateClient.socket, 'run:start', {
        mode: 'tests',
      })
      const runId = ack.ok ? ack.runId : ''
      const seenByCandidate = await candidateClient.runEvents(runId)
      const seenByInterviewer = await interviewerClient.runEvents(runId)
      await waitForSync(provider)

      const candidateSaw = JSON.stringify([
        room.body,
        seenByCandidate,
        candidateClient.history,
        candidateClient.states,
        doc.getMap('files').toJSON(),
      ])
      for (const secret of secrets) expect(candidateSaw).not.toContain(secret)
      expect(room.body.challenge.hiddenTestCount).toBe(hidden.length)
      // The interviewer sees everything: names, inputs and output of hidden tests.
      const interviewerSaw = JSON.stringify(seenByInterviewer)
      for (const test of hidden) expect(interviewerSaw).toContain(test.name)
      const hiddenResults = seenByCandidate.filter(
        (e): e is Extract<RunEvent, { type: 'test' }> => e.type === 'test' && e.result.hidden,
      )
      expect(hiddenResults.length).toBeGreaterThan(0)
      for (const { result } of hiddenResults) {
        expect(Object.keys(result).sort()).toEqual([
          'durationMs',
          'hidden',
          'index',
          'name',
          'testId',
          'verdict',
        ])
        expect(['passed', 'failed', 'skipped']).toContain(result.verdict)
      }
    } finally {
      stopTyping()
      provider.destroy()
      candidateClient.close()
      interviewerClient.close()
    }
  })

  it('that crashed reach the candidate as "failed", never the class they were not told', async () => {
    // Regression: redaction sent a crashed hidden test as `failed`, which the room labelled
    // "Wrong answer", and the exit summary still said "Runtime error on test 4 (hidden)".
    const { interview, candidate, interviewer } = await openInterview(admin)
    const stopTyping = await typeCode(
      interview.id,
      candidate.participantToken,
      solutionPath('two-sum', 'javascript'),
      // Right on the visible tests; throws on the hidden one with negative numbers.
      twoSumJs.replace('{\n', '{\n  if (nums.some((n) => n < 0)) throw new Error("negative")\n'),
    )
    const candidateClient = await connectRoom(server.url, candidate.participantToken)
    const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
    try {
      const ack = await ask<Ack<{ runId: string }>>(candidateClient.socket, 'run:start', {
        mode: 'tests',
      })
      const runId = ack.ok ? ack.runId : ''
      const byCandidate = await candidateClient.runEvents(runId)
      const byInterviewer = await interviewerClient.runEvents(runId)
      const verdicts = (events: RunEvent[]) =>
        events.flatMap((e) => (e.type === 'test' ? [e.result.verdict] : []))
      const exit = (events: RunEvent[]) =>
        events.flatMap((e) => (e.type === 'exit' ? [e.summary] : []))

      expect(verdicts(byInterviewer)).toContain('runtime_error')
      expect(exit(byInterviewer)[0]?.verdict).toBe('runtime_error')
      expect(verdicts(byCandidate)).not.toContain('runtime_error')
      expect(verdicts(byCandidate)).toContain('failed')
      expect(exit(byCandidate)[0]).toMatchObject({ verdict: 'failed', passed: 5, total: 6 })
      expect(exit(byCandidate)[0]?.message).toBe('Failed on test 4 (hidden) (5 of 6 tests passed)')
      expect(JSON.stringify(byCandidate)).not.toMatch(/runtime|negative|Wrong answer/i)
      // A late joiner's history is redacted the same way.
      const late = await connectRoom(server.url, candidate.participantToken)
      await waitFor(() => late.history.length > 0, "the late joiner's run history")
      expect(exit(late.history[0] ?? [])[0]?.verdict).toBe('failed')
      late.close()
    } finally {
      stopTyping()
      candidateClient.close()
      interviewerClient.close()
    }
  })

  it('are shown in full to the interviewer over REST', async () => {
    const view = await admin.get<{ tests: { hidden: boolean; expected?: string }[] }>(
      '/api/challenges/two-sum',
    )
    expect(view.body.tests.filter((t) => t.hidden).every((t) => t.expected !== undefined)).toBe(
      true,
    )
    const { interview } = await openInterview(admin)
    const runs = await admin.get<unknown[]>(`/api/interviews/${interview.id}/runs`)
    expect(runs.status).toBe(200)
  })
})

describe('health', () => {
  it('answers 200 once the server, database and sandbox are ready', async () => {
    const answer = await fetch(`${server.url}/healthz`)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ ok: true, database: true, sandbox: true })
  })

  it('lists the interviews it created', async () => {
    const list = await admin.get<Interview[]>('/api/interviews')
    expect(list.body.length).toBeGreaterThan(0)
  })
})
