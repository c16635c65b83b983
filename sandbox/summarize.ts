/**
 * The summary of a run, the same for every engine: its verdict (the worst of its tests') and the
 * sentence shown above the results, e.g. "Wrong answer on test 2 (1 of 6 tests passed)".
 */
import {
  internalErrorMessage,
  type RunJob,
  type RunSummary,
  type TestResult,
} from '../protocol/run.ts'
import { verdictLabels, worstVerdict, type Verdict } from '../protocol/verdicts.ts'

export function summarize(options: {
  job: Pick<RunJob, 'mode' | 'tests'>
  results: readonly TestResult[]
  /** Wall time of the whole run, ms. */
  durationMs: number
  /** Present when the code did not compile: the compiler's diagnostics. */
  compileOutput?: string | undefined
  /** The compiler's warnings when the code did compile; shown with the results. */
  warnings?: string | undefined
  /** A limit or failure that ended the run before any test had a result. */
  fatal?: { verdict: Verdict; message: string } | undefined
  /** Console output outside any test, by the process of the visible and of the hidden tests. */
  outside?: { visible?: string | undefined; hidden?: string | undefined } | undefined
}): RunSummary {
  const { job, results, durationMs, compileOutput, warnings, fatal } = options
  const outside = {
    ...(options.outside?.visible ? { outsideOutput: options.outside.visible } : {}),
    ...(options.outside?.hidden ? { hiddenOutsideOutput: options.outside.hidden } : {}),
  }
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
      ...outside,
    }
  }
  if (fatal !== undefined) {
    const message =
      fatal.verdict === 'internal_error' ? internalErrorMessage(fatal.message) : fatal.message
    return { verdict: fatal.verdict, passed, total, durationMs, message, ...outside }
  }
  const verdict = worstVerdict(results.map((r) => r.verdict))
  return {
    verdict,
    passed,
    total,
    durationMs,
    ...(warnings === undefined || warnings === '' ? {} : { compileOutput: warnings }),
    message: runMessage(job.mode, verdict, results, total, passed),
    ...outside,
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
    const head = withDetail(
      verdictLabels[verdict],
      results.find((r) => r.verdict === verdict),
    )
    return verdict === 'internal_error' ? internalErrorMessage(head) : head
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
    // The same closing words as every other internal error (protocol/run.ts).
    return internalErrorMessage(withDetail(`${verdictLabels[verdict]}${where}`, culprit))
  }
  return `${verdictLabels[verdict]}${where} (${tally})`
}

/** For internal errors and custom runs: the reason, when the result carries one. */
function withDetail(head: string, result: TestResult | undefined): string {
  const reason = result?.verdict === 'internal_error' ? result.error?.message : undefined
  return reason === undefined ? head : `${head}: ${reason}`
}

/** Characters of compiler output searched for the first diagnostic. */
export const compileSearchChars = 64 << 10

/**
 * "Compile error at line 3, column 15: expected ';'" from the first diagnostic, in the formats of
 * the compilers Tandem runs: gcc and esbuild (`file:3:15: error: …`), javac (`File.java:3: error:
 * …`), go (`./file.go:3:15: …`) and Python (`File "solution.py", line 3` … `SyntaxError: …`).
 */
export function compileMessage(fullOutput: string): string {
  const clip = (text: string): string => text.trim().slice(0, 200)
  // The first diagnostic is near the top; up to 1 MiB of diagnostics (which echo the candidate's
  // source) is not searched whole.
  const compileOutput = fullOutput.slice(0, compileSearchChars)
  const withColumn = /^[^\s:]+:(\d+):(\d+): (?:(?:fatal )?error: )?(.+)$/m.exec(compileOutput)
  if (withColumn !== null) {
    return `Compile error at line ${withColumn[1]}, column ${withColumn[2]}: ${clip(withColumn[3] ?? '')}`
  }
  const lineOnly = /^[^\s:]+:(\d+): error: (.+)$/m.exec(compileOutput)
  if (lineOnly !== null) return `Compile error at line ${lineOnly[1]}: ${clip(lineOnly[2] ?? '')}`
  // Python's `line N`, then the first `…Error: …` line after it. This was one pattern,
  // /line (\d+)[\s\S]*?^(\w*Error: .+)$/m, which tries every `line N` and scans the rest of the
  // text from each: quadratic in output full of `line 1` and no error line (issue 13).
  const pythonLine = /line (\d+)/.exec(compileOutput)
  if (pythonLine !== null) {
    const rest = compileOutput.slice(pythonLine.index + pythonLine[0].length)
    // The error line starts on a later line: the rest of this one is dropped first.
    const error = /^(\w*Error: .+)$/m.exec(rest.replace(/^.*/, ''))
    if (error !== null) return `Compile error at line ${pythonLine[1]}: ${clip(error[1] ?? '')}`
  }
  const first = compileOutput.split('\n').find((line) => line.trim() !== '') ?? ''
  return first === '' ? 'Compile error' : `Compile error: ${clip(first)}`
}
