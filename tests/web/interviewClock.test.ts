/**
 * The interview clock everyone sees (issue 9, live controls): elapsed time since the candidate
 * first entered, against the planned length chosen at creation, with a 5-minute warning.
 */
import { describe, expect, it } from 'vitest'
import { clockView, formatDuration } from '../../web/src/room/interviewClock.ts'

const start = Date.parse('2026-12-04T10:00:00.000Z')
const at = (minutes: number, seconds = 0): number => start + minutes * 60_000 + seconds * 1000
const running = { plannedMinutes: 45, startedAt: '2026-12-04T10:00:00.000Z', endedAt: null }

describe('the interview clock', () => {
  it('waits for the candidate before it starts', () => {
    expect(clockView({ plannedMinutes: 45, startedAt: null, endedAt: null }, at(3))).toEqual({
      text: 'Starts when the candidate joins · 45:00',
      phase: 'notStarted',
    })
  })

  it('counts the time since the candidate entered against the plan', () => {
    expect(clockView(running, at(12, 7))).toEqual({ text: '12:07 / 45:00', phase: 'running' })
  })

  it('warns in the last five minutes, and says when the plan is over', () => {
    expect(clockView(running, at(39, 59)).phase).toBe('running')
    expect(clockView(running, at(40))).toEqual({
      text: '40:00 / 45:00 · 5 min left',
      phase: 'warning',
    })
    expect(clockView(running, at(44, 30)).text).toBe('44:30 / 45:00 · 1 min left')
    expect(clockView(running, at(46))).toEqual({
      text: '46:00 / 45:00 · over time',
      phase: 'over',
    })
  })

  it('stops at the end and says how long it took', () => {
    const ended = { ...running, endedAt: '2026-12-04T10:42:10.000Z' }
    expect(clockView(ended, at(90))).toEqual({ text: 'Took 42:10 · 45:00', phase: 'ended' })
  })

  it('writes hours when there are any', () => {
    expect(formatDuration(65 * 60_000 + 3000)).toBe('1:05:03')
    expect(formatDuration(9 * 1000)).toBe('0:09')
  })
})
