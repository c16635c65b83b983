/**
 * The summary of a run: its verdict (the worst of its tests') and the sentence shown above the
 * results, e.g. "Wrong answer on test 2 (1 of 6 tests passed)".
 */
import type { RunJob, RunSummary, TestResult } from '../../protocol/run.ts'
import { verdictLabels, worstVerdict, type Verdict } from '../../protocol/verdicts.ts'

export function summarize(options: {
  job: Pick<RunJob, 'mode' | 'tests'>
  results: readonly TestResult[]
  /** Wall time of the whole run, ms. */
  durationMs: number
  /** Present when the code did not compile. */
  compileOutput?: string | undefined
  /** A limit or failure that ended the run before any test had a result. */
  fatal?: { verdict: Verdict; message: string } | undefined
}): RunSummary {
  const { job, results, durationMs, compileOutput, fatal } = options
  const total = job.tests.length
  const passed = results.filter((r) => r.verdict === 'passed').length
  if (compileOutput !== undefined) {
    return {
      verdict: 'compile_error',
      passed: 0,
      total,
      durationMs,
      compileOutput,
      message: compileMessage(compileOutput),
    }
  }
  if (fatal !== undefined) {
    return { verdict: fatal.verdict, passed, total, durationMs, message: fatal.message }
  }
  const verdict = worstVerdict(results.map((r) => r.verdict))
  return {
    verdict,
    passed,
    total,
    durationMs,
    message: runMessage(job.mode, verdict, results, total, passed),
  }
}

function runMessage(
  mode: RunJob['mode'],
  verdict: Verdict,
  results: readonly TestResult[],
  total: number,
  passed: number,
): string {
  if (mode === 'custom') {
    if (verdict === 'passed') return 'Ran without errors'
    return withDetail(
      verdictLabels[verdict],
      results.find((r) => r.verdict === verdict),
    )
  }
  if (verdict === 'passed') {
    if (total === 0) return 'There are no tests to run'
    return total === 1 ? 'The test passed' : `All ${total} tests passed`
  }
  const culprit = results.find((r) => r.verdict === verdict)
  const where =
    culprit === undefined ? '' : ` on test ${culprit.index + 1}${culprit.hidden ? ' (hidden)' : ''}`
  const tally = `${passed} of ${total} test${total === 1 ? '' : 's'} passed`
  if (verdict === 'internal_error') {
    return withDetail(`${verdictLabels[verdict]}${where}`, culprit)
  }
  return `${verdictLabels[verdict]}${where} (${tally})`
}

/** For internal errors and custom runs: the reason, when the result carries one. */
function withDetail(head: string, result: TestResult | undefined): string {
  const reason = result?.verdict === 'internal_error' ? result.error?.message : undefined
  return reason === undefined ? head : `${head}: ${reason}`
}

/** "Compile error at line 3, column 15: Expected ";" but found "x"" from the first diagnostic. */
function compileMessage(compileOutput: string): string {
  const first = /^.+?:(\d+):(\d+): error: (.*)$/m.exec(compileOutput)
  if (first === null) {
    const line = compileOutput.split('\n')[0] ?? ''
    return `Compile error: ${line.slice(0, 200)}`
  }
  return `Compile error at line ${first[1]}, column ${first[2]}: ${(first[3] ?? '').slice(0, 200)}`
}
