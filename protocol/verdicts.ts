/**
 * Verdicts of a run and of each test. Limits are verdicts, never exceptions.
 *
 * A test can also be `skipped`: it did not run because an earlier test ended the process or
 * isolate (timeout, memory, output limit, crash). A run's own verdict is never `skipped`.
 *
 * `cancelled` is a person's decision (the Stop button, `run:cancel`), not something the code or
 * the sandbox did: the run ended before its tests did, and the tests still to run show as
 * cancelled too.
 */
import { z } from 'zod'

export const Verdicts = [
  'passed',
  'failed',
  'runtime_error',
  'compile_error',
  'timeout',
  'memory_limit',
  'output_limit',
  'cancelled',
  'internal_error',
] as const
export const Verdict = z.enum(Verdicts)
export type Verdict = z.infer<typeof Verdict>

/** Every verdict a test can have: a run's, and `skipped`. */
export const TestVerdicts = [...Verdicts, 'skipped'] as const
// A named array, not a spread inside the call: the web bundle drops unused schemas only when
// their arguments are side-effect free, and a spread is not (see web/vite.config.ts).
export const TestVerdict = z.enum(TestVerdicts)
export type TestVerdict = z.infer<typeof TestVerdict>

/**
 * Worst first. A run's verdict is the worst of its parts: a sandbox fault outranks anything else,
 * so a cancel never hides one; a cancel outranks anything the code did, since a run stopped part
 * way says nothing about the tests it did not reach; a compile error means nothing ran; resource
 * limits outrank the crash they cause; a crash outranks a wrong answer.
 */
export const verdictPrecedence: readonly Verdict[] = [
  'internal_error',
  'cancelled',
  'compile_error',
  'memory_limit',
  'timeout',
  'output_limit',
  'runtime_error',
  'failed',
  'passed',
]

/** The worst verdict among `verdicts` (skipped tests are ignored); `passed` for none. */
export function worstVerdict(verdicts: Iterable<TestVerdict>): Verdict {
  let worst: Verdict = 'passed'
  for (const verdict of verdicts) {
    if (verdict === 'skipped') continue
    if (verdictPrecedence.indexOf(verdict) < verdictPrecedence.indexOf(worst)) worst = verdict
  }
  return worst
}

export const verdictLabels: Record<TestVerdict, string> = {
  passed: 'Passed',
  failed: 'Wrong answer',
  runtime_error: 'Runtime error',
  compile_error: 'Compile error',
  timeout: 'Time limit exceeded',
  memory_limit: 'Memory limit exceeded',
  output_limit: 'Output limit exceeded',
  cancelled: 'Cancelled',
  internal_error: 'Internal error',
  skipped: 'Not run',
}

/**
 * The label of a verdict as its viewer may read it. A hidden test seen by a candidate is redacted
 * (`redactHiddenResult`): every way of not passing becomes `failed`, so its label must name no
 * class. Before this, a hidden test that crashed showed the candidate "Wrong answer".
 */
export function verdictLabel(verdict: TestVerdict, redacted: boolean): string {
  return redacted && verdict === 'failed' ? 'Failed' : verdictLabels[verdict]
}
