/**
 * One JavaScript/TypeScript run: load the candidate's code into a fresh context, run each test
 * through the prelude's harness, judge on the host, stream each result. How the tests drive the
 * harness and how each is judged is the challenge kind's (`sandbox/kinds/<kind>/js.ts`, looked
 * up by the problem's style); this file is the part every kind shares: the isolate, the limits,
 * the classification of what came back, the result stream.
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
import type { Problem } from '../../protocol/challenge.ts'
import { sourceTooLargeMessage } from '../../protocol/languages.ts'
import {
  cancelledMessage,
  clip,
  jobSourceBytes,
  type JobTest,
  type RunJob,
  type RunSummary,
  type TestResult,
} from '../../protocol/run.ts'
import type { Verdict } from '../../protocol/verdicts.ts'
import type { EngineRun, SandboxLog } from '../Engine.ts'
import { parseCandidateValue, type Judgement } from '../judge.ts'
import { kindOf } from '../kinds/index.ts'
import type { SandboxKind } from '../kinds/SandboxKind.ts'
import { mapStack, syntaxErrorDiagnostic, formatDiagnostic } from './diagnostics.ts'
import { dispose, type IsolateLease, type IsolatePool } from './IsolatePool.ts'
import { moduleFiles, moduleScript, newModuleKey } from './moduleFiles.ts'
import type { PreludeSettings } from './prelude.ts'
import { summarize } from '../summarize.ts'
import { needsTranspile, TranspileTimeoutError, type Transpiler } from './Transpiler.ts'
import type {
  DerivedTest,
  Fatal,
  Harness,
  IsolateSession,
  Measured,
  Outcome,
} from './IsolateSession.ts'

export interface JsRunOptions extends EngineRun {
  pool: IsolatePool
  transpiler: Transpiler
  log: SandboxLog
  /** Work derived from each test, kept across runs (see TestStore: same test, same object). */
  derived: WeakMap<JobTest, DerivedTest>
}

/** Largest return value sent back to be judged, JSON characters. */
const resultCap = 8 * 1024 * 1024
/** Wall-clock cap on the harness's own setup calls (context, prelude), ms. */
const setupTimeoutMs = 5_000
/** Default compile (transpile) cap when the job's limits set none, ms. */
const defaultCompileTimeMs = 5_000

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

/** A module file ready to compile: its code as the isolate runs it, its source for errors. */
interface PreparedModule {
  path: string
  source: string
  code: string
}

export class JsRun {
  private readonly job: RunJob
  private readonly options: JsRunOptions
  private readonly filename: string
  private readonly kind: SandboxKind<Problem>
  private readonly started = performance.now()
  private readonly results: TestResult[] = []

  private lease: IsolateLease | undefined
  private map: TraceMap | undefined
  /** The registrar's global name for this run's modules (see moduleFiles.ts). */
  private readonly moduleKey = newModuleKey()
  /** The candidate's other files, compiled in the isolate; each context registers them all. */
  private modules: { path: string; script: ivm.Script }[] = []
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
    this.kind = kindOf(this.job.problem)
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
      try {
        const failure = await this.compileModules(this.lease, prepared.modules)
        if (failure !== undefined) return this.summary(failure)
        this.options.emit({ type: 'stage', stage: 'running' })
        await this.kind.js.runTests(this.session(script), job.problem)
      } finally {
        releaseScript(script)
        for (const module of this.modules) releaseScript(module.script)
      }
      return this.summary()
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.accepting = false
      if (this.lease !== undefined) {
        void this.options.pool.release(this.lease, this.fatal === undefined && !this.catastrophe)
      }
    }
  }

  // ---- Preparation ---------------------------------------------------------------------

  private async prepare(): Promise<
    | { kind: 'code'; code: string; modules: PreparedModule[] }
    | { kind: 'compile_error'; compileOutput: string }
  > {
    const { job } = this
    const file = job.files.find((f) => f.path === job.entry)
    if (file === undefined) throw new Error(`The job has no file "${job.entry}"`)
    const source = file.content
    const bytes = jobSourceBytes(job)
    if (bytes > job.limits.sourceBytes) {
      return {
        kind: 'compile_error',
        compileOutput: sourceTooLargeMessage(bytes, job.limits.sourceBytes),
      }
    }
    const modules = await this.prepareModules()
    if (typeof modules === 'string') return { kind: 'compile_error', compileOutput: modules }
    const entry = await this.prepareEntry(source)
    return entry.kind === 'code' ? { ...entry, modules } : entry
  }

  /** The solution as a script: transpiled when it is TypeScript or an ES module. */
  private async prepareEntry(
    source: string,
  ): Promise<{ kind: 'code'; code: string } | { kind: 'compile_error'; compileOutput: string }> {
    const { job } = this
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

  /**
   * The candidate's other files as module code (transpiled where needed), or the compile output
   * that stops the run: a syntax error or bad JSON, named by its file.
   */
  private async prepareModules(): Promise<PreparedModule[] | string> {
    const prepared: PreparedModule[] = []
    const timeoutMs = this.job.limits.compileTimeMs ?? defaultCompileTimeMs
    for (const module of moduleFiles(this.job)) {
      const { path, source, loader } = module
      if (loader === 'json') {
        try {
          JSON.parse(source)
        } catch (error) {
          return `${path}: error: not valid JSON (${(error as Error).message})`
        }
        prepared.push({ path, source, code: `module.exports = ${source};` })
        continue
      }
      if (!needsTranspile(loader, source)) {
        prepared.push({ path, source, code: source })
        continue
      }
      try {
        const result = await this.options.transpiler.transpile({
          source,
          loader,
          filename: path,
          timeoutMs,
        })
        if (!result.ok) return result.compileOutput
        prepared.push({ path, source, code: result.code })
      } catch (error) {
        if (!(error instanceof TranspileTimeoutError)) throw error
        return `${path}: error: ${error.message}`
      }
    }
    return prepared
  }

  /** Compiles the modules in the isolate; a string is a compile error to report. */
  private async compileModules(
    lease: IsolateLease,
    modules: PreparedModule[],
  ): Promise<string | undefined> {
    for (const { path, source, code } of modules) {
      try {
        const script = await lease.isolate.compileScript(moduleScript(this.moduleKey, path, code), {
          filename: path,
        })
        this.modules.push({ path, script })
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error
        return formatDiagnostic(
          syntaxErrorDiagnostic({ message: error.message, source, filename: path, map: undefined }),
        )
      }
    }
    return undefined
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
      // Each module hands its function to the prelude's registrar, which is gone after the last.
      for (const module of this.modules) {
        await module.script.run(context, { timeout: setupTimeoutMs })
      }
      return { context, harness }
    } catch (error) {
      context.release()
      throw error
    }
  }

  private settings(stdin: string | null): PreludeSettings {
    const problem = this.job.problem
    return {
      fn: this.kind.js.harnessFunction(problem),
      stdin,
      modules: this.modules.map((module) => module.path),
      moduleKey: this.moduleKey,
      // What is left of the run's budget: stdio tests each get a context of their own.
      outputCap: Math.max(0, this.job.limits.outputBytes - this.outputUsed),
      resultCap,
    }
  }

  // ---- Tests ---------------------------------------------------------------------------

  /** The run as the kind's test loop sees it (IsolateSession). */
  private session(script: ivm.Script): IsolateSession {
    return {
      tests: this.job.tests,
      stopped: () => this.stopped(),
      openHarness: (stdin) => this.openHarness(script, stdin),
      measure: (work, carried) => this.measure(work, carried),
      derived: (test) => this.derive(test),
      finish: (test, index, measured) => {
        this.finishTest(test, index, measured)
      },
      failLoad: (outcome) => {
        this.loadFailure = describeLoadFailure(outcome)
      },
      skipFrom: (index) => {
        this.skipFrom(index)
      },
    }
  }

  /** A fresh context for one stdin; undefined when the run was stopped while it was made. */
  private async openHarness(
    script: ivm.Script,
    stdin: string | null,
  ): Promise<Harness | undefined> {
    const lease = this.requireLease()
    let opened: { context: ivm.Context; harness: ivm.Reference }
    try {
      opened = await this.newContext(lease, this.settings(stdin))
    } catch (error) {
      if (this.stopped()) return undefined
      throw error
    }
    return {
      runScript: (deadline) => this.runScript(script, opened.context, deadline),
      ask: async (args, deadline) => {
        let answer = parseAnswer(await this.call(opened.harness, args, deadline))
        while (answer.code === 'P') {
          answer = parseAnswer(await this.call(opened.harness, ['poll'], deadline))
        }
        return this.outcomeOf(answer)
      },
      release: () => {
        release(opened)
      },
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
   * Whole programs (a kind with `exitEndsProgram`): the prelude's process.exit(n) throws
   * `Error: process.exit(n)` to stop the program. Exit code 0 is a normal end; any other is a
   * runtime error.
   */
  private exitOutcome(message: string): Outcome | undefined {
    if (!this.kind.js.exitEndsProgram) return undefined
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

  private finishTest(test: JobTest, index: number, measured: Measured): void {
    const custom = this.job.mode === 'custom'
    const base: TestResult = {
      testId: test.id,
      index,
      name: test.name,
      hidden: test.hidden,
      verdict: 'passed',
      durationMs: measured.durationMs,
    }
    const result: TestResult = { ...base, ...this.display(test) }
    if (measured.console !== '') result.stdout = measured.console
    const { outcome } = measured
    const { problem } = this.job
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
        const judged = this.kind.js.judge({
          problem,
          test,
          produced: { kind: 'error', stdout: measured.stdout },
          custom,
        })
        if (judged.actual !== undefined) result.actual = judged.actual
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
        const produced = { kind: 'value', value: parsed.value, json: outcome.json } as const
        const judged = this.kind.js.judge({ problem, test, produced, custom })
        if (judged.actual !== undefined) result.actual = judged.actual
        if (judged.judgement !== undefined) judgement = judged.judgement
        break
      }
      case 'done': {
        const produced = { kind: 'done', stdout: measured.stdout } as const
        const judged = this.kind.js.judge({ problem, test, produced, custom })
        if (judged.actual !== undefined) result.actual = judged.actual
        if (judged.judgement !== undefined) judgement = judged.judgement
        break
      }
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
    }
    this.emitResult(result)
  }

  /** Display strings for a test's input and expected output. */
  private display(test: JobTest): Partial<TestResult> {
    const derived = this.derive(test)
    const shown: Partial<TestResult> = {}
    if (derived.input !== undefined) shown.input = derived.input
    if (this.job.mode !== 'custom') shown.expected = derived.expected
    return shown
  }

  /** The test's derived strings, from the cache when this test object was seen before. */
  private derive(test: JobTest): DerivedTest {
    const { problem } = this.job
    const key = this.kind.js.deriveKey(problem)
    const cached = this.options.derived.get(test)
    if (cached?.key === key) return cached
    const derived: DerivedTest = { key, ...this.kind.js.derive(problem, test) }
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
