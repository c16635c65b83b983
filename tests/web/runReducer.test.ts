import { describe, expect, it } from 'vitest'
import {
  cancelledSummary,
  type RunEvent,
  type RunEventBody,
  type RunInfo,
  type TestResult,
} from '../../protocol/run.ts'
import {
  consoleLines,
  initialRunState,
  isRunInFlight,
  runInFlight,
  runProgress,
  runReducer,
  unrunVerdict,
  type RunState,
  type RunView,
} from '../../web/src/run/runReducer.ts'

const limits = {
  cpuTimeMs: 1000,
  wallTimeMs: 2000,
  memoryMb: 128,
  outputBytes: 65536,
  sourceBytes: 262144,
}

function info(runId: string, testCount = 3): RunInfo {
  return {
    runId,
    interviewId: 'i1',
    language: 'python',
    mode: 'tests',
    requestedBy: { participantId: 'p1', name: 'Ada', role: 'candidate' },
    createdAt: '2025-01-01T00:00:00.000Z',
    tests: Array.from({ length: testCount }, (_, i) => ({
      id: `t${i}`,
      name: `test ${i}`,
      hidden: i === testCount - 1,
    })),
    limits,
  }
}

function result(
  index: number,
  verdict: TestResult['verdict'],
  extra: Partial<TestResult> = {},
): TestResult {
  return {
    testId: `t${index}`,
    index,
    name: `test ${index}`,
    hidden: false,
    verdict,
    durationMs: 5,
    ...extra,
  }
}

/** A stream for one run, with seq numbered from 0 as the server does. */
function stream(runId: string, bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, seq) => ({ runId, seq, ...body }))
}

function fold(events: readonly RunEvent[], state: RunState = initialRunState): RunState {
  return events.reduce((s, event) => runReducer(s, { type: 'event', event }), state)
}

function runOf(state: RunState): RunView {
  if (state.run === null) throw new Error('expected a run')
  return state.run
}

const fullRun = stream('r1', [
  { type: 'queued', run: info('r1'), position: 0 },
  { type: 'stage', stage: 'preparing' },
  { type: 'stage', stage: 'running' },
  { type: 'test', result: result(0, 'passed', { stdout: 'hello\n' }) },
  { type: 'test', result: result(1, 'failed', { expected: '[0,1]', actual: '[1,0]' }) },
  { type: 'test', result: result(2, 'passed') },
  {
    type: 'exit',
    summary: {
      verdict: 'failed',
      passed: 2,
      total: 3,
      durationMs: 40,
      message: 'Wrong answer on test 2',
    },
  },
])

describe('run reducer', () => {
  it('lists every test of a queued run as pending before any result arrives', () => {
    const state = fold(fullRun.slice(0, 1))
    expect(state.run?.phase).toBe('queued')
    expect(state.run?.tests.map((row) => [row.name, row.result])).toEqual([
      ['test 0', null],
      ['test 1', null],
      ['test 2', null],
    ])
    expect(isRunInFlight(state)).toBe(true)
  })

  it('fills rows as test events arrive and finishes on exit', () => {
    const midway = fold(fullRun.slice(0, 4))
    expect(midway.run?.phase).toBe('running')
    expect(runProgress(runOf(midway))).toEqual({ done: 1, passed: 1, total: 3 })

    const done = fold(fullRun)
    expect(done.run?.phase).toBe('finished')
    expect(done.run?.summary?.verdict).toBe('failed')
    expect(done.run?.tests.map((row) => row.result?.verdict)).toEqual([
      'passed',
      'failed',
      'passed',
    ])
    expect(isRunInFlight(done)).toBe(false)
  })

  it('gives the same state from history as from the live stream', () => {
    const live = fold(fullRun)
    const late = runReducer(initialRunState, { type: 'history', events: fullRun })
    expect(late).toEqual(live)
  })

  it('ignores events it has already applied, as when history overlaps live events', () => {
    const once = fold(fullRun.slice(0, 5))
    const replayed = fold(fullRun.slice(2, 5), once)
    expect(replayed).toBe(once)
  })

  it('replaces the shown run when a new run is queued', () => {
    const first = fold(fullRun)
    const second = fold(stream('r2', [{ type: 'queued', run: info('r2', 1), position: 2 }]), first)
    expect(second.run?.runId).toBe('r2')
    expect(second.run?.queuePosition).toBe(2)
    expect(second.run?.tests).toHaveLength(1)
    expect(second.run?.summary).toBeNull()
  })

  it('shows a run whose queued event it never saw', () => {
    const events = stream('r3', [
      { type: 'queued', run: info('r3'), position: 0 },
      { type: 'stage', stage: 'running' },
      { type: 'test', result: result(1, 'timeout') },
    ]).slice(1)
    const state = fold(events)
    expect(state.run?.info).toBeNull()
    expect(state.run?.tests.map((row) => row.testId)).toEqual(['t1'])
  })

  it('starts from nothing when history is empty', () => {
    const state = runReducer(fold(fullRun), { type: 'history', events: [] })
    expect(state.run).toBeNull()
  })

  it('collects console output per test, with compiler output first', () => {
    const compiled = fold([
      ...fullRun.slice(0, 6),
      {
        runId: 'r1',
        seq: 6,
        type: 'exit',
        summary: {
          verdict: 'failed',
          passed: 2,
          total: 3,
          durationMs: 40,
          message: 'x',
          compileOutput: 'warning: unused variable',
        },
      },
    ])
    expect(consoleLines(runOf(compiled))).toEqual([
      { title: 'Compiler', text: 'warning: unused variable' },
      { title: 'test 0', text: 'hello\n' },
    ])
  })

  it('lists output printed outside any test apart from every test, after them', () => {
    // Module-level prints used to be shown as test 1's console; they belong to no test.
    const state = fold([
      ...fullRun.slice(0, 6),
      {
        runId: 'r1',
        seq: 6,
        type: 'exit',
        summary: {
          verdict: 'failed',
          passed: 2,
          total: 3,
          durationMs: 40,
          message: 'x',
          outsideOutput: 'loading\n',
          hiddenOutsideOutput: 'loading again\n',
        },
      },
    ])
    expect(consoleLines(runOf(state))).toEqual([
      { title: 'test 0', text: 'hello\n' },
      { title: 'Outside tests', text: 'loading\n' },
      { title: 'Outside tests (hidden tests)', text: 'loading again\n' },
    ])
  })

  it('does not change the state it was given', () => {
    const before = fold(fullRun.slice(0, 3))
    const snapshot = structuredClone(before)
    fold(fullRun.slice(3), before)
    expect(before).toEqual(snapshot)
  })
})

describe('the run in flight', () => {
  it('is the folded run until its exit', () => {
    expect(runInFlight(fold(fullRun.slice(0, 4)), null)).toBe('r1')
    expect(runInFlight(fold(fullRun), null)).toBeNull()
  })

  // Regression: the Run button read `roomState.activeRun`, which the server sends on join and
  // not again when the run ends, so whoever joined during a run had a disabled Run button until
  // the next language switch. The folded stream says when that run has exited.
  it('is the run the room state named on join only until that run exits here', () => {
    const joinedDuring = runReducer(initialRunState, {
      type: 'history',
      events: fullRun.slice(0, 3),
    })
    expect(runInFlight(joinedDuring, info('r1'))).toBe('r1')
    expect(runInFlight(fold(fullRun.slice(3), joinedDuring), info('r1'))).toBeNull()
    // Joined while a run was starting, before any of its events: the room state alone says so.
    expect(runInFlight(initialRunState, info('r2'))).toBe('r2')
  })

  it('leaves the rows a cancel cut off as cancelled, and other unrun rows as not run', () => {
    const cancelled = fold([
      ...fullRun.slice(0, 4),
      { runId: 'r1', seq: 4, type: 'exit', summary: cancelledSummary(3, 1, 20) },
    ])
    expect(runOf(cancelled).tests.map((row) => row.result?.verdict ?? null)).toEqual([
      'passed',
      null,
      null,
    ])
    expect(unrunVerdict(runOf(cancelled))).toBe('cancelled')
    expect(runProgress(runOf(cancelled))).toEqual({ done: 1, passed: 1, total: 3 })
    expect(unrunVerdict(runOf(fold(fullRun)))).toBe('skipped')
  })
})
