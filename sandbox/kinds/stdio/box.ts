/**
 * Stdio style: every test is a fresh box running the candidate's program with the test's stdin.
 * stdout is what the host judges; stderr is the test's console. Each test's budget is the
 * language's per-test limit plus its startup time (a stdio test is a whole program run).
 *
 * A crash or a non-zero exit fails that test only (the next test is a new process anyway);
 * time, memory and output limits end the run and skip the remaining tests. A box starved of CPU
 * by a busy machine runs again once; starved twice, the test is `internal_error` (the server
 * was too busy) and the rest are skipped.
 */
import type { StdioProblem } from '../../../protocol/challenge.ts'
import type { JobTest, TestResult } from '../../../protocol/run.ts'
import { displayText } from '../../judge.ts'
import { judgeStdout } from './judge.ts'
import { Box, serverBusyMessage, type BoxExit } from '../../box/Box.ts'
import { runBoxLimits, testBudget } from '../../box/boxLimits.ts'
import {
  boxFiles,
  consoleKeepBytes,
  describeExit,
  type RunContext,
  type TestsOutcome,
} from '../../box/RunContext.ts'

export async function runStdioTests(
  context: RunContext,
  problem: StdioProblem,
): Promise<TestsOutcome> {
  const { job } = context
  const results: TestResult[] = []
  let outputLeft = job.limits.outputBytes
  let ended = false
  for (const [index, test] of job.tests.entries()) {
    const stdin = 'stdin' in test.input ? test.input.stdin : ''
    const base = {
      testId: test.id,
      index,
      name: test.name,
      hidden: test.hidden,
      input: displayText(stdin),
    }
    if (ended) {
      const result: TestResult = { ...base, verdict: 'skipped', durationMs: null }
      results.push(result)
      context.emit({ type: 'test', result })
      continue
    }
    if (context.signal.aborted) return { results, cancelled: true }
    const attempt = (): Promise<TestBox> => runTestBox(context, { stdin, outputLeft })
    // A box starved of CPU by a busy machine is the server's fault: it gets one more try.
    let ran = await attempt()
    if (ran.exit.killedFor === 'starved') ran = await attempt()
    const { exit, stdout, stderr, stderrKept } = ran
    if (exit.setupError !== undefined) throw new Error(exit.setupError)
    if (exit.killedFor === 'aborted') return { results, cancelled: true }
    const out = Buffer.concat(stdout)
    outputLeft -= out.length + stderrKept
    const console = Buffer.concat(stderr).toString('utf8')
    const shown = {
      durationMs: Math.round(exit.wallMs),
      ...(console === '' ? {} : { stdout: displayText(console) }),
      actual: displayText(out.toString('utf8')),
    }
    let result: TestResult
    if (exit.oomKilled) {
      result = {
        ...base,
        ...shown,
        verdict: 'memory_limit',
        error: { message: `Memory limit exceeded (${job.limits.memoryMb} MiB)` },
      }
    } else if (exit.killedFor === 'timeout') {
      result = { ...base, ...shown, verdict: 'timeout', error: { message: 'Time limit exceeded' } }
    } else if (exit.killedFor === 'starved') {
      result = {
        ...base,
        ...shown,
        verdict: 'internal_error',
        error: { message: serverBusyMessage },
      }
    } else if (exit.killedFor !== undefined) {
      result = {
        ...base,
        ...shown,
        verdict: 'output_limit',
        error: { message: 'Output limit exceeded' },
      }
    } else if (exit.exitCode !== 0) {
      result = {
        ...base,
        ...shown,
        verdict: 'runtime_error',
        error: {
          message: `${describeExit(exit.exitCode)}.`,
          ...(console === '' ? {} : { stack: displayText(console) }),
        },
      }
    } else {
      result = {
        ...base,
        ...shown,
        ...judge(problem, test, out.toString('utf8'), job.mode === 'custom'),
      }
    }
    // A machine too busy for this test is too busy for the next ones: they are skipped.
    ended =
      exit.killedFor === 'starved' ||
      result.verdict === 'memory_limit' ||
      result.verdict === 'timeout' ||
      result.verdict === 'output_limit'
    results.push(result)
    context.emit({ type: 'test', result })
  }
  return { results, cancelled: false }
}

/** What one test's box did. */
interface TestBox {
  exit: BoxExit
  stdout: Buffer[]
  stderr: Buffer[]
  /** Bytes of stderr printed (more than `stderr` holds when it was clipped). */
  stderrKept: number
}

/** Runs the program once in a fresh box with one test's stdin. */
async function runTestBox(
  context: RunContext,
  { stdin, outputLeft }: { stdin: string; outputLeft: number },
): Promise<TestBox> {
  const { job, plan, spec } = context
  const box = await Box.start(context.host, {
    command: plan.run.command,
    env: plan.run.env,
    binds: context.toolchain.binds,
    workDir: context.workDir,
    files: boxFiles(context),
    limits: runBoxLimits(spec, job.limits, 1, Math.max(0, outputLeft)),
    budget: testBudget(job.limits, spec.startupMs),
    stdin: Buffer.from(stdin),
    mergeStderr: false,
  })
  const onAbort = (): void => box.kill('aborted')
  context.signal.addEventListener('abort', onAbort, { once: true })
  if (context.signal.aborted) onAbort()
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  let stderrKept = 0
  box.onStdout((chunk) => stdout.push(chunk))
  box.onStderr((chunk) => {
    if (stderrKept < consoleKeepBytes) stderr.push(chunk)
    stderrKept += chunk.length
  })
  const exit = await box.exited
  context.signal.removeEventListener('abort', onAbort)
  return { exit, stdout, stderr, stderrKept }
}

function judge(
  problem: StdioProblem,
  test: JobTest,
  actual: string,
  custom: boolean,
): Pick<TestResult, 'verdict' | 'expected' | 'mismatch'> {
  if (custom || typeof test.expected !== 'string') return { verdict: 'passed' }
  const judgement = judgeStdout(problem, test.expected, actual)
  const expected = displayText(test.expected)
  return judgement.passed
    ? { verdict: 'passed', expected }
    : {
        verdict: 'failed',
        expected,
        ...(judgement.mismatch === undefined ? {} : { mismatch: judgement.mismatch }),
      }
}
