/** The report's figures from the timeline (server/report/summarize.ts), without a server. */
import { describe, expect, it } from 'vitest'
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
})
