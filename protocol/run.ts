/**
 * The run channel: what a run is, the events it streams, and the job the server hands the
 * runner. Every run streams ordered events (rising `seq`) that end in exactly one `exit`.
 *
 *   queued → stage(preparing) → [stage(compiling)] → stage(running) → test × N → exit
 *
 * A run that fails before its tests (compile error, internal error) goes straight to `exit`.
 */
import type { Problem, TestInput } from './challenge.ts'
import type { LanguageId, LanguageLimits } from './languages.ts'
import type { TestVerdict, Verdict } from './verdicts.ts'

export type RunMode = 'tests' | 'custom'
export type RunStage = 'preparing' | 'compiling' | 'running'
export type Role = 'interviewer' | 'candidate'

/** Somebody in a room, as others see them. */
export interface Participant {
  participantId: string
  name: string
  role: Role
}

/** One test's outcome. Candidates receive hidden tests reduced to `redactHiddenResult`'s shape. */
export interface TestResult {
  testId: string
  /** 0-based position in the run. */
  index: number
  name: string
  hidden: boolean
  verdict: TestVerdict
  /** Wall time of this test inside the sandbox, ms; null when it did not run or is redacted. */
  durationMs: number | null
  /** Display form of the input: `nums = [2,7], target = 9`, or the stdin text. */
  input?: string
  /** Display form of the expected value (JSON) or stdout. Absent for custom runs. */
  expected?: string
  /** Display form of what the candidate's code returned or printed. */
  actual?: string
  /** The judge's note on the first difference, e.g. `at [3]: expected 5, got 4`. */
  mismatch?: string
  /** Console output (stdout and stderr, interleaved) printed while this test ran, capped. */
  stdout?: string
  /** Runtime error with a stack trace whose line numbers point into the candidate's file. */
  error?: { message: string; stack?: string }
}

export interface RunSummary {
  verdict: Verdict
  passed: number
  total: number
  /** Wall time from the start of preparation to the end, ms. */
  durationMs: number
  /** Compiler diagnostics (errors, or warnings on success), in the candidate's line numbers. */
  compileOutput?: string
  /** Human sentence shown above the results, e.g. "Time limit exceeded on test 3". */
  message: string
  /**
   * Console output printed outside any test (before the first, between two, after the last),
   * capped, by the process that ran the visible tests. It belongs to no test.
   */
  outsideOutput?: string
  /** The same from the process that ran the hidden tests: interviewers only, never candidates. */
  hiddenOutsideOutput?: string
}

/** What everyone in the room learns about a run when it is queued. */
export interface RunInfo {
  runId: string
  interviewId: string
  language: LanguageId
  mode: RunMode
  requestedBy: { participantId: string; name: string; role: Role }
  /** ISO 8601. */
  createdAt: string
  tests: { id: string; name: string; hidden: boolean }[]
  limits: LanguageLimits
}

export type RunEventBody =
  | { type: 'queued'; run: RunInfo; position: number }
  | { type: 'stage'; stage: RunStage }
  | { type: 'test'; result: TestResult }
  | { type: 'exit'; summary: RunSummary }

export type RunEvent = { runId: string; seq: number } & RunEventBody

/** The candidate's view of a hidden test: its position and whether it passed, nothing else. */
export function redactHiddenResult(result: TestResult): TestResult {
  if (!result.hidden) return result
  return {
    testId: result.testId,
    index: result.index,
    name: hiddenTestName(result.index),
    hidden: true,
    verdict:
      result.verdict === 'passed' ? 'passed' : result.verdict === 'skipped' ? 'skipped' : 'failed',
    durationMs: null,
  }
}

export function hiddenTestName(index: number): string {
  return `Hidden test ${index + 1}`
}

/** One test as the runner receives it. `expected` never enters the sandbox box or isolate. */
export interface JobTest {
  id: string
  name: string
  hidden: boolean
  input: TestInput
  /** JSON value (function style) or stdout text (stdio style); null in custom runs. */
  expected: unknown
}

/** Everything the runner needs for one run; plain data, so it can cross a process or a queue. */
export interface RunJob {
  runId: string
  language: LanguageId
  mode: RunMode
  /** The candidate's source: one file for now, several for multi-file projects later. */
  files: { path: string; content: string }[]
  /** Path (within `files`) of the file holding the solution. */
  entry: string
  problem: Problem
  tests: JobTest[]
  limits: LanguageLimits
}

/** What a runner streams for one job; the server adds runId and seq. */
export type RunnerEvent =
  | { type: 'queued'; position: number }
  | { type: 'stage'; stage: RunStage }
  | { type: 'test'; result: TestResult }
  | { type: 'exit'; summary: RunSummary }
