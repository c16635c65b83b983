/**
 * What a challenge kind's JavaScript part (`sandbox/kinds/<kind>/js.ts`) may do with one run in
 * the isolate. The engine (JsRun) owns the isolate, the limits and the result stream; the kind
 * decides how its tests drive the prelude's harness, what the prelude is told, and how a finished
 * test is judged. Types only: the kinds import this file, the engine implements it.
 */
import type { Problem } from '../../protocol/challenge.ts'
import type { JobTest } from '../../protocol/run.ts'
import type { Verdict } from '../../protocol/verdicts.ts'
import type { Judgement } from '../judge.ts'

/** The verdicts that end a whole run, not just its test. */
export type Fatal = Extract<
  Verdict,
  'timeout' | 'memory_limit' | 'output_limit' | 'cancelled' | 'internal_error'
>

/** How one test, or the loading of the code, ended. */
export type Outcome =
  | { kind: 'value'; json: string }
  | { kind: 'done' }
  | { kind: 'error'; message: string; stack: string }
  | { kind: 'fatal'; verdict: Fatal; message: string }

/** One test's outcome with what it printed and how long it took. */
export interface Measured {
  outcome: Outcome
  /** Wall time, ms. */
  durationMs: number
  /** stdout and stderr, interleaved. */
  console: string
  stdout: string
  /** The first failed console.assert, if any. */
  assertion: string | undefined
}

/** A test's arguments as JSON and its display strings, computed once per test and problem. */
export interface DerivedStrings {
  /** The arguments the harness's `call` receives, JSON ('[]' for kinds that pass none). */
  argsJson: string
  input: string | undefined
  expected: string
}

export interface DerivedTest extends DerivedStrings {
  /** What the strings were computed from (the kind and its parameter names): see `deriveKey`. */
  key: string
}

/** A fresh context with the prelude installed, and its harness. */
export interface Harness {
  /** Runs the candidate's top level in this context; its exceptions become the outcome. */
  runScript(deadline: number): Promise<void>
  /** Calls the harness with `args` (find, call, drive), polling while it answers pending. */
  ask(args: string[], deadline: number): Promise<Outcome>
  release(): void
}

/** The engine's side of a run, as a kind's test loop sees it. */
export interface IsolateSession {
  readonly tests: readonly JobTest[]
  /** Whether a limit, a cancel or the isolate's death has ended the run. */
  stopped(): boolean
  /** A fresh context for `stdin` (null: none); undefined when the run stopped meanwhile. */
  openHarness(stdin: string | null): Promise<Harness | undefined>
  /** Runs one test's work under its limits; `carried` opens its record with earlier output. */
  measure(work: (deadline: number) => Promise<Outcome>, carried?: Measured): Promise<Measured>
  /** The test's derived strings (cached across runs). */
  derived(test: JobTest): DerivedTest
  /** Judges and streams one test's result. */
  finish(test: JobTest, index: number, measured: Measured): void
  /** The code failed to load and there was no test to report it on. */
  failLoad(outcome: Outcome): void
  /** Streams every test from `index` on as skipped. */
  skipFrom(index: number): void
}

/** What a finished test left for its kind to judge. */
export type Produced =
  | { kind: 'value'; value: unknown; json: string }
  | { kind: 'done'; stdout: string }
  | { kind: 'error'; stdout: string }

/** A kind's judgement of one test: what the candidate's code produced, shown, and whether it passed. */
export interface Judged {
  actual?: string
  /** Absent: nothing to judge (custom runs, or an outcome this kind does not judge). */
  judgement?: Judgement
}

/** What a challenge kind brings to the JavaScript engine. */
export interface JsKindPart<P extends Problem> {
  /** The prelude's `fn` setting: the function the harness calls, or null (a whole program). */
  harnessFunction(problem: P): string | null
  /** Whether `process.exit(n)` ends the candidate's program (0: a normal end) rather than failing. */
  exitEndsProgram: boolean
  /** Runs every test of the job, each through `session.finish`. */
  runTests(session: IsolateSession, problem: P): Promise<void>
  /** What a test's derived strings depend on besides the test; equal keys share the strings. */
  deriveKey(problem: P): string
  derive(problem: P, test: JobTest): DerivedStrings
  judge(input: { problem: P; test: JobTest; produced: Produced; custom: boolean }): Judged
}
