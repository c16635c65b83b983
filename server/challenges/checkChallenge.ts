/**
 * Runs a challenge's own sources (reference solutions, author starters) through a runner, the way
 * the server runs a candidate's code: every test, the language's effective limits. Used by
 * `npm run tandem -- challenges check` and by the test that walks every bundled challenge.
 */
import { solutionPath } from '../../protocol/collab.ts'
import { effectiveLimits, type LanguageId, type LanguageInfo } from '../../protocol/languages.ts'
import type { RunJob, RunSummary, TestResult } from '../../protocol/run.ts'
import { newId } from '../ids.ts'
import type { Runner } from '../runner/Runner.ts'
import type { Challenge } from './loadChallenges.ts'

export interface CheckOutcome {
  summary: RunSummary
  results: TestResult[]
}

/**
 * One source of a challenge to check: a reference solution must pass, an author starter must
 * fail a visible test, a known-bad solution must compile and fail a test.
 */
export interface CheckCase {
  slug: string
  challenge: Challenge
  language: LanguageId
  kind: 'solution' | 'starter' | 'bad'
  /** A known-bad solution's name (`bad/<name>.<ext>`); absent for the others. */
  name?: string
  source: string
}

/** What each kind of case must do, as the check reports it when it does not. */
export const caseExpectations: Record<CheckCase['kind'], string> = {
  solution: 'must pass every test',
  starter: 'must fail a visible test',
  bad: 'must compile and fail at least one test',
}

/** Every reference solution and author starter of the given challenges, in a stable order. */
export function checkCases(challenges: Iterable<Challenge>): CheckCase[] {
  return [...challenges].flatMap((challenge) => [
    ...Object.entries(challenge.solutions).map(([language, source]) => ({
      slug: challenge.slug,
      challenge,
      language: language as LanguageId,
      kind: 'solution' as const,
      source,
    })),
    ...Object.entries(challenge.starters).map(([language, source]) => ({
      slug: challenge.slug,
      challenge,
      language: language as LanguageId,
      kind: 'starter' as const,
      source,
    })),
    ...challenge.knownBad.map((bad) => ({
      slug: challenge.slug,
      challenge,
      language: bad.language,
      kind: 'bad' as const,
      name: bad.name,
      source: bad.source,
    })),
  ])
}

/** Runs `source` against every test of the challenge in `language`. */
export async function runChallengeSource(
  runner: Pick<Runner, 'run'>,
  { challenge, language, source }: { challenge: Challenge; language: LanguageInfo; source: string },
): Promise<CheckOutcome> {
  if (!language.available) {
    throw new Error(`${language.name} is unavailable here: ${language.reason ?? 'no reason given'}`)
  }
  const path = solutionPath(challenge.slug, language.id)
  const job: RunJob = {
    runId: `check-${challenge.slug}-${language.id}-${newId()}`,
    language: language.id,
    mode: 'tests',
    files: [{ path, content: source }],
    entry: path,
    problem: challenge.problem,
    tests: challenge.tests,
    limits: effectiveLimits(language, challenge),
  }
  const results: TestResult[] = []
  for await (const event of runner.run(job)) {
    if (event.type === 'test') results.push(event.result)
    if (event.type === 'exit') return { summary: event.summary, results }
  }
  throw new Error('the run ended without an exit event')
}

/**
 * Whether a case behaved as it should: a reference solution passes every test; an author starter
 * (a debugging challenge's buggy code) gives a wrong answer on a visible test without crashing; a
 * known-bad solution is caught by the tests — it compiles and the run ends with a verdict of the
 * code (failed, runtime_error, timeout, memory or output limit), never passed, and never one of
 * the server's (internal_error, cancelled), which would say nothing about the tests.
 */
export function caseHolds(kind: CheckCase['kind'], outcome: CheckOutcome): boolean {
  if (kind === 'solution') return outcome.summary.verdict === 'passed'
  if (kind === 'bad') {
    return !['passed', 'compile_error', 'internal_error', 'cancelled'].includes(
      outcome.summary.verdict,
    )
  }
  const visible = outcome.results.filter((r) => !r.hidden)
  return (
    visible.some((r) => r.verdict === 'failed') &&
    !visible.some((r) => r.verdict === 'runtime_error')
  )
}

/** The run's message, compiler output, and one line per test that did not pass, saying why. */
export function describeFailures({ summary, results }: CheckOutcome): string {
  const lines = results
    .filter((r) => r.verdict !== 'passed')
    .map((r) => {
      const why = r.mismatch ?? r.error?.message ?? r.stdout?.slice(0, 300) ?? ''
      return `  ${r.testId} "${r.name}"${r.hidden ? ' (hidden)' : ''}: ${r.verdict} ${why}`.trimEnd()
    })
  const compile = summary.compileOutput === undefined ? [] : [summary.compileOutput]
  return [summary.message, ...compile, ...lines].join('\n')
}
