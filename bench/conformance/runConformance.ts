/**
 * Runs conformance programs through a Runner, as the server runs a candidate's code: each
 * program is a custom run of a stdio problem with empty stdin, with the language's default
 * limits, in the real sandbox (isolated-vm for JavaScript/TypeScript, bubblewrap for the rest).
 * A custom run is not judged, so it passes exactly when the program ends normally: exit code 0,
 * no uncaught exception, and (JavaScript) no failed `console.assert`.
 */
import type { StdioProblem } from '../../protocol/challenge.ts'
import { languageFacts, type LanguageId, type LanguageLimits } from '../../protocol/languages.ts'
import type { JobTest, RunJob, RunSummary, TestResult } from '../../protocol/run.ts'
import type { Verdict } from '../../protocol/verdicts.ts'
import type { Runner } from '../../server/runner/Runner.ts'
import type {
  ConformanceCase,
  ConformanceLanguage,
  ConformanceProgram,
  Dataset,
  ProgramKind,
} from './ConformanceCase.ts'
import { runOutsideSandbox, type OutsideResult } from './runOutsideSandbox.ts'

/** How a program that did not pass failed. */
export type Failure =
  /** The program's own assertion failed: the test did its job. */
  | 'assertion'
  /** An exception or crash that was not an assertion (a null, an index out of range). */
  | 'error'
  /** Time, memory or output limit. */
  | 'limit'
  /** It did not compile (for a mutant: stillborn, not counted as killed). */
  | 'compile'
  /** The sandbox failed: never the program's fault. */
  | 'internal'

export interface ProgramOutcome {
  dataset: Dataset
  language: ConformanceLanguage
  id: string
  kind: ProgramKind
  note?: string
  /** Set when the row's known-good program is excluded (see exclusions.ts). */
  excluded?: string
  verdict: Verdict
  failure?: Failure
  /** What went wrong, shortened: error message, assertion text, compiler output. */
  detail?: string
  /** Wall time of the whole run as the runner reported it, ms. */
  durationMs: number
  /** The same program run by the plain toolchain outside the sandbox (`compareOutside`). */
  outside?: OutsideResult
}

export interface RunConformanceOptions {
  runner: Runner
  cases: readonly ConformanceCase[]
  /** Programs in flight at once; the runner should allow as many. */
  concurrency: number
  /** Each language's limits: the defaults the runner reports (`Runner.languages()`). */
  limits: Readonly<Record<LanguageId, LanguageLimits>>
  /**
   * Also run every program with the plain toolchain outside the sandbox (see
   * runOutsideSandbox.ts: unsandboxed, for this trusted data only). Default false.
   */
  compareOutside?: boolean | undefined
  /** Called as each program finishes, in completion order. */
  onOutcome?: ((outcome: ProgramOutcome) => void) | undefined
  signal?: AbortSignal | undefined
}

const programProblem: StdioProblem = {
  style: 'stdio',
  compare: { mode: 'exact', floatTolerance: 0 },
}

/** The one test of every run. Shared on purpose: the runner sends a test once per process. */
const programTest: JobTest = {
  id: 'program',
  name: 'Program',
  hidden: false,
  input: { stdin: '' },
  expected: null,
}

/** Outcomes of every program of every case, in the order of `cases`. */
export async function runConformance(options: RunConformanceOptions): Promise<ProgramOutcome[]> {
  const work = options.cases.flatMap((conformanceCase) =>
    conformanceCase.programs.map((program) => ({ conformanceCase, program })),
  )
  const outcomes: (ProgramOutcome | undefined)[] = new Array<undefined>(work.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < work.length && options.signal?.aborted !== true) {
      const index = next++
      const item = work[index]
      if (item === undefined) continue
      let outcome = await runProgram(options, item.conformanceCase, item.program)
      if (options.compareOutside === true) {
        const outside = await runOutsideSandbox(item.conformanceCase.language, item.program.source)
        outcome = { ...outcome, outside }
      }
      outcomes[index] = outcome
      options.onOutcome?.(outcome)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker))
  return outcomes.filter((outcome): outcome is ProgramOutcome => outcome !== undefined)
}

let runSeq = 0

async function runProgram(
  options: RunConformanceOptions,
  conformanceCase: ConformanceCase,
  program: ConformanceProgram,
): Promise<ProgramOutcome> {
  const { language } = conformanceCase
  const path = `solution.${languageFacts[language].extension}`
  const job: RunJob = {
    runId: `conformance-${process.pid}-${++runSeq}`,
    language,
    mode: 'custom',
    files: [{ path, content: program.source }],
    entry: path,
    problem: programProblem,
    tests: [programTest],
    limits: options.limits[language],
  }
  let summary: RunSummary | undefined
  let result: TestResult | undefined
  for await (const event of options.runner.run(job, options.signal)) {
    if (event.type === 'test') result = event.result
    else if (event.type === 'exit') summary = event.summary
  }
  const verdict = summary?.verdict ?? 'internal_error'
  const outcome: ProgramOutcome = {
    dataset: conformanceCase.dataset,
    language,
    id: conformanceCase.id,
    kind: program.kind,
    ...(program.note === undefined ? {} : { note: program.note }),
    ...(conformanceCase.excluded === undefined ? {} : { excluded: conformanceCase.excluded }),
    verdict,
    durationMs: Math.round(summary?.durationMs ?? 0),
  }
  if (verdict === 'passed') return outcome
  const text = [
    summary?.compileOutput,
    result?.error?.message,
    result?.mismatch,
    result?.error?.stack ?? result?.stdout,
    summary?.message,
  ]
    .filter((part) => part !== undefined && part !== '')
    .join('\n')
  return { ...outcome, failure: failureOf(language, verdict, text), detail: shorten(text) }
}

/** What each language prints when a program's own assertion fails. */
const assertionText: Record<ConformanceLanguage, RegExp> = {
  python: /\bAssertionError\b/,
  java: /\bjava\.lang\.AssertionError\b/,
  cpp: /Assertion `.*' failed/,
  go: /^assert\.Equal failed/m,
  javascript: /\bAssertion failed\b|\bAssertionError\b/,
  typescript: /\bAssertion failed\b|\bAssertionError\b/,
}

function failureOf(language: ConformanceLanguage, verdict: Verdict, text: string): Failure {
  switch (verdict) {
    case 'passed':
    case 'failed':
    case 'runtime_error':
      return assertionText[language].test(text) ? 'assertion' : 'error'
    case 'compile_error':
      return 'compile'
    case 'timeout':
    case 'memory_limit':
    case 'output_limit':
      return 'limit'
    case 'cancelled':
    case 'internal_error':
      return 'internal'
  }
}

/** The first lines of `text`, at most 600 characters. */
function shorten(text: string): string {
  const lines = text.split('\n').slice(0, 12).join('\n')
  return lines.length > 600 ? `${lines.slice(0, 600)}…` : lines
}
