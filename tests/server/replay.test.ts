/**
 * Replay (issue 9.6) through the real server: a scripted session of two typists on a clock the
 * test moves, so every edit has a known time; then the timeline, the code at random moments and
 * replay runs, each checked against what the two had typed by then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import type { RunRecord } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { ApiErrorBody } from '../../protocol/errors.ts'
import type { CodeAt, TimelineEntry } from '../../protocol/replay.ts'
import type { RunEvent } from '../../protocol/run.ts'
import { seededRandom } from '../collab/collabHarness.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

/** The server's clock: the test moves it forward between edits. */
let clock = Date.UTC(2026, 0, 5, 10, 0, 0)
let server: TestServer
let admin: Api
const path = solutionPath('two-sum', 'javascript')
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer({ now: () => clock })
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

interface Typist {
  doc: Y.Doc
  text: () => Y.Text
}

async function typist(interviewId: string, token: string): Promise<Typist> {
  const { doc, provider } = connectDoc(server.url, interviewId, token)
  cleanups.push(() => provider.destroy())
  await waitForSync(provider)
  const files = doc.getMap<Y.Text>('files')
  await waitFor(() => files.has(path), 'the starter code')
  return { doc, text: () => files.get(path) as Y.Text }
}

/**
 * One edit by `who`, stored as its own update at the clock's time: it waits until `other` (so
 * the server) has it, then flushes the room so no later edit is merged into its row.
 */
async function edit(
  interviewId: string,
  people: { who: Typist; other: Typist },
  change: (text: Y.Text) => void,
): Promise<string> {
  change(people.who.text())
  const expected = people.who.text().toJSON()
  await waitFor(() => people.other.text().toJSON() === expected, 'the edit to reach the server')
  await server.tandem.rooms.flush(interviewId)
  return expected
}

const codeAt = async (api: Api, interviewId: string, at: number): Promise<CodeAt> => {
  const answer = await api.get<CodeAt>(`/api/interviews/${interviewId}/code?at=${at}`)
  expect(answer.status).toBe(200)
  return answer.body
}

const fileAt = (code: CodeAt): string | undefined =>
  code.files.find((f) => f.path === path)?.content

describe('replay', () => {
  it('rebuilds the code exactly as two typists had typed it by each of 50 random moments', async () => {
    const { interview, interviewer, candidate } = await openInterview(
      admin,
      'two-sum',
      'javascript',
    )
    const created = clock
    const grace = await typist(interview.id, candidate.participantToken)
    const ada = await typist(interview.id, interviewer.participantToken)
    const starter = grace.text().toJSON()

    // 10 turns of 8 edits each, 0.1–1 s apart; 6–9 s between turns. Grace types at the top,
    // Ada at the bottom, whoever's turn it is.
    const random = seededRandom(9)
    const history: { at: number; text: string }[] = [{ at: created, text: starter }]
    const typed = { grace: 0, ada: 0 }
    const turns: boolean[] = []
    for (let turn = 0; turn < 10; turn++) {
      const byGrace = random() < 0.5
      turns.push(byGrace)
      clock += 6_000 + Math.floor(random() * 3_000)
      for (let i = 0; i < 8; i++) {
        if (i > 0) clock += 100 + Math.floor(random() * 900)
        const chars = 'abcdefghij'.slice(0, 1 + Math.floor(random() * 3))
        const text = byGrace
          ? await edit(interview.id, { who: grace, other: ada }, (t) =>
              t.insert(typed.grace, chars),
            )
          : await edit(interview.id, { who: ada, other: grace }, (t) => t.insert(t.length, chars))
        typed[byGrace ? 'grace' : 'ada'] += chars.length
        history.push({ at: clock, text })
      }
    }
    const end = clock

    for (let i = 0; i < 50; i++) {
      const at = created + Math.floor(random() * (end - created + 2_000))
      const expected = history.filter((h) => h.at <= at).at(-1)?.text
      const code = await codeAt(admin, interview.id, at)
      expect(fileAt(code), `the code at +${at - created} ms`).toBe(expected)
      expect(code.language).toBe('javascript')
      expect(code.activeFile).toBe(path)
    }

    // Seeks start from a checkpoint the session wrote, not from the first update.
    const stored = await server.tandem.store.docs.docAt(
      { interviewId: interview.id, doc: 'code' },
      end,
    )
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(80)

    // Each one's text in their colour: the spans of the final code credit what each typed.
    const final = await codeAt(admin, interview.id, end)
    const spans = final.files.find((f) => f.path === path)?.spans ?? []
    const creditOf = (participantId: string | null): number =>
      spans.filter((s) => s.participantId === participantId).reduce((n, s) => n + s.length, 0)
    expect(creditOf(candidate.participant.participantId)).toBe(typed.grace)
    expect(creditOf(interviewer.participant.participantId)).toBe(typed.ada)
    expect(creditOf(null)).toBe(starter.length)

    // Before the interview existed there was no code.
    expect(fileAt(await codeAt(admin, interview.id, created - 1))).toBeUndefined()

    // The timeline: both typists' bursts, their joins, in order.
    const timeline = await admin.get<TimelineEntry[]>(`/api/interviews/${interview.id}/timeline`)
    expect(timeline.status).toBe(200)
    const entries = timeline.body
    expect(entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).sort((a, b) => a - b))
    const burstsOf = (participantId: string): Extract<TimelineEntry, { kind: 'edit' }>[] =>
      entries.flatMap((e) =>
        e.kind === 'edit' && e.participantId === participantId && e.doc === 'code' ? [e] : [],
      )
    const graceBursts = burstsOf(candidate.participant.participantId)
    const adaBursts = burstsOf(interviewer.participant.participantId)
    expect(graceBursts.length).toBeGreaterThan(0)
    expect(adaBursts.length).toBeGreaterThan(0)
    // Condensed to one line per turn, every edit counted in one of them.
    expect(graceBursts.length).toBe(turns.filter((byGrace) => byGrace).length)
    expect(adaBursts.length).toBe(turns.filter((byGrace) => !byGrace).length)
    expect(graceBursts.every((b) => b.updates === 8)).toBe(true)
    expect([...graceBursts, ...adaBursts].reduce((n, b) => n + b.updates, 0)).toBe(80)
    expect(
      entries.filter((e) => e.kind === 'join' && e.doc === 'code').map((e) => e.participantId),
    ).toEqual(
      expect.arrayContaining([
        candidate.participant.participantId,
        interviewer.participant.participantId,
      ]),
    )
  })

  it('runs the code as it stood at a moment: failing before the fix, passing after, for interviewers only', async () => {
    const { interview, interviewer, candidate } = await openInterview(
      admin,
      'two-sum',
      'javascript',
    )
    const grace = await typist(interview.id, candidate.participantToken)
    const ada = await typist(interview.id, interviewer.participantToken)
    const replace = (code: string) => (t: Y.Text) => {
      t.delete(0, t.length)
      t.insert(0, code)
    }
    clock += 5_000
    await edit(interview.id, { who: grace, other: ada }, replace(wrongTwoSum))
    const wrongAt = clock
    clock += 60_000
    await edit(interview.id, { who: grace, other: ada }, replace(twoSumJs))
    const fixedAt = clock
    clock += 5_000

    const watcher = await connectRoom(server.url, interviewer.participantToken)
    const candidateSocket = await connectRoom(server.url, candidate.participantToken)
    cleanups.push(
      () => watcher.close(),
      () => candidateSocket.close(),
    )
    const heard = { interviewer: [] as RunEvent[], candidate: [] as RunEvent[] }
    watcher.socket.on('replay:event', (e) => heard.interviewer.push(e))
    candidateSocket.socket.on('replay:event', (e) => heard.candidate.push(e))

    const replayRun = async (at: number): Promise<RunRecord> => {
      const started = await admin.post<{ runId: string }>(
        `/api/interviews/${interview.id}/replay-runs`,
        { at },
      )
      expect(started.status).toBe(201)
      const { runId } = started.body
      await waitFor(
        () => heard.interviewer.some((e) => e.runId === runId && e.type === 'exit'),
        'the replay run’s exit, to the interviewer',
      )
      const record = await admin.get<RunRecord>(
        `/api/interviews/${interview.id}/replay-runs/${runId}`,
      )
      expect(record.status).toBe(200)
      return record.body
    }

    const before = await replayRun(wrongAt + 30_000)
    expect(before.summary?.verdict).toBe('failed')
    expect(before.info.replay?.at).toBe(wrongAt + 30_000)
    const after = await replayRun(fixedAt + 1_000)
    expect(after.summary?.verdict).toBe('passed')
    expect(after.info.replay?.uptoUpdateId).toBeGreaterThan(before.info.replay?.uptoUpdateId ?? 0)

    // Marked on the timeline, at the moment they were asked for, with their verdicts.
    const timeline = await admin.get<TimelineEntry[]>(`/api/interviews/${interview.id}/timeline`)
    const replays = timeline.body.flatMap((e) =>
      e.kind === 'run' && e.replayOf !== undefined ? [e] : [],
    )
    expect(replays.map((r) => [r.replayOf, r.verdict])).toEqual([
      [wrongAt + 30_000, 'failed'],
      [fixedAt + 1_000, 'passed'],
    ])

    // The candidate heard none of it, and a fresh connection's history does not hold it either.
    expect(heard.candidate).toEqual([])
    const ids = new Set([before.info.runId, after.info.runId])
    expect(candidateSocket.events.filter((e) => ids.has(e.runId))).toEqual([])
    expect(watcher.events.filter((e) => ids.has(e.runId))).toEqual([])
    const late = await connectRoom(server.url, candidate.participantToken)
    cleanups.push(() => late.close())
    await waitFor(() => late.history.length > 0, 'the run history')
    expect(late.history.flat().filter((e) => ids.has(e.runId))).toEqual([])
  })

  it('refuses every replay endpoint to a candidate’s participant token with 403', async () => {
    const { interview, candidate } = await openInterview(admin, 'two-sum', 'javascript')
    const asCandidate = new Api(server.url, { bearer: candidate.participantToken })
    const answers = [
      await asCandidate.get<ApiErrorBody>(`/api/interviews/${interview.id}/timeline`),
      await asCandidate.get<ApiErrorBody>(`/api/interviews/${interview.id}/code?at=${clock}`),
      await asCandidate.post<ApiErrorBody>(`/api/interviews/${interview.id}/replay-runs`, {
        at: clock,
      }),
      await asCandidate.get<ApiErrorBody>(`/api/interviews/${interview.id}/replay-runs/any`),
    ]
    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual(
      answers.map(() => [403, 'forbidden']),
    )
  })
})

const twoSumJs = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
}
`

/** Returns the first two indices, whatever they add up to. */
const wrongTwoSum = `function twoSum(nums, target) {
  return [0, 1]
}
`
