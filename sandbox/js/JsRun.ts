/**
 * One JavaScript/TypeScript run: load the candidate's code into a fresh context, run each test
 * through the prelude's harness, judge on the host, stream each result.
 *
 *   function style   one context; the top level runs once (its output and console.assert count
 *                    toward test 1), then each test calls the function with its arguments
 *   stdio style      a fresh context per test: the program runs top to bottom on that stdin
 *
 * Limits are verdicts. Each test has a wall-clock watchdog on the host that disposes the isolate
 * (isolated-vm's own `timeout` covers neither promises nor the time between calls) and a CPU
 * budget checked from the isolate's CPU clock. A timeout, a memory or output limit, a cancel
 * or the isolate's death ends the run and the remaining tests are `skipped`; an exception thrown
 * by the candidate only fails its test.
 */
import { Buffer } from 'node:buffer'
import ivm from 'isolated-vm'
import type { TraceMap } from '@jridgewell/trace-mapping'
import type { FunctionProblem, Problem } from '../../protocol/challenge.ts'
import { sourceTooLargeMessage } from '../../protocol/languages.ts'
import {
  cancelledMessage,
  clip,
  type JobTest,
  type RunJob,
  type RunSummary,
  type TestResult,
} from '../../protocol/run.ts'
import type { Verdict } from '../../protocol/verdicts.ts'
import type { EngineRun, SandboxLog } from '../Engine.ts'
import {
  displayArgs,
  displayCap,
  displayText,
  displayValue,
  parseCandidateValue,
  type Judgement,
} from '../judge.ts'
import { judgeReturnValue } from '../kinds/function/judge.ts'
import { judgeStdout } from '../kinds/stdio/judge.ts'
import { mapStack, syntaxErrorDiagnostic, formatDiagnostic } from './diagnostics.ts'
import { dispose, type IsolateLease, type IsolatePool } from './IsolatePool.ts'
import type { PreludeSettings } from './prelude.ts'
import { summarize } from '../summarize.ts'
import { needsTranspile, TranspileTimeoutError, type Transpiler } from './Transpiler.ts'

export interface JsRunOptions extends EngineRun {
  pool: IsolatePool
  transpiler: Transpiler
  log: SandboxLog
  /** Work derived from each test, kept across runs (see TestStore: same test, same object). */
  derived: WeakMap<JobTest, DerivedTest>
}

/** A test's arguments as JSON and its display strings, computed once per test and problem. */
export interface DerivedTest {
  /** The problem's parameter names and style it was computed for. */
  key: string
  argsJson: string
  input: string | undefined
  expected: string
}

/** Largest return value sent back to be judged, JSON characters. */
const resultCap = 8 * 1024 * 1024
/** Wall-clock cap on the harness's own setup calls (context, prelude), ms. */
const setupTimeoutMs = 5_000
/** Default compile (transpile) cap when the job's limits set none, ms. */
const defaultCompileTimeMs = 5_000

type Fatal = Extract<
  Verdict,
  'timeout' | 'memory_limit' | 'output_limit' | 'cancelled' | 'internal_error'
>

/** How one test, or the loading of the code, ended. */
type Outcome =
  | { kind: 'value'; json: string }
  | { kind: 'done' }
  | { kind: 'error'; message: string; stack: string }
  | { kind: 'fatal'; verdict: Fatal; message: string }

/**
 * The harness answers with one string whose first character says what it is:
 * V<json> a return value · E<n>:<message><stack> an exception · X<message> a problem loading
 * the solution · P pending (poll again) · N a promise that can never settle · D stdio finished.
 */
type HarnessAnswer =
  | { code: 'V'; json: string }
  | { code: 'E'; message: string; stack: string }
  | { code: 'X'; message: string }
  /** The return value's JSON is longer than resultCap (its length follows). */
  | { code: 'L' }
  | { code: 'P' | 'N' | 'D' }

class Tripped extends Error {}

export class JsRun {
  private readonly job: RunJob
  private readonly options: JsRunOptions
  private readonly filename: string
  private readonly started = performance.now()
  private readonly results: TestResult[] = []

  private lease: IsolateLease | undefined
  private map: TraceMap | undefined
  private fatal: { verdict: Fatal; message: string } | undefined
  private catastrophe = false
  /** Why the code did not load, when there was no test to report it on. */
  private loadFailure: { verdict: Verdict; message: string } | undefined
  private readonly tripped: Promise<typeof Tripped>
  private wake: () => void = () => {}

  // Console output of the test that is running (see onOutput).
  private accepting = false
  private consoleText = ''
  private stdoutText = ''
  private outputUsed = 0
  private assertion: string | undefined

  constructor(options: JsRunOptions) {
    this.options = options
    this.job = options.job
    this.filename = candidateFilename(this.job)
    this.tripped = new Promise((resolve) => {
      this.wake = () => {
        resolve(Tripped)
      }
    })
  }

  async execute(): Promise<RunSummary> {
    const { job, signal } = this.options
    const onAbort = (): void => {
      this.trip('cancelled', cancelledMessage)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    this.options.emit({ type: 'stage', stage: 'preparing' })
    try {
      if (signal.aborted) this.trip('cancelled', cancelledMessage)
      const prepared = await this.prepare()
      if (prepared.kind === 'compile_error') return this.summary(prepared.compileOutput)
      if (this.fatal !== undefined) return this.summary()
      this.lease = await this.options.pool.acquire(job.limits.memoryMb)
      this.lease.onCatastrophe = (message) => {
        this.catastrophe = true
        this.trip(
          /memory/i.test(message) ? 'memory_limit' : 'timeout',
          `The isolate failed: ${message}`,
        )
      }
      let script: ivm.Script | string
      try {
        script = await this.compile(this.lease, prepared.code)
      } catch (error) {
        // Cancelled meanwhile: the isolate is gone, and that is not the engine failing.
        if (this.stopped()) return this.summary()
        throw error
      }
      if (typeof script === 'string') return this.summary(script)
      this.options.emit({ type: 'stage', stage: 'running' })
      try {
        if (job.problem.style === 'function') await this.runFunctionTests(job.problem, script)
        else await this.runStdioTests(job.problem, script)
      } finally {
        releaseScript(script)
      }
      return this.summary()
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.accepting = false
      if (this.lease !== undefined) {
        this.options.pool.release(this.lease, this.fatal === undefined && !this.catastrophe)
      }
    }
  }

  // ---- Preparation ---------------------------------------------------------------------

  private async prepare(): Promise<
    { kind: 'code'; code: string } | { kind: 'compile_error'; compileOutput: string }
  > {
    const { job } = this
    const file = job.files.find((f) => f.path === job.entry)
    if (file === undefined) throw new Error(`The job has no file "${job.entry}"`)
    const source = file.content
    const bytes = Buffer.byteLength(source)
    if (bytes > job.limits.sourceBytes) {
      return {
        kind: 'compile_error',
        compileOutput: sourceTooLargeMessage(bytes, job.limits.sourceBytes),
      }
    }
    const loader = job.language === 'typescript' ? 'ts' : 'js'
    if (!needsTranspile(loader, source)) return { kind: 'code', code: source + '\n;void 0' }
    this.options.emit({ type: 'stage', stage: 'compiling' })
    const timeoutMs = job.limits.compileTimeMs ?? defaultCompileTimeMs
    try {
      const result = await this.options.transpiler.transpile({
        source,
        loader,
        filename: this.filename,
        timeoutMs,
      })
      if (!result.ok) return { kind: 'compile_error', compileOutput: result.compileOutput }
      this.map = result.map()
      // The completion value of the script is never wanted; this keeps it from being copied.
      return { kind: 'code', code: result.code + '\n;void 0' }
    } catch (error) {
      if (!(error instanceof TranspileTimeoutError)) throw error
      return { kind: 'compile_error', compileOutput: `${this.filename}: error: ${error.message}` }
    }
  }

  /** The candidate's script, compiled in the isolate; a string is a compile error to report. */
  private async compile(lease: IsolateLease, code: string): Promise<ivm.Script | string> {
    try {
      return await lease.isolate.compileScript(code, { filename: this.filename })
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error
      const file = this.job.files.find((f) => f.path === this.job.entry)
      return formatDiagnostic(
        syntaxErrorDiagnostic({
          message: error.message,
          source: file?.content ?? '',
          filename: this.filename,
          map: this.map,
        }),
      )
    }
  }

  /** A fresh context with the prelude installed; returns the harness function. */
  private async newContext(
    lease: IsolateLease,
    settings: PreludeSettings,
  ): Promise<{ context: ivm.Context; harness: ivm.Reference }> {
    const context = await lease.isolate.createContext()
    try {
      const install = await lease.prelude.run(context, {
        reference: true,
        timeout: setupTimeoutMs,
      })
      const send = new ivm.Callback(
        (kind: unknown, text: unknown) => {
          this.onOutput(kind, text)
        },
        { ignored: true },
      )
      const harness = (await install.apply(undefined, [send, JSON.stringify(settings)], {
        result: { reference: true },
        timeout: setupTimeoutMs,
      })) as ivm.Reference
      install.release()
      return { context, harness }
    } catch (error) {
      context.release()
      throw error
    }
  }

  private settings(stdin: string | null): PreludeSettings {
    const problem = this.job.problem
    return {
      fn: problem.style === 'function' ? problem.signature.function : null,
      stdin,
      // What is left of the run's budget: stdio tests each get a context of their own.
      outputCap: Math.max(0, this.job.limits.outputBytes - this.outputUsed),
      resultCap,
    }
  }

  // ---- Tests ---------------------------------------------------------------------------

  private async runFunctionTests(problem: FunctionProblem, script: ivm.Script): Promise<void> {
    const lease = this.requireLease()
    const { tests } = this.job
    let context: { context: ivm.Context; harness: ivm.Reference }
    try {
      context = await this.newContext(lease, this.settings(null))
    } catch (error) {
      if (this.stopped()) return this.skipFrom(0)
      throw error
    }
    try {
      // The top level runs once; what it prints (or asserts) belongs to the first test.
      const load = await this.measure(async (deadline) => {
        await this.runScript(script, context.context, deadline)
        const found = parseAnswer(await this.call(context.harness, ['find'], deadline))
        return found.code === 'X' ? this.xError(found.message) : { kind: 'done' }
      })
      if (load.outcome.kind !== 'done') {
        const first = tests[0]
        if (first !== undefined) this.finishTest(first, 0, load, problem)
        else this.loadFailure = describeLoadFailure(load.outcome)
        return this.skipFrom(1)
      }
      for (let index = 0; index < tests.length; index++) {
        const test = tests[index]
        if (test === undefined) continue
        if (this.fatal !== undefined) return this.skipFrom(index)
        const { argsJson } = this.derive(test, problem)
        const measured = await this.measure(
          async (deadline) => {
            let answer = parseAnswer(await this.call(context.harness, ['call', argsJson], deadline))
            while (answer.code === 'P') {
              answer = parseAnswer(await this.call(context.harness, ['poll'], deadline))
            }
            return this.outcomeOf(answer)
          },
          // The load's console output and assertions open the first test's record.
          index === 0 ? load : undefined,
        )
        this.finishTest(test, index, measured, problem)
        if (measured.outcome.kind === 'fatal') return this.skipFrom(index + 1)
      }
    } finally {
      release(context)
    }
  }

  private async runStdioTests(problem: Problem, script: ivm.Script): Promise<void> {
    const lease = this.requireLease()
    const { tests } = this.job
    for (let index = 0; index < tests.length; index++) {
      const test = tests[index]
      if (test === undefined) continue
      if (this.fatal !== undefined) return this.skipFrom(index)
      const stdin = 'stdin' in test.input ? test.input.stdin : ''
      let context: { context: ivm.Context; harness: ivm.Reference }
      try {
        context = await this.newContext(lease, this.settings(stdin))
      } catch (error) {
        if (this.stopped()) return this.skipFrom(index)
        throw error
      }
      try {
        const measured = await this.measure(async (deadline) => {
          await this.runScript(script, context.context, deadline)
          let answer = parseAnswer(await this.call(context.harness, ['drive'], deadline))
          while (answer.code === 'P') {
            answer = parseAnswer(await this.call(context.harness, ['poll'], deadline))
          }
          return this.outcomeOf(answer)
        })
        this.finishTest(test, index, measured, problem)
        if (measured.outcome.kind === 'fatal') return this.skipFrom(index + 1)
      } finally {
        release(context)
      }
    }
  }

  /**
   * Runs one test's work under its limits: the wall-clock watchdog, the per-call ivm timeout,
   * and the CPU budget. Output sent meanwhile is collected for the test.
   */
  private async measure(
    work: (deadline: number) => Promise<Outcome>,
    carried?: Measured,
  ): Promise<Measured> {
    const lease = this.requireLease()
    const { wallTimeMs, cpuTimeMs } = this.job.limits
    this.consoleText = carried?.console ?? ''
    this.stdoutText = carried?.stdout ?? ''
    this.assertion = carried?.assertion
    this.accepting = true
    const begin = performance.now()
    const cpuBegin = cpuTimeNs(lease)
    const deadline = begin + wallTimeMs
    const watchdog = setTimeout(() => {
      this.trip('timeout', `Time limit exceeded (${wallTimeMs} ms of wall-clock time)`)
    }, wallTimeMs)
    // The CPU budget is enforced while the test runs, not only after it: an infinite loop used
    // to run on to the wall limit (5 s) before its CPU (2 s) was looked at. CPU time never runs
    // ahead of the wall clock, so the check waits for the budget's remainder each time: a few
    // wake-ups per test at most, and none before the budget could be spent.
    let cpuWatch: NodeJS.Timeout | undefined
    const watchCpu = (): void => {
      const usedMs = (cpuTimeNs(lease) - cpuBegin) / 1e6
      if (usedMs >= cpuTimeMs) {
        this.trip('timeout', `Time limit exceeded (${cpuTimeMs} ms of CPU time)`)
        return
      }
      cpuWatch = setTimeout(watchCpu, Math.max(1, Math.ceil(cpuTimeMs - usedMs)))
    }
    cpuWatch = setTimeout(watchCpu, cpuTimeMs)
    let outcome: Outcome
    try {
      outcome = await work(deadline)
    } catch (error) {
      outcome = this.failure(error)
    } finally {
      clearTimeout(watchdog)
      clearTimeout(cpuWatch)
    }
    const durationMs = Math.round((performance.now() - begin) * 100) / 100
    const cpuMs = (cpuTimeNs(lease) - cpuBegin) / 1e6
    if (outcome.kind !== 'fatal' && cpuMs > cpuTimeMs) {
      this.trip('timeout', `Time limit exceeded (${cpuTimeMs} ms of CPU time)`)
      outcome = this.fatalOutcome()
    }
    // Output the isolate sent just before it was stopped may still be queued on this thread.
    if (outcome.kind === 'fatal') await new Promise((resolve) => setImmediate(resolve))
    this.accepting = false
    return {
      outcome,
      durationMs,
      console: this.consoleText,
      stdout: this.stdoutText,
      assertion: this.assertion,
    }
  }

  /** Runs the candidate's top level in `context`. Its exceptions propagate (see failure). */
  private async runScript(script: ivm.Script, context: ivm.Context, deadline: number) {
    const timeout = Math.max(1, Math.ceil(deadline - performance.now()))
    const pending: Promise<unknown> = script.run(context, { timeout })
    pending.catch(() => {})
    const result = await Promise.race([pending, this.tripped])
    if (result === Tripped) throw new Tripped()
  }

  /** Calls the harness, racing the watchdog; the answer is the harness's result string. */
  private async call(harness: ivm.Reference, args: string[], deadline: number): Promise<string> {
    if (this.fatal !== undefined) throw new Tripped()
    const timeout = Math.max(1, Math.ceil(deadline - performance.now()))
    const pending = harness.apply(undefined, args, { timeout }) as Promise<unknown>
    pending.catch(() => {})
    const result = await Promise.race([pending, this.tripped])
    if (result === Tripped) throw new Tripped()
    return typeof result === 'string' ? result : ''
  }

  private outcomeOf(answer: HarnessAnswer): Outcome {
    switch (answer.code) {
      case 'V':
        return { kind: 'value', json: answer.json }
      case 'D':
        return { kind: 'done' }
      case 'E':
        return (
          this.exitOutcome(answer.message) ??
          this.allocationOutcome(answer.message) ?? {
            kind: 'error',
            message: answer.message,
            stack: answer.stack,
          }
        )
      case 'X':
        return this.xError(answer.message)
      case 'L':
        // As in the box engines: an answer too big to judge ends the run like too much output.
        return this.tripOutcome(
          'output_limit',
          `Output limit exceeded: the return value is larger than ${resultCap >> 20} MiB as JSON`,
        )
      case 'N':
        return this.tripOutcome(
          'timeout',
          'The returned promise never settled: nothing was left to run that could settle it.',
        )
      case 'P':
        return { kind: 'error', message: 'Error: the harness stopped early', stack: '' }
    }
  }

  /**
   * Stdio programs: the prelude's process.exit(n) throws `Error: process.exit(n)` to stop the
   * program. Exit code 0 is a normal end; any other is a runtime error.
   */
  private exitOutcome(message: string): Outcome | undefined {
    if (this.job.problem.style !== 'stdio') return undefined
    const exit = /^Error: process\.exit\((-?\d+)\)$/.exec(message)
    if (exit === null) return undefined
    const code = Number(exit[1])
    return code === 0
      ? { kind: 'done' }
      : { kind: 'error', message: `The program exited with code ${code}`, stack: '' }
  }

  /**
   * V8 refuses an ArrayBuffer or typed array past the isolate's memory limit with a RangeError
   * the code could catch, and the isolate lives on: an uncaught one is the memory limit it is,
   * not a runtime error (issue 13 finding 7). One the code catches stays its own business.
   */
  private allocationOutcome(message: string): Outcome | undefined {
    if (message !== 'RangeError: Array buffer allocation failed') return undefined
    return this.tripOutcome(
      'memory_limit',
      `Memory limit exceeded (${this.job.limits.memoryMb} MB)`,
    )
  }

  private xError(message: string): Outcome {
    return { kind: 'error', message, stack: '' }
  }

  /** Classifies anything a call threw: a limit, the isolate's death, or the candidate's error. */
  private failure(error: unknown): Outcome {
    if (this.fatal !== undefined) return this.fatalOutcome()
    if (error instanceof Error) {
      const lease = this.lease
      const disposed = lease?.isolate.isDisposed === true
      if (error.message === 'Script execution timed out.') {
        return this.tripOutcome(
          'timeout',
          `Time limit exceeded (${this.job.limits.wallTimeMs} ms of wall-clock time)`,
        )
      }
      if (disposed && /memory limit/i.test(error.message)) {
        return this.tripOutcome(
          'memory_limit',
          `Memory limit exceeded (${this.job.limits.memoryMb} MB)`,
        )
      }
      if (disposed || /^Isolate (?:was|is) disposed/.test(error.message)) {
        this.options.log('warn', 'isolate stopped unexpectedly', {
          runId: this.job.runId,
          error: error.message,
        })
        return this.tripOutcome('internal_error', 'The isolate stopped unexpectedly')
      }
      // An exception from the candidate's top level, or a promise rejection nobody handled.
      const header = error.message === '' ? error.name : `${error.name}: ${error.message}`
      return (
        this.exitOutcome(header) ??
        this.allocationOutcome(header) ?? {
          kind: 'error',
          message: header,
          stack: error.stack ?? '',
        }
      )
    }
    return {
      kind: 'error',
      message: `Uncaught ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`,
      stack: '',
    }
  }

  // ---- Results -------------------------------------------------------------------------

  private finishTest(test: JobTest, index: number, measured: Measured, problem: Problem): void {
    const custom = this.job.mode === 'custom'
    const base: TestResult = {
      testId: test.id,
      index,
      name: test.name,
      hidden: test.hidden,
      verdict: 'passed',
      durationMs: measured.durationMs,
    }
    const result: TestResult = { ...base, ...this.display(test, problem) }
    if (measured.console !== '') result.stdout = measured.console
    const { outcome } = measured
    let judgement: Judgement = { passed: true }
    switch (outcome.kind) {
      case 'fatal':
        result.verdict = outcome.verdict
        result.error = { message: outcome.message }
        break
      case 'error': {
        result.verdict = 'runtime_error'
        const stack = mapStack({
          stack: outcome.stack,
          message: outcome.message,
          filename: this.filename,
          map: this.map,
        })
        // A stack without a single frame says nothing the message does not.
        result.error =
          stack === outcome.message
            ? { message: outcome.message }
            : { message: outcome.message, stack }
        break
      }
      case 'value': {
        // The same depth check as the box engines', so a deep value has one verdict everywhere.
        const parsed = parseCandidateValue(outcome.json)
        if (!parsed.ok) {
          result.verdict = 'runtime_error'
          result.error = { message: parsed.message }
          break
        }
        const actual = parsed.value
        result.actual = safeDisplay(actual, outcome.json)
        if (!custom && problem.style === 'function') {
          judgement = safeJudge(() => judgeReturnValue(problem, test.expected, actual))
        }
        break
      }
      case 'done':
        if (problem.style === 'stdio') {
          result.actual = displayText(measured.stdout)
          if (!custom) {
            const expected = typeof test.expected === 'string' ? test.expected : ''
            judgement = safeJudge(() => judgeStdout(problem, expected, measured.stdout))
          }
        }
        break
    }
    // A value too deep to judge has its runtime_error already.
    if ((outcome.kind === 'value' || outcome.kind === 'done') && result.verdict === 'passed') {
      if (!judgement.passed) {
        result.verdict = 'failed'
        if (judgement.mismatch !== undefined) result.mismatch = judgement.mismatch
      } else if (measured.assertion !== undefined) {
        // console.assert failed while the test ran: the test fails even with a right answer.
        result.verdict = 'failed'
        result.mismatch = clip(measured.assertion, 500)
      }
    } else if (outcome.kind === 'error' && problem.style === 'stdio') {
      result.actual = displayText(measured.stdout)
    }
    this.emitResult(result)
  }

  /** Display strings for a test's input and expected output. */
  private display(test: JobTest, problem: Problem): Partial<TestResult> {
    const derived = this.derive(test, problem)
    const shown: Partial<TestResult> = {}
    if (derived.input !== undefined) shown.input = derived.input
    if (this.job.mode !== 'custom') shown.expected = derived.expected
    return shown
  }

  /** The test's derived strings, from the cache when this test object was seen before. */
  private derive(test: JobTest, problem: Problem): DerivedTest {
    const key =
      problem.style === 'function'
        ? `f:${problem.signature.params.map((p) => p.name).join(',')}`
        : 's'
    const cached = this.options.derived.get(test)
    if (cached?.key === key) return cached
    let input: string | undefined
    if ('args' in test.input && problem.style === 'function') {
      input = displayArgs(problem.signature.params, test.input.args)
    } else if ('stdin' in test.input) {
      input = displayText(test.input.stdin)
    }
    const derived: DerivedTest = {
      key,
      argsJson: JSON.stringify('args' in test.input ? test.input.args : []),
      input,
      expected:
        problem.style === 'stdio' && typeof test.expected === 'string'
          ? displayText(test.expected)
          : safeDisplay(test.expected, ''),
    }
    this.options.derived.set(test, derived)
    return derived
  }

  private skipFrom(start: number): void {
    for (let index = start; index < this.job.tests.length; index++) {
      const test = this.job.tests[index]
      if (test === undefined) continue
      this.emitResult({
        testId: test.id,
        index,
        name: test.name,
        hidden: test.hidden,
        verdict: 'skipped',
        durationMs: null,
      })
    }
  }

  private emitResult(result: TestResult): void {
    this.results.push(result)
    this.options.emit({ type: 'test', result })
  }

  private summary(compileOutput?: string): RunSummary {
    return summarize({
      job: this.job,
      results: this.results,
      durationMs: Math.round(performance.now() - this.started),
      compileOutput,
      fatal: this.results.length === 0 ? (this.fatal ?? this.loadFailure) : undefined,
    })
  }

  // ---- Output and limits -----------------------------------------------------------------

  /** Console output from the isolate; `kind` and `text` come from candidate-reachable code. */
  private onOutput(kind: unknown, text: unknown): void {
    if (!this.accepting || typeof kind !== 'string' || typeof text !== 'string') return
    if (kind === 'x') {
      this.trip('output_limit', outputLimitMessage(this.job.limits.outputBytes))
      return
    }
    if (kind === 'a') {
      this.assertion ??= text
      return
    }
    if (kind !== 'o' && kind !== 'e') return
    const cap = this.job.limits.outputBytes
    const bytes = Buffer.byteLength(text)
    if (this.outputUsed + bytes > cap) {
      this.append(kind, utf8Prefix(text, cap - this.outputUsed))
      this.outputUsed = cap
      this.trip('output_limit', outputLimitMessage(cap))
      return
    }
    this.outputUsed += bytes
    this.append(kind, text)
  }

  private append(kind: 'o' | 'e', text: string): void {
    this.consoleText += text
    if (kind === 'o') this.stdoutText += text
  }

  /** Ends the run with a fatal verdict: the isolate is disposed, pending calls lose the race. */
  private trip(verdict: Fatal, message: string): void {
    if (this.fatal !== undefined) return
    this.fatal = { verdict, message }
    if (this.lease !== undefined) dispose(this.lease.isolate)
    this.wake()
  }

  /** Whether the run has been stopped (a method, so narrowing cannot go stale across awaits). */
  private stopped(): boolean {
    return this.fatal !== undefined
  }

  private tripOutcome(verdict: Fatal, message: string): Outcome {
    this.trip(verdict, message)
    return this.fatalOutcome()
  }

  private fatalOutcome(): Outcome {
    const fatal = this.fatal ?? { verdict: 'internal_error', message: 'The run stopped' }
    return { kind: 'fatal', verdict: fatal.verdict, message: fatal.message }
  }

  private requireLease(): IsolateLease {
    if (this.lease === undefined) throw new Error('No isolate is leased')
    return this.lease
  }
}

interface Measured {
  outcome: Outcome
  durationMs: number
  console: string
  stdout: string
  assertion: string | undefined
}

function releaseScript(script: ivm.Script): void {
  try {
    script.release()
  } catch {
    // Released with its isolate.
  }
}

/** Releases a context's handles; a disposed isolate has released them already. */
function release(context: { context: ivm.Context; harness: ivm.Reference }): void {
  try {
    context.harness.release()
    context.context.release()
  } catch {
    // The isolate is gone, and its handles with it.
  }
}

function describeLoadFailure(outcome: Outcome): { verdict: Verdict; message: string } {
  switch (outcome.kind) {
    case 'error':
      return { verdict: 'runtime_error', message: `Runtime error: ${outcome.message}` }
    case 'fatal':
      return { verdict: outcome.verdict, message: outcome.message }
    case 'value':
    case 'done':
      return { verdict: 'passed', message: 'Ran without errors' }
  }
}

function parseAnswer(raw: string): HarnessAnswer {
  const code = raw.charAt(0)
  switch (code) {
    case 'V':
      return { code, json: raw.slice(1) }
    case 'X':
      return { code, message: raw.slice(1) }
    case 'L':
    case 'P':
    case 'N':
    case 'D':
      return { code }
    case 'E': {
      const colon = raw.indexOf(':')
      const length = Number(raw.slice(1, colon))
      if (colon > 1 && Number.isSafeInteger(length)) {
        const message = raw.slice(colon + 1, colon + 1 + length)
        return { code, message, stack: raw.slice(colon + 1 + length) }
      }
    }
  }
  return {
    code: 'X',
    message:
      'The test harness answered something unreadable. Did the code replace built-in objects?',
  }
}

/** displayValue, or the raw JSON clipped when the value is too deep to walk. */
function safeDisplay(value: unknown, fallbackJson: string): string {
  try {
    return displayValue(value)
  } catch {
    return clip(fallbackJson, displayCap)
  }
}

function safeJudge(judge: () => Judgement): Judgement {
  try {
    return judge()
  } catch {
    return { passed: false, mismatch: 'the value is nested too deeply to compare' }
  }
}

function cpuTimeNs(lease: IsolateLease): number {
  try {
    return Number(lease.isolate.cpuTime)
  } catch {
    return 0
  }
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return ''
  const bytes = Buffer.from(text).subarray(0, maxBytes)
  // Drop a trailing partial character rather than print a replacement character.
  return bytes.toString('utf8').replace(/\uFFFD$/, '')
}

function outputLimitMessage(bytes: number): string {
  return `Output limit exceeded (${bytes} bytes of console output)`
}

/** The entry's file name as stack traces show it; only safe characters. */
function candidateFilename(job: RunJob): string {
  const base = job.entry.split('/').pop() ?? ''
  if (/^[A-Za-z0-9._-]{1,100}$/.test(base)) return base
  return job.language === 'typescript' ? 'solution.ts' : 'solution.js'
}
