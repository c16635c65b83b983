/**
 * Cancelling a run through the real server: socket.io clients, the sandbox process, an isolate
 * and a bubblewrap box. Whoever may run in the room may stop its run in flight, queued or
 * running; the run ends with exactly one `exit`, verdict `cancelled`, and the slot is free again.
 * A server shutdown is not a cancel: its runs end `internal_error`, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import { internalErrorMessage, type RunEvent } from '../../protocol/run.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { ask, connectRoom, typeInRoom, type RecordingClient } from '../helpers/clients.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

/** Solutions that never return: each holds its run (and the sandbox's one slot) until stopped. */
const spinners: Partial<Record<LanguageId, string>> = {
  javascript: 'function twoSum(nums, target) { for (;;) {} }\n',
  python: 'def two_sum(nums, target):\n    while True:\n        pass\n',
}

const twoSumJs = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
}
`

let server: TestServer
let admin: Api
const cleanups: (() => void)[] = []

beforeAll(async () => {
  // One run at a time in the sandbox, so a second room's run waits in the scheduler's queue.
  server = await startTestServer({ env: { SANDBOX_CONCURRENCY: '1' } })
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

/** An interview in `language` whose shared file holds `code`, with both participants connected. */
async function roomWith(language: LanguageId, code: string) {
  const { interview, interviewer, candidate } = await openInterview(admin, 'two-sum', language)
  const stopTyping = await typeInRoom({
    url: server.url,
    interviewId: interview.id,
    token: candidate.participantToken,
    path: solutionPath('two-sum', language),
    code,
  })
  // The server holds the code now; a provider left open per room would pile up exit listeners.
  stopTyping()
  const candidateClient = await connectRoom(server.url, candidate.participantToken)
  const interviewerClient = await connectRoom(server.url, interviewer.participantToken)
  cleanups.push(() => {
    candidateClient.close()
    interviewerClient.close()
  })
  return { interview, candidate: candidateClient, interviewer: interviewerClient }
}

async function startRun(client: RecordingClient): Promise<string> {
  const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
  if (!ack.ok) throw new Error(`run refused: ${ack.error.message}`)
  return ack.runId
}

/** Resolves once `client` has seen `runId` reach the running stage. */
function running(client: RecordingClient, runId: string): Promise<void> {
  return waitFor(
    () =>
      client.events.some((e) => e.runId === runId && e.type === 'stage' && e.stage === 'running'),
    'the run to be running',
    { timeoutMs: 30_000 },
  )
}

function exitOf(events: RunEvent[]): Extract<RunEvent, { type: 'exit' }> {
  const exits = events.filter((e): e is Extract<RunEvent, { type: 'exit' }> => e.type === 'exit')
  expect(exits).toHaveLength(1)
  expect(events.at(-1)).toBe(exits[0])
  const [exit] = exits
  if (exit === undefined) throw new Error('no exit')
  return exit
}

describe('cancelling a run', () => {
  it.each(['javascript', 'python'] as const)(
    'stops an infinite loop in %s mid-run with one cancelled exit, seen by both, and frees the slot',
    async (language) => {
      const room = await roomWith(language, spinners[language] ?? '')
      const runId = await startRun(room.interviewer)
      await running(room.candidate, runId)

      // The candidate stops the interviewer's run: anyone who may run may cancel.
      expect(await ask<Ack>(room.candidate.socket, 'run:cancel', { runId })).toEqual({ ok: true })
      const seen = await room.interviewer.runEvents(runId)
      const theirs = await room.candidate.runEvents(runId)
      const exit = exitOf(seen)
      expect(exit.summary).toMatchObject({
        verdict: 'cancelled',
        passed: 0,
        message: 'Cancelled by Grace.',
      })
      expect(theirs.map((e) => [e.seq, e.type])).toEqual(seen.map((e) => [e.seq, e.type]))
      expect(exitOf(theirs).summary.verdict).toBe('cancelled')

      // The loop is gone: the one slot runs the next run to its end.
      const next = await roomWith('javascript', twoSumJs)
      const nextExit = exitOf(await next.candidate.runEvents(await startRun(next.candidate)))
      expect(nextExit.summary.verdict).toBe('passed')
    },
  )

  it('cancels a run waiting in the queue, and then the one running ahead of it', async () => {
    const first = await roomWith('javascript', spinners.javascript ?? '')
    const second = await roomWith('javascript', twoSumJs)
    const ahead = await startRun(first.candidate)
    await running(first.candidate, ahead)
    const queued = await startRun(second.interviewer)
    await waitFor(
      () => second.interviewer.events.some((e) => e.runId === queued && e.type === 'queued'),
      'the second run to be queued',
    )

    expect(await ask<Ack>(second.interviewer.socket, 'run:cancel', { runId: queued })).toEqual({
      ok: true,
    })
    const events = await second.interviewer.runEvents(queued)
    // It never left the queue: queued (one ahead of it), then its exit.
    expect(events.map((e) => e.type)).toEqual(['queued', 'exit'])
    expect(events[0]).toMatchObject({ type: 'queued', position: 1 })
    expect(exitOf(events).summary).toMatchObject({
      verdict: 'cancelled',
      passed: 0,
      total: 6,
      message: 'Cancelled by Ada Lovelace.',
    })

    expect(await ask<Ack>(first.interviewer.socket, 'run:cancel', { runId: ahead })).toEqual({
      ok: true,
    })
    expect(exitOf(await first.candidate.runEvents(ahead)).summary.verdict).toBe('cancelled')
  })

  it('answers a second cancel with ok and still sends one exit', async () => {
    const room = await roomWith('javascript', spinners.javascript ?? '')
    const runId = await startRun(room.candidate)
    await running(room.candidate, runId)
    const [a, b] = await Promise.all([
      ask<Ack>(room.candidate.socket, 'run:cancel', { runId }),
      ask<Ack>(room.interviewer.socket, 'run:cancel', { runId }),
    ])
    expect([a, b]).toEqual([{ ok: true }, { ok: true }])
    exitOf(await room.candidate.runEvents(runId))
    // Once it has exited, it is no longer in flight: not_found, and nothing more is sent.
    expect(await ask<Ack>(room.candidate.socket, 'run:cancel', { runId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(
      room.candidate.events.filter((e) => e.runId === runId && e.type === 'exit'),
    ).toHaveLength(1)
  })

  it('never lets a participant of another interview stop a room’s run', async () => {
    const room = await roomWith('javascript', spinners.javascript ?? '')
    const stranger = await roomWith('javascript', twoSumJs)
    const runId = await startRun(room.candidate)
    await running(room.candidate, runId)
    // The run id is a secret of the room, but even knowing it gives a stranger nothing.
    expect(await ask<Ack>(stranger.interviewer.socket, 'run:cancel', { runId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(room.candidate.events.some((e) => e.runId === runId && e.type === 'exit')).toBe(false)
    await ask<Ack>(room.interviewer.socket, 'run:cancel', { runId })
    expect(exitOf(await room.candidate.runEvents(runId)).summary.verdict).toBe('cancelled')
  })

  it('answers a malformed cancel with bad_request naming the field, and keeps the connection', async () => {
    const room = await roomWith('javascript', twoSumJs)
    expect(await ask<Ack>(room.candidate.socket, 'run:cancel', { runId: 7 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'runId' }] },
    })
    expect(
      await ask<Ack>(room.candidate.socket, 'run:cancel', { runId: 'r', everyone: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'everyone', message: 'Unknown field' }] },
    })
    expect(room.candidate.socket.connected).toBe(true)
  })
})

describe('a server shutdown mid-run', () => {
  it('ends the run with internal_error saying the server is shutting down, not cancelled', async () => {
    const own = await startTestServer()
    let restarted: TestServer | undefined
    try {
      const { api } = await setUpInterviewer(own.url)
      const { interview, candidate } = await openInterview(api)
      const stopTyping = await typeInRoom({
        url: own.url,
        interviewId: interview.id,
        token: candidate.participantToken,
        path: solutionPath('two-sum', 'javascript'),
        code: spinners.javascript ?? '',
      })
      const client = await connectRoom(own.url, candidate.participantToken)
      const runId = await startRun(client)
      await running(client, runId)
      await own.close()
      stopTyping()
      client.close()

      // The room heard the exit before the server went, and the store kept it.
      const expected = {
        verdict: 'internal_error',
        message: internalErrorMessage('The sandbox is shutting down'),
      }
      expect(exitOf(client.events.filter((e) => e.runId === runId)).summary).toMatchObject(expected)
      restarted = await startTestServer({ dataDir: own.dataDir })
      // Sessions live in the store, so the interviewer's cookie still signs them in.
      const again = new Api(restarted.url, api.cookie === undefined ? {} : { cookie: api.cookie })
      const runs = await again.get<RunRecord[]>(`/api/interviews/${interview.id}/runs`)
      expect(runs.status).toBe(200)
      expect(runs.body[0]?.summary).toMatchObject(expected)
    } finally {
      await (restarted ?? own).cleanup()
    }
  })
})
