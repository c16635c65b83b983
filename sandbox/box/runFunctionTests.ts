/**
 * Function style: one box runs every test of the job, in order, in one process (the harness).
 * The host sees a test start and end through the harness's frames, gives each test its own time
 * budget (CPU of the whole box, and wall clock), judges each returned value itself as soon as it
 * arrives, and streams the test's result.
 *
 * An exception inside a test fails that test only. Anything that ends the process (timeout,
 * memory, output limit, crash, a harness frame out of order) fails the test that was running
 * and skips the rest.
 */
import { randomBytes } from 'node:crypto'
import type { FunctionProblem } from '../../protocol/challenge.ts'
import type { JobTest, TestResult } from '../../protocol/run.ts'
import type { TestVerdict } from '../../protocol/verdicts.ts'
import { displayArgs, displayText, displayValue, judgeReturnValue } from '../judge.ts'
import type { Box } from './Box.ts'
import {
  exitBudget,
  maxTestsPerRun,
  resultBytes,
  runBoxLimits,
  startupBudget,
  testBudget,
} from './boxLimits.ts'
import { HarnessStream, type HarnessEvent, type HarnessFrame } from './HarnessStream.ts'
import {
  boxFiles,
  candidateFrames,
  consoleKeepBytes,
  describeExit,
  describeSignal,
  type RunContext,
  type TestsOutcome,
} from './RunContext.ts'

interface ErrorInfo {
  message: string
  stack?: string
}

export async function runFunctionTests(
  context: RunContext,
  problem: FunctionProblem,
): Promise<TestsOutcome> {
  const { job, plan, spec } = context
  const tests = job.tests
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
    ...tests.map((test) => JSON.stringify(argsOf(test))),
    '',
  ].join('\n')

  const box = await context.startBox({
    command: plan.run.command,
    env: plan.run.env,
    binds: context.toolchain.binds,
    workDir: context.workDir,
    files: boxFiles(context),
    limits: runBoxLimits(spec, job.limits, maxTestsPerRun, job.limits.outputBytes + resultBytes),
    budget: startupBudget,
    mergeStderr: true,
  })
  box.send(Buffer.from(stdin))
  const onAbort = (): void => box.kill('aborted')
  context.signal.addEventListener('abort', onAbort, { once: true })
  if (context.signal.aborted) onAbort()

  const results: TestResult[] = []
  const consoles: Buffer[][] = tests.map(() => [])
  const consoleSizes = tests.map(() => 0)
  let consoleBytes = 0
  let next = 0
  let current: number | undefined
  let startedAt = 0
  let compileMessage: string | undefined
  let fatal: { verdict: TestVerdict; error: ErrorInfo } | undefined
  let trace: Buffer[] | undefined

  const finish = (index: number, fields: Omit<TestResult, keyof ReturnType<typeof base>>): void => {
    const result: TestResult = { ...base(index), ...fields }
    const text = Buffer.concat(consoles[index] ?? []).toString('utf8')
    if (text !== '' && fields.verdict !== 'skipped') result.stdout = displayText(text)
    results.push(result)
    context.emit({ type: 'test', result })
  }
  const base = (index: number) => {
    const test = tests[index] as JobTest
    return {
      testId: test.id,
      index,
      name: test.name,
      hidden: test.hidden,
      input: displayArgs(signature.params, argsOf(test)),
    }
  }
  // Resolved by the harness's `done` frame, which it sends only after every test reported.
  const { promise: finished, resolve: harnessDone } = Promise.withResolvers<undefined>()
  const violate = (message: string): void => {
    fatal ??= { verdict: 'runtime_error', error: { message } }
    box.kill('protocol')
  }
  const onConsole = (bytes: Buffer): void => {
    consoleBytes += bytes.length
    if (consoleBytes > job.limits.outputBytes) box.kill('output_limit')
    if (trace !== undefined) {
      trace.push(bytes)
      return
    }
    // Output before the first test (module-level prints) or between tests goes to the next one.
    const slot = Math.min(current ?? next, tests.length - 1)
    if (slot < 0 || (consoleSizes[slot] ?? 0) >= consoleKeepBytes) return
    consoleSizes[slot] = (consoleSizes[slot] ?? 0) + bytes.length
    consoles[slot]?.push(bytes)
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
        const test = tests[current] as JobTest
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
        if (next !== 0 || current !== undefined)
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
    for (const event of events) {
      if (event.type === 'console') onConsole(event.bytes)
      else if (event.type === 'frame') onFrame(event.frame)
      else violate('The program wrote a malformed test-harness frame.')
    }
  }
  const stream = new HarnessStream(nonce, resultBytes)
  box.onStdout((chunk) => handle(stream.push(chunk)))

  // Every test reported and the harness said so: the results are final whatever the exit brings,
  // so the run reports now and the box is killed and cleaned up behind it. The process exits at
  // once, but the kernel's teardown of the box's namespaces took another ~10 ms of every run
  // (a JVM's shutdown longer), which nobody needs to wait for.
  const exit = await Promise.race([box.exited, finished])
  context.signal.removeEventListener('abort', onAbort)
  if (exit === undefined) {
    box.kill('finished')
    return { results, cancelled: false }
  }
  handle(stream.end())
  if (exit.setupError !== undefined) throw new Error(exit.setupError)
  if (exit.killedFor === 'aborted') return { results, cancelled: true }
  if (compileMessage !== undefined && results.length === 0) {
    return { results, compileOutput: compileMessage, cancelled: false }
  }
  if (results.length < tests.length) {
    const at = current ?? next
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
  }
  return { results, cancelled: false }
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

/** Judges a returned value on the host; the box never sees what was expected. */
function judge(
  problem: FunctionProblem,
  test: JobTest,
  json: string,
  custom: boolean,
): Pick<TestResult, 'verdict' | 'expected' | 'actual' | 'mismatch' | 'error'> {
  let actual: unknown
  try {
    actual = JSON.parse(json)
  } catch {
    return {
      verdict: 'runtime_error',
      error: { message: 'The function returned a value that cannot be represented as JSON.' },
    }
  }
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
