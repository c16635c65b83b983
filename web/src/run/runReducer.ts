/**
 * The run state of a room as one pure reducer over the server's `RunEvent` stream. Interviewer
 * and candidate fold the same events (`run:history` on join, then every `run:event`) through it,
 * so both screens show the same results; only the server's redaction of hidden tests differs.
 */
import type { RunEvent, RunInfo, RunStage, RunSummary, TestResult } from '../../../protocol/run.ts'

/** Where a run is: the server's stages, plus before (queued) and after (finished). */
export type RunPhase = 'queued' | RunStage | 'finished'

/** One row of the results table: known from the run's test list, filled when its event arrives. */
export interface TestRow {
  testId: string
  /** 0-based position in the run. */
  index: number
  name: string
  hidden: boolean
  /** Null until this test's `test` event arrives (or for good, if the run ended before it). */
  result: TestResult | null
}

export interface RunView {
  runId: string
  /** From the `queued` event; null when this client joined after it and history lacked it. */
  info: RunInfo | null
  phase: RunPhase
  /** Position in the server's queue while queued (0 = next). */
  queuePosition: number | null
  /** Ordered by index. */
  tests: TestRow[]
  summary: RunSummary | null
  /** Highest seq applied; events at or below it are duplicates (e.g. history replayed). */
  lastSeq: number
}

export interface RunState {
  /** The latest run in the room, or null before the first one. */
  run: RunView | null
}

export type RunAction =
  /** `run:history`: the latest run's events so far; replaces whatever was shown. */
  | { type: 'history'; events: readonly RunEvent[] }
  /** `run:event`: one more event, of the current run or of a new one. */
  | { type: 'event'; event: RunEvent }

export const initialRunState: RunState = { run: null }

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'history':
      return action.events.reduce(applyEvent, initialRunState)
    case 'event':
      return applyEvent(state, action.event)
  }
}

function applyEvent(state: RunState, event: RunEvent): RunState {
  const current = state.run
  // Runs in a room are sequential (the server refuses a second one while one is in flight), so a
  // new runId means a new run, even when its `queued` event was missed.
  const run = current?.runId === event.runId ? current : emptyRun(event.runId)
  if (event.seq <= run.lastSeq) return state
  const next = applyToRun(run, event)
  return { run: { ...next, lastSeq: event.seq } }
}

function emptyRun(runId: string): RunView {
  return {
    runId,
    info: null,
    phase: 'queued',
    queuePosition: null,
    tests: [],
    summary: null,
    lastSeq: -Infinity,
  }
}

function applyToRun(run: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'queued':
      return {
        ...run,
        info: event.run,
        phase: 'queued',
        queuePosition: event.position,
        tests: mergeTestList(run.tests, event.run.tests),
      }
    case 'stage':
      return { ...run, phase: event.stage, queuePosition: null }
    case 'test':
      return {
        ...run,
        phase: 'running',
        queuePosition: null,
        tests: placeResult(run.tests, event.result),
      }
    case 'exit':
      return { ...run, phase: 'finished', queuePosition: null, summary: event.summary }
  }
}

function mergeTestList(rows: readonly TestRow[], tests: RunInfo['tests']): TestRow[] {
  const merged = tests.map((test, index) => ({
    testId: test.id,
    index,
    name: test.name,
    hidden: test.hidden,
    result: rows.find((row) => row.testId === test.id)?.result ?? null,
  }))
  return sortRows([...merged, ...rows.filter((row) => !tests.some((t) => t.id === row.testId))])
}

function placeResult(rows: readonly TestRow[], result: TestResult): TestRow[] {
  const row: TestRow = {
    testId: result.testId,
    index: result.index,
    name: result.name,
    hidden: result.hidden,
    result,
  }
  const at = rows.findIndex((r) => r.testId === result.testId)
  if (at === -1) return sortRows([...rows, row])
  return rows.map((r, i) => (i === at ? row : r))
}

function sortRows(rows: TestRow[]): TestRow[] {
  return rows.sort((a, b) => a.index - b.index)
}

/** True while a run is queued or running; the Run button waits for its `exit`. */
export function isRunInFlight(state: RunState): boolean {
  return state.run !== null && state.run.phase !== 'finished'
}

/**
 * The id of the room's run in flight as this browser knows it, or null: the folded run until
 * its `exit`, else the run the room state named when we joined, unless that run has since
 * exited here. (The room state is not sent again when a run ends, so on its own it would say
 * "in flight" for ever to whoever joined during a run.)
 */
export function runInFlight(state: RunState, activeRun: RunInfo | null): string | null {
  const { run } = state
  if (run !== null && run.phase !== 'finished') return run.runId
  if (activeRun === null || run?.runId === activeRun.runId) return null
  return activeRun.runId
}

/** What a test without a result shows once its run is over: cancelled with the run, or not run. */
export function unrunVerdict(run: RunView): 'cancelled' | 'skipped' {
  return run.summary?.verdict === 'cancelled' ? 'cancelled' : 'skipped'
}

/** Tests that have a result so far, and how many of them passed. */
export function runProgress(run: RunView): { done: number; passed: number; total: number } {
  let done = 0
  let passed = 0
  for (const row of run.tests) {
    if (row.result === null) continue
    done++
    if (row.result.verdict === 'passed') passed++
  }
  return { done, passed, total: run.summary?.total ?? run.tests.length }
}

/** The console tab: each test's output under its name, in order; empty when nothing printed. */
export function consoleLines(run: RunView): { title: string; text: string }[] {
  const blocks: { title: string; text: string }[] = []
  if (run.summary?.compileOutput) {
    blocks.push({ title: 'Compiler', text: run.summary.compileOutput })
  }
  for (const row of run.tests) {
    const text = row.result?.stdout
    if (text) blocks.push({ title: row.name, text })
  }
  // Printed while no test ran; the hidden tests' part reaches interviewers only.
  if (run.summary?.outsideOutput) {
    blocks.push({ title: 'Outside tests', text: run.summary.outsideOutput })
  }
  if (run.summary?.hiddenOutsideOutput) {
    blocks.push({ title: 'Outside tests (hidden tests)', text: run.summary.hiddenOutsideOutput })
  }
  return blocks
}
