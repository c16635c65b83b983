/**
 * Function style: a box runs its tests in order, in one process (the harness). The host sees a
 * test start and end through the harness's frames, gives each test its own time budget (CPU of
 * the whole box, and wall clock), judges each returned value itself as soon as it arrives, and
 * streams the test's result.
 *
 * Two boxes, never one: the visible tests run in a box that holds no hidden test, and the hidden
 * tests in a second box. Everything a box prints reaches the candidate only if it ran no hidden
 * test (candidates see hidden tests as pass/fail, RunService's redactForCandidate): before this,
 * code that ran ahead of test 1 (a module-level statement, a static initialiser, Go's init, a
 * look at the caller's frame) could read every hidden input from the harness's stdin and print
 * it into test 1's console (issue 13). The hidden tests' box starts together with the visible
 * one (its runtime and the candidate's initialisers start meanwhile; measured: a Java run of 5
 * visible and 5 hidden tests 0.93 s with the box started afterwards, 0.53 s started early, 0.46 s
 * with one box), but its stdin, the hidden tests, is written only once the visible box's results
 * are final: the two never hold hidden data at the same time, so they have nothing to signal.
 *
 * An exception inside a test fails that test only. Anything that ends the process (timeout,
 * memory, output limit, crash, a harness frame out of order) fails the test that was running
 * and skips the rest, hidden ones included. Output printed outside any test (before the first,
 * between two, after the last) belongs to no test: it is reported beside them, per box.
 */
import { randomBytes } from 'node:crypto'
import type { FunctionProblem } from '../../../protocol/challenge.ts'
import type { JobTest, TestResult } from '../../../protocol/run.ts'
import type { TestVerdict } from '../../../protocol/verdicts.ts'
import { displayArgs, displayText, displayValue, parseCandidateValue } from '../../judge.ts'
import { judgeReturnValue } from './judge.ts'
import { serverBusyMessage, type Box } from '../../box/Box.ts'
import {
  exitBudget,
  maxTestsPerRun,
  resultBytes,
  runBoxLimits,
  startupBudget,
  testBudget,
} from '../../box/boxLimits.ts'
import { HarnessStream, type HarnessEvent, type HarnessFrame } from '../../box/HarnessStream.ts'
import type { PoolableRequest } from '../../box/BoxPool.ts'
import {
  boxFiles,
  candidateFrames,
  consoleKeepBytes,
  describeExit,
  describeSignal,
  type RunContext,
  type TestsOutcome,
} from '../../box/RunContext.ts'

interface ErrorInfo {
  message: string
  stack?: string
}

/** One of the run's tests as a box sees it: the test, and its place in the job. */
interface BoxTest {
  test: JobTest
  /** 0-based index in the job (results carry it); the harness numbers its tests from 0. */
  index: number
}

/** What one box reported. */
interface BoxOutcome {
  results: TestResult[]
  /** The Python harness found a syntax error (only believed from the visible tests' box). */
  compileOutput?: string
  cancelled: boolean
  /** One of its tests ended the process (limit, crash, harness violation); the rest were skipped. */
  endedEarly: boolean
  /** Console output printed outside any test, clipped for display; '' when there was none. */
  outside: string
  /** Console bytes the box printed. */
  consoleBytes: number
}

export async function runFunctionTests(
  context: RunContext,
  problem: FunctionProblem,
): Promise<TestsOutcome> {
  const { job } = context
  const tests = job.tests.map((test, index) => ({ test, index }))
  const visible = tests.filter(({ test }) => !test.hidden)
  const hidden = tests.filter(({ test }) => test.hidden)
  // The visible box runs even with no visible test: a syntax error or a failing module is then
  // reported from a box whose output the candidate may see.
  const running = runBox(context, problem, visible, {
    hidden: false,
    outputBytes: job.limits.outputBytes,
  })
  const early = hidden.length === 0 ? undefined : startEarly(context, visible.length)
  // A pre-started box the hidden tests did not get (the visible box failed, ended early, was
  // cancelled) is stopped; startBox has registered it, so the engine waits for its cleanup.
  const discardEarly = (): void =>
    void early?.then(
      (box) => box.kill('aborted'),
      () => undefined,
    )
  let first: BoxOutcome
  try {
    first = await running
  } catch (error) {
    discardEarly()
    throw error
  }
  const outcome: TestsOutcome = {
    results: first.results,
    cancelled: first.cancelled,
    ...(first.compileOutput === undefined ? {} : { compileOutput: first.compileOutput }),
    ...(first.outside === '' ? {} : { outsideOutput: first.outside }),
  }
  if (first.cancelled || first.compileOutput !== undefined || early === undefined) {
    discardEarly()
    return outcome
  }
  if (first.endedEarly) {
    discardEarly()
    // A visible test ended the process: the hidden tests are skipped, as the rest of one box's.
    for (const { test, index } of hidden) {
      const result = skipped(test, index, problem)
      outcome.results.push(result)
      context.emit({ type: 'test', result })
    }
    return outcome
  }
  const second = await runBox(context, problem, hidden, {
    hidden: true,
    outputBytes: job.limits.outputBytes - first.consoleBytes,
    box: early,
  })
  outcome.results.push(...second.results)
  outcome.cancelled = second.cancelled
  if (second.outside !== '') outcome.hiddenOutsideOutput = second.outside
  return outcome
}

/** The run box of `context`'s job, its limits the same for every run (so a pooled one fits). */
function runBoxRequest(context: RunContext, outputBytes: number): PoolableRequest {
  const { job, plan, spec } = context
  return {
    command: plan.run.command,
    env: plan.run.env,
    binds: context.toolchain.binds,
    workDir: context.workDir,
    files: boxFiles(context),
    limits: runBoxLimits(spec, job.limits, maxTestsPerRun, outputBytes + resultBytes),
    budget: startupBudget,
    mergeStderr: true,
  }
}

/**
 * Starts the hidden tests' box before the visible tests run, without its stdin. It may wait as
 * long as the visible box can take (its startup and every test's budget); its CPU meanwhile
 * (runtime start, the candidate's static initialisers) is bounded like any box's startup.
 */
function startEarly(context: RunContext, visibleTests: number): Promise<Box> {
  const { limits } = context.job
  const visibleWallMs = visibleTests * (testBudget(limits).wallMs + exitBudget.wallMs)
  const request = runBoxRequest(context, limits.outputBytes)
  return context.startBox({
    ...request,
    budget: { wallMs: 2 * startupBudget.wallMs + visibleWallMs, cpuMs: startupBudget.cpuMs },
  })
}

/** A test that never ran because an earlier one ended its process. */
function skipped(test: JobTest, index: number, problem: FunctionProblem): TestResult {
  return {
    testId: test.id,
    index,
    name: test.name,
    hidden: test.hidden,
    input: displayArgs(problem.signature.params, argsOf(test)),
    verdict: 'skipped',
    durationMs: null,
  }
}

/** Runs `tests` in one fresh box; the harness receives those tests' arguments and no others. */
async function runBox(
  context: RunContext,
  problem: FunctionProblem,
  tests: readonly BoxTest[],
  options: {
    /** This box runs hidden tests: it can never report a compile error. */
    hidden: boolean
    /** Console bytes it may print before `output_limit`. */
    outputBytes: number
    /** A box started ahead (startEarly); a fresh one is started if it has died meanwhile. */
    box?: Promise<Box> | undefined
    /** Whether a box starved of CPU runs its remaining tests again; default true. */
    retry?: boolean
  },
): Promise<BoxOutcome> {
  const { job, plan } = context
  const { signature } = problem
  const nonce = randomBytes(16).toString('hex')
  const config = {
    function: signature.function,
    params: signature.params,
    returns: signature.returns,
    memoryBytes: job.limits.memoryMb << 20,
    ...plan.config,
  }
  const stdin = [
    nonce,
    JSON.stringify(config),
    String(tests.length),
    ...tests.map(({ test }) => JSON.stringify(argsOf(test))),
    '',
  ].join('\n')

  const outputBytes = Math.max(0, options.outputBytes)
  let box = await options.box?.catch(() => undefined)
  if (box?.alive === true) {
    // Its startup is over; from now on it has a fresh box's budgets.
    box.resetBudget(startupBudget)
    box.setOutputLimit(outputBytes + resultBytes)
  } else {
    // A pre-started box that died waiting (a static initialiser out of CPU, say) is never
    // blamed for it: a fresh box meets the same fate, or does not.
    box?.kill('aborted')
    box = await context.startBox(runBoxRequest(context, outputBytes))
  }
  box.send(Buffer.from(stdin))
  const onAbort = (): void => box.kill('aborted')
  context.signal.addEventListener('abort', onAbort, { once: true })
  if (context.signal.aborted) onAbort()

  const results: TestResult[] = []
  const consoles: Buffer[][] = tests.map(() => [])
  const consoleSizes = tests.map(() => 0)
  const outside: Buffer[] = []
  let outsideSize = 0
  let consoleBytes = 0
  let next = 0
  let current: number | undefined
  let startedAt = 0
  let compileMessage: string | undefined
  let fatal: { verdict: TestVerdict; error: ErrorInfo } | undefined
  let trace: Buffer[] | undefined
  let traceSize = 0

  const finish = (index: number, fields: Omit<TestResult, keyof ReturnType<typeof base>>): void => {
    const result: TestResult = { ...base(index), ...fields }
    const text = Buffer.concat(consoles[index] ?? []).toString('utf8')
    if (text !== '' && fields.verdict !== 'skipped') result.stdout = displayText(text)
    results.push(result)
    context.emit({ type: 'test', result })
  }
  const base = (index: number) => {
    const { test, index: jobIndex } = tests[index] as BoxTest
    return {
      testId: test.id,
      index: jobIndex,
      name: test.name,
      hidden: test.hidden,
      input: displayArgs(signature.params, argsOf(test)),
    }
  }
  // Resolved by the harness's `done` frame, which it sends only after every test reported.
  const { promise: finished, resolve: harnessDone } = Promise.withResolvers<undefined>()
  let violated = false
  const violate = (message: string, verdict: TestVerdict = 'runtime_error'): void => {
    violated = true
    fatal ??= { verdict, error: { message } }
    box.kill('protocol')
  }
  const onConsole = (bytes: Buffer): void => {
    consoleBytes += bytes.length
    if (consoleBytes > outputBytes) box.kill('output_limit')
    if (trace !== undefined) {
      // Only so much of a trace is ever read (candidateFrames); the rest is not kept.
      if (traceSize < consoleKeepBytes) trace.push(bytes)
      traceSize += bytes.length
      return
    }
    // Output while no test runs (module-level prints, static initialisers, a thread printing
    // between tests) belongs to none of them.
    if (current === undefined) {
      if (outsideSize < consoleKeepBytes) outside.push(bytes)
      outsideSize += bytes.length
      return
    }
    if ((consoleSizes[current] ?? 0) >= consoleKeepBytes) return
    consoleSizes[current] = (consoleSizes[current] ?? 0) + bytes.length
    consoles[current]?.push(bytes)
  }
  const onFrame = (frame: HarnessFrame): void => {
    switch (frame.kind) {
      case 'start':
        if (current !== undefined || frame.index !== next || next >= tests.length) {
          violate(
            `The program interfered with the test harness (test ${frame.index + 1} began out of order).`,
          )
          return
        }
        current = next
        startedAt = performance.now()
        box.resetBudget(testBudget(job.limits))
        return
      case 'result':
      case 'error': {
        if (current !== frame.index) {
          violate(
            `The program interfered with the test harness (an unexpected result for test ${frame.index + 1}).`,
          )
          return
        }
        const durationMs = Math.round(performance.now() - startedAt)
        const { test } = tests[current] as BoxTest
        current = undefined
        next++
        box.resetBudget(exitBudget)
        if (frame.kind === 'error') {
          finish(frame.index, {
            verdict: 'runtime_error',
            durationMs,
            error: parseError(frame.json),
          })
          return
        }
        finish(frame.index, {
          durationMs,
          ...judge(problem, test, frame.json, job.mode === 'custom'),
        })
        return
      }
      case 'memory':
      case 'trace':
        if (current !== frame.index) {
          violate('The program interfered with the test harness (an unexpected crash report).')
          return
        }
        if (frame.kind === 'memory')
          fatal = { verdict: 'memory_limit', error: parseError(frame.json) }
        else {
          fatal = {
            verdict: 'runtime_error',
            error: { message: `The program ${describeSignal(frame.text)}` },
          }
          trace = []
        }
        return
      case 'compile':
        // The visible box compiled the same source already: in the hidden box a compile error
        // is forged, and its text (hidden data, perhaps) must not become the run's compile output.
        if (next !== 0 || current !== undefined || options.hidden)
          violate('The program interfered with the test harness.')
        else compileMessage = parseError(frame.json).message
        return
      case 'fatal':
        if (next !== 0 || current !== undefined)
          violate('The program interfered with the test harness.')
        else fatal = { verdict: 'runtime_error', error: parseError(frame.json) }
        return
      case 'done':
        if (current !== undefined || next !== tests.length) {
          violate('The program interfered with the test harness (it ended early).')
          return
        }
        harnessDone(undefined)
        return
    }
  }
  const handle = (events: HarnessEvent[]): void => {
    try {
      handleEvents(events)
    } catch (error) {
      // A bug on our side while reading this box's output ends this run, never the process
      // that serves every other run.
      fatal ??= {
        verdict: 'internal_error',
        error: { message: `The sandbox failed reading the program's output: ${String(error)}` },
      }
      violated = true
      box.kill('protocol')
    }
  }
  const handleEvents = (events: HarnessEvent[]): void => {
    for (const event of events) {
      // Frames after a violation (in the same chunk, before the kill lands) count for nothing.
      if (violated) return
      if (event.type === 'console') onConsole(event.bytes)
      else if (event.type === 'frame') onFrame(event.frame)
      else if (event.type === 'oversized') {
        // A limit, like the console's: an answer too big to judge is output_limit, not a crash.
        violate(
          `Output limit exceeded: the return value is larger than ${event.maxBytes >> 20} MiB as JSON`,
          'output_limit',
        )
      } else violate('The program wrote a malformed test-harness frame.')
    }
  }
  const stream = new HarnessStream(nonce, resultBytes)
  box.onStdout((chunk) => handle(stream.push(chunk)))
  const outcome = (fields: Pick<BoxOutcome, 'cancelled' | 'endedEarly'>): BoxOutcome => {
    const text = Buffer.concat(outside).toString('utf8')
    return { results, ...fields, outside: text === '' ? '' : displayText(text), consoleBytes }
  }

  // Every test reported and the harness said so: the results are final whatever the exit brings,
  // so the run reports now and the box is killed and cleaned up behind it. The process exits at
  // once, but the kernel's teardown of the box's namespaces took another ~10 ms of every run
  // (a JVM's shutdown longer), which nobody needs to wait for.
  const exit = await Promise.race([box.exited, finished])
  context.signal.removeEventListener('abort', onAbort)
  if (exit === undefined) {
    box.kill('finished')
    return outcome({ cancelled: false, endedEarly: false })
  }
  handle(stream.end())
  if (exit.setupError !== undefined) throw new Error(exit.setupError)
  if (exit.killedFor === 'aborted') return outcome({ cancelled: true, endedEarly: false })
  if (compileMessage !== undefined && results.length === 0) {
    return { ...outcome({ cancelled: false, endedEarly: false }), compileOutput: compileMessage }
  }
  if (results.length < tests.length) {
    const at = current ?? next
    if (exit.killedFor === 'starved' && options.retry !== false) {
      // A busy machine starved the box of CPU: the server's fault, so the tests from the one
      // it was on run again, once, in a fresh box (those reported already stand).
      const rest = await runBox(context, problem, tests.slice(at), {
        hidden: options.hidden,
        outputBytes: outputBytes - consoleBytes,
        retry: false,
      })
      const mine = outcome({ cancelled: false, endedEarly: false })
      return {
        ...rest,
        results: [...results, ...rest.results],
        outside: [mine.outside, rest.outside].filter((text) => text !== '').join('\n'),
        consoleBytes: consoleBytes + rest.consoleBytes,
      }
    }
    const { verdict, error } = endingOf(exit, fatal, job.limits.memoryMb)
    const frames =
      trace === undefined
        ? ''
        : candidateFrames(Buffer.concat(trace).toString('utf8'), plan.sourceFile)
    if (frames !== '') error.stack = displayText(frames)
    finish(at, {
      verdict,
      durationMs: current === undefined ? null : Math.round(performance.now() - startedAt),
      error,
    })
    for (let index = at + 1; index < tests.length; index++) {
      finish(index, { verdict: 'skipped', durationMs: null })
    }
    return outcome({ cancelled: false, endedEarly: true })
  }
  // Every test reported (or it had none), though the harness never said it was done: a box of
  // no tests that failed to start hands the failure to the next box, which meets it again.
  return outcome({ cancelled: false, endedEarly: false })
}

/** Why the process ended before every test reported, as the verdict of the test it was on. */
function endingOf(
  exit: Awaited<Box['done']>,
  fatal: { verdict: TestVerdict; error: ErrorInfo } | undefined,
  memoryMb: number,
): { verdict: TestVerdict; error: ErrorInfo } {
  // Resource limits outrank the crash they cause (protocol/verdicts.ts).
  if (exit.oomKilled || fatal?.verdict === 'memory_limit') {
    return {
      verdict: 'memory_limit',
      error: {
        message: `Memory limit exceeded (${memoryMb} MiB)${fatal?.verdict === 'memory_limit' ? `: ${fatal.error.message}` : ''}`,
      },
    }
  }
  if (exit.killedFor === 'timeout')
    return { verdict: 'timeout', error: { message: 'Time limit exceeded' } }
  // Starved twice (see runBox): the server's fault, never the candidate's time_limit.
  if (exit.killedFor === 'starved')
    return { verdict: 'internal_error', error: { message: serverBusyMessage } }
  if (exit.killedFor === 'output_limit') {
    return { verdict: 'output_limit', error: { message: 'Output limit exceeded' } }
  }
  if (fatal !== undefined) return { verdict: fatal.verdict, error: { ...fatal.error } }
  return {
    verdict: 'runtime_error',
    error: { message: `${describeExit(exit.exitCode)} during the test.` },
  }
}

function argsOf(test: JobTest): unknown[] {
  return 'args' in test.input ? test.input.args : []
}

/**
 * Judges a returned value on the host; the box never sees what was expected. Whatever goes wrong
 * while judging is this test's `internal_error`, never an exception on the sandbox process.
 */
function judge(
  problem: FunctionProblem,
  test: JobTest,
  json: string,
  custom: boolean,
): Pick<TestResult, 'verdict' | 'expected' | 'actual' | 'mismatch' | 'error'> {
  try {
    // Too deep to walk, or not JSON: a verdict with a clear message, before anything recurses.
    const parsed = parseCandidateValue(json)
    if (!parsed.ok) return { verdict: 'runtime_error', error: { message: parsed.message } }
    const actual = parsed.value
    if (custom) return { verdict: 'passed', actual: displayValue(actual) }
    const judgement = judgeReturnValue(problem, test.expected, actual)
    const shown = { expected: displayValue(test.expected), actual: displayValue(actual) }
    return judgement.passed
      ? { verdict: 'passed', ...shown }
      : {
          verdict: 'failed',
          ...shown,
          ...(judgement.mismatch === undefined ? {} : { mismatch: judgement.mismatch }),
        }
  } catch (error) {
    return {
      verdict: 'internal_error',
      error: { message: `The return value could not be judged: ${String(error)}` },
    }
  }
}

function parseError(json: string): ErrorInfo {
  try {
    const value = JSON.parse(json) as { message?: unknown; stack?: unknown }
    const message = typeof value.message === 'string' ? value.message : 'Error'
    return typeof value.stack === 'string' && value.stack !== ''
      ? { message: displayText(message), stack: displayText(value.stack) }
      : { message: displayText(message) }
  } catch {
    return { message: displayText(json) }
  }
}
