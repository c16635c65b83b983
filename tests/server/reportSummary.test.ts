/** The report's figures from the timeline (server/report/summarize.ts), without a server. */
import { describe, expect, it } from 'vitest'
import type { SignalDetail } from '../../protocol/signals.ts'
import type { TimelineEventRecord } from '../../server/store/Store.ts'
import { summarize } from '../../server/report/summarize.ts'

const t0 = Date.parse('2026-12-04T10:00:00Z')
const iso = (ms: number): string => new Date(ms).toISOString()
const switchTo = (
  at: number,
  from: 'python' | 'java',
  to: 'python' | 'java',
): TimelineEventRecord => ({
  id: at,
  at,
  event: { kind: 'language', participantId: 'p', role: 'candidate', from, to },
})

describe('summarize', () => {
  it('has no duration or time per language before the candidate entered', () => {
    const summary = summarize({
      interview: { language: 'python', startedAt: null, endedAt: null },
      events: [],
      runs: [],
      now: t0,
    })
    expect(summary).toMatchObject({ durationMs: null, timeToFirstRunMs: null, runs: 0 })
    expect(summary.timePerLanguage).toEqual([])
  })

  it('splits the time at each switch, and counts a switch before the start as the first language', () => {
    const summary = summarize({
      interview: { language: 'java', startedAt: iso(t0), endedAt: iso(t0 + 60_000) },
      // The interviewer picked Python before the candidate came in, then the candidate went to
      // Java at 10 s, back to Python at 40 s, and to Java again at 50 s.
      events: [
        switchTo(t0 - 5_000, 'java', 'python'),
        switchTo(t0 + 10_000, 'python', 'java'),
        switchTo(t0 + 40_000, 'java', 'python'),
        switchTo(t0 + 50_000, 'python', 'java'),
      ],
      runs: [],
      now: t0 + 999_999,
    })
    expect(summary.durationMs).toBe(60_000)
    expect(summary.timePerLanguage).toEqual([
      { language: 'python', ms: 20_000 },
      { language: 'java', ms: 40_000 },
    ])
  })

  it('counts the signals on the timeline by kind, and the reports the rate limit refused', () => {
    const signal = (at: number, detail: SignalDetail): TimelineEventRecord => ({
      id: at,
      at,
      event: { kind: 'signal', participantId: 'p', role: 'candidate', name: 'Grace', detail },
    })
    const summary = summarize({
      interview: { language: 'python', startedAt: iso(t0), endedAt: null },
      events: [
        signal(t0 + 1, { kind: 'paste', chars: 10, lines: 1, path: 'a/solution.py', line: 1 }),
        signal(t0 + 2, { kind: 'focus', state: 'lost' }),
        signal(t0 + 3, { kind: 'focus', state: 'regained' }),
        signal(t0 + 4, {
          kind: 'largeInsert',
          chars: 900,
          lines: 30,
          path: 'a/solution.py',
          line: 2,
          via: 'edit',
        }),
        signal(t0 + 5, { kind: 'dropped', count: 17 }),
      ],
      runs: [],
      now: t0 + 10_000,
    })
    expect(summary.signals).toEqual({ pastes: 1, focusLosses: 1, largeInserts: 1, dropped: 17 })
  })
})
