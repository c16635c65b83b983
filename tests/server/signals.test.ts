/**
 * Integrity signals (issue 9.4) through the real server, with real socket.io clients and real
 * y-websocket providers: what the candidate's client reports and what the server sees in their
 * edits reach interviewers as they happen, and no candidate ever; a hostile client can neither
 * flood the timeline nor break the room; the report lists and counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import type { RoomTicket } from '../../protocol/api.ts'
import { docFilesKey, solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { InterviewReport } from '../../protocol/report.ts'
import { largeInsertChars, type Signal } from '../../protocol/signals.ts'
import { defaultSignalLimits } from '../../server/signals/SignalService.ts'
import { type Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import {
  ask,
  connectDoc,
  connectRoom,
  waitForSync,
  type RecordingClient,
} from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

const path = solutionPath('two-sum', 'javascript')
const paste = { kind: 'paste', chars: 120, lines: 4, path, line: 3 } as const

let server: TestServer
let api: Api
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer()
  ;({ api } = await setUpInterviewer(server.url))
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

async function room(token: string): Promise<RecordingClient> {
  const client = await connectRoom(server.url, token)
  cleanups.push(() => client.close())
  await waitFor(() => client.history.length > 0, 'run:history')
  return client
}

/** A round trip on the socket: anything the server sent it before has arrived afterwards. */
async function roundTrip(client: RecordingClient): Promise<void> {
  await ask<Ack>(client.socket, 'run:cancel', { runId: 'a-round-trip' })
}

interface Scene {
  interviewId: string
  interviewer: RecordingClient
  candidate: RecordingClient
  candidateTicket: RoomTicket
}

async function scene(): Promise<Scene> {
  const opened = await openInterview(api, 'two-sum', 'javascript')
  return {
    interviewId: opened.interview.id,
    interviewer: await room(opened.interviewer.participantToken),
    candidate: await room(opened.candidate.participantToken),
    candidateTicket: opened.candidate,
  }
}

async function reportOf(interviewId: string): Promise<InterviewReport> {
  const answer = await api.get<InterviewReport>(`/api/interviews/${interviewId}/report`)
  expect(answer.status).toBe(200)
  return answer.body
}

describe('integrity signals', () => {
  it("sends a candidate's paste and focus changes to the interviewer, and to no candidate", async () => {
    const s = await scene()
    const other = await scene()
    const started = Date.now()
    expect(await ask<Ack>(s.candidate.socket, 'signal:report', paste)).toEqual({ ok: true })
    const lost = { kind: 'focus', state: 'lost' } as const
    expect(await ask<Ack>(s.candidate.socket, 'signal:report', lost)).toEqual({ ok: true })
    await waitFor(() => s.interviewer.signals.length === 2, 'two signals at the interviewer')
    const [first, second] = s.interviewer.signals as [Signal, Signal]
    expect(first).toMatchObject({
      participantId: s.candidateTicket.participant.participantId,
      name: 'Grace',
      detail: paste,
    })
    expect(second.detail).toEqual(lost)
    expect(Date.parse(first.at)).toBeGreaterThanOrEqual(started - 1000)
    await Promise.all([s.candidate, other.candidate, other.interviewer].map(roundTrip))
    expect(s.candidate.signals).toEqual([])
    expect(other.candidate.signals).toEqual([])
    expect(other.interviewer.signals).toEqual([])
    // A reloaded interviewer gets the list on join; a reloaded candidate gets nothing.
    const again = await room((await openAgain(s.interviewId)).participantToken)
    expect(again.signalHistory).toEqual([[first, second]])
    const candidateAgain = await room(s.candidateTicket.participantToken)
    expect(candidateAgain.signalHistory).toEqual([])
  })

  it("refuses an interviewer's report: interviewers' clients send nothing", async () => {
    const s = await scene()
    const ack = await ask<Ack>(s.interviewer.socket, 'signal:report', paste)
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    await roundTrip(s.interviewer)
    expect(s.interviewer.signals).toEqual([])
  })

  it('records a large insertion made through a real provider without any report from the client', async () => {
    const s = await scene()
    const typist = connectDoc(server.url, s.interviewId, s.candidateTicket.participantToken)
    cleanups.push(() => typist.provider.destroy())
    await waitForSync(typist.provider)
    const text = typist.doc.getMap<Y.Text>(docFilesKey).get(path)
    if (text === undefined) throw new Error('no solution file')
    // A keystroke, then just under the threshold: neither is a signal.
    text.insert(0, 'x')
    text.insert(0, 'y'.repeat(largeInsertChars - 1))
    const pasted = Array.from({ length: 30 }, (_, i) => `const line${i} = ${i} // padding text`)
    const block = `${pasted.join('\n')}\n`
    expect(block.length).toBeGreaterThanOrEqual(largeInsertChars)
    // Inserted after the first line, so it starts on line 2.
    const firstBreak = text.toJSON().indexOf('\n')
    text.insert(firstBreak + 1, block)
    await waitFor(() => s.interviewer.signals.length > 0, 'the large insertion signal')
    expect(s.interviewer.signals.map((signal) => signal.detail)).toEqual([
      { kind: 'largeInsert', chars: block.length, lines: 31, path, line: 2, via: 'edit' },
    ])
    await roundTrip(s.candidate)
    expect(s.candidate.signals).toEqual([])
  })

  it('refuses malformed reports with a clear error and the room keeps working', async () => {
    const s = await scene()
    const bad: [unknown, string][] = [
      [{ kind: 'paste', chars: 1, lines: 1, path, line: 1, text: 'secret' }, 'text'],
      [{ kind: 'paste', chars: -1, lines: 1, path, line: 1 }, 'chars'],
      [{ kind: 'paste', chars: 1, lines: 1, path: 'x'.repeat(500), line: 1 }, 'path'],
      [{ kind: 'focus', state: 'maybe' }, 'state'],
      [{ kind: 'nonsense' }, 'kind'],
      ['not an object', '(root)'],
      [null, '(root)'],
    ]
    for (const [payload, field] of bad) {
      const ack = await ask<Ack>(s.candidate.socket, 'signal:report', payload)
      expect(ack.ok, JSON.stringify(payload)).toBe(false)
      if (ack.ok) continue
      expect(ack.error.code).toBe('bad_request')
      expect(ack.error.issues?.map((issue) => issue.path)).toContain(field)
    }
    // Without an ack callback the error comes back as room:error, and nothing breaks.
    const errors: string[] = []
    s.candidate.socket.on('room:error', (error) => errors.push(error.code))
    ;(s.candidate.socket.emit as (event: string, payload: unknown) => void)('signal:report', {
      kind: 'bogus',
    })
    await waitFor(() => errors.length > 0, 'room:error')
    expect(errors).toEqual(['bad_request'])
    expect(await ask<Ack>(s.candidate.socket, 'signal:report', paste)).toEqual({ ok: true })
    await waitFor(() => s.interviewer.signals.length === 1, 'the good report')
    expect(s.candidate.socket.connected).toBe(true)
  })

  it('caps a flood of reports and counts what it refused as one signal', async () => {
    const s = await scene()
    // A second socket of the same candidate shares the one bucket.
    const secondTab = await room(s.candidateTicket.participantToken)
    const sent = defaultSignalLimits.burst * 3
    const acks = await Promise.all(
      Array.from({ length: sent }, (_, i) =>
        ask<Ack>(i % 2 === 0 ? s.candidate.socket : secondTab.socket, 'signal:report', {
          kind: 'focus',
          state: i % 2 === 0 ? 'lost' : 'regained',
        }),
      ),
    )
    const accepted = acks.filter((ack) => ack.ok).length
    const refused = acks.filter((ack) => !ack.ok)
    // A token may refill while the flood is sent.
    expect(accepted).toBeGreaterThanOrEqual(defaultSignalLimits.burst)
    expect(accepted).toBeLessThanOrEqual(defaultSignalLimits.burst + 2)
    expect(refused[0]).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    await waitFor(
      () => s.interviewer.signals.some((signal) => signal.detail.kind === 'dropped'),
      'the dropped count',
      { timeoutMs: defaultSignalLimits.droppedFlushMs + 5000 },
    )
    const dropped = s.interviewer.signals.filter((signal) => signal.detail.kind === 'dropped')
    expect(dropped.map((signal) => signal.detail)).toEqual([
      { kind: 'dropped', count: refused.length },
    ])
    expect(s.interviewer.signals.length).toBe(accepted + 1)
    // The room still works: the candidate edits through a provider and the interviewer hears it.
    const watcher = connectDoc(server.url, s.interviewId, s.candidateTicket.participantToken)
    cleanups.push(() => watcher.provider.destroy())
    await waitForSync(watcher.provider)
    expect(watcher.doc.getMap<Y.Text>(docFilesKey).get(path)?.toJSON()).toContain('twoSum')

    const report = await reportOf(s.interviewId)
    expect(report.summary.signals).toMatchObject({ dropped: refused.length })
  })

  it('lists the signals in the report and counts them in the timeline summary', async () => {
    const s = await scene()
    for (const payload of [
      paste,
      { kind: 'focus', state: 'lost' },
      { kind: 'focus', state: 'regained' },
    ]) {
      expect(await ask<Ack>(s.candidate.socket, 'signal:report', payload)).toEqual({ ok: true })
    }
    const report = await reportOf(s.interviewId)
    expect(report.signals.map((signal) => signal.detail)).toEqual([
      paste,
      { kind: 'focus', state: 'lost' },
      { kind: 'focus', state: 'regained' },
    ])
    expect(report.signals[0]?.name).toBe('Grace')
    expect(report.summary.signals).toEqual({
      pastes: 1,
      focusLosses: 1,
      largeInserts: 0,
      dropped: 0,
    })
    const response = await fetch(`${server.url}/api/interviews/${s.interviewId}/report.html`, {
      headers: { cookie: api.cookie ?? '' },
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(`pasted 120 characters (4 lines) at ${path}:3`)
  })
})

/** A fresh interviewer ticket for the interview (a reload). */
async function openAgain(interviewId: string): Promise<RoomTicket> {
  const entered = await api.post<RoomTicket>(`/api/interviews/${interviewId}/enter`)
  expect(entered.status).toBe(200)
  return entered.body
}
