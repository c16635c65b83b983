/**
 * Turns program outcomes into the figures the conformance command prints and records: per suite
 * (dataset × language) the known-good pass rate and the mutant kill rate, per language the kill
 * rate over all its suites, and the lists a reader must look at (known-good failures, survivors,
 * stillborn mutants, sandbox failures).
 */
import type { ConformanceLanguage, Dataset } from './ConformanceCase.ts'
import { knownSurvivor } from './knownSurvivors.ts'
import type { ProgramOutcome } from './runConformance.ts'

export interface SuiteSummary {
  dataset: Dataset
  language: ConformanceLanguage
  rows: number
  /** Known-good programs of rows that are not excluded, and how many passed. */
  canonical: { passed: number; total: number }
  /** Excluded rows' known-good programs, and how many passed anyway. */
  excluded: { passed: number; total: number }
  mutants: MutantCounts
}

export interface MutantCounts {
  total: number
  /** Failed as a mutant should: `byAssertion` of them on the program's own assertion. */
  killed: number
  byAssertion: number
  /** Passed: an equivalent mutant or a test too weak to notice (see the survivors list). */
  survived: number
  /** Did not compile: neither killed nor survived. */
  stillborn: number
  /** The sandbox failed: neither killed nor survived. */
  internal: number
}

export interface ConformanceSummary {
  suites: SuiteSummary[]
  /** Mutant counts per language, over every suite of that language. */
  languages: { language: ConformanceLanguage; mutants: MutantCounts }[]
  /** Known-good programs that should have passed and did not: runner bugs or new defects. */
  canonicalFailures: ProgramOutcome[]
  excludedOutcomes: ProgramOutcome[]
  survivors: ProgramOutcome[]
  /** Survivors knownSurvivors.ts does not explain: a runner regression until shown otherwise. */
  newSurvivors: ProgramOutcome[]
  stillborn: ProgramOutcome[]
  internalErrors: ProgramOutcome[]
  /**
   * Programs of rows that are not excluded that the sandbox and the plain toolchain judged
   * differently (only with `--compare-outside`): the first place to look for a runner bug.
   */
  disagreements: ProgramOutcome[]
  /** How many programs were also run outside the sandbox. */
  comparedOutside: number
}

function emptyCounts(): MutantCounts {
  return { total: 0, killed: 0, byAssertion: 0, survived: 0, stillborn: 0, internal: 0 }
}

function count(counts: MutantCounts, outcome: ProgramOutcome): void {
  counts.total++
  if (outcome.verdict === 'passed') counts.survived++
  else if (outcome.failure === 'compile') counts.stillborn++
  else if (outcome.failure === 'internal') counts.internal++
  else {
    counts.killed++
    if (outcome.failure === 'assertion') counts.byAssertion++
  }
}

/** Killed among the mutants that ran (stillborn and sandbox failures left out), as 0–1. */
export function killRate(counts: MutantCounts): number {
  const ran = counts.killed + counts.survived
  return ran === 0 ? 1 : counts.killed / ran
}

export function summarize(outcomes: readonly ProgramOutcome[]): ConformanceSummary {
  const suites = new Map<string, SuiteSummary>()
  const rowsSeen = new Set<string>()
  const languages = new Map<ConformanceLanguage, MutantCounts>()
  for (const outcome of outcomes) {
    const key = `${outcome.dataset}/${outcome.language}`
    let suite = suites.get(key)
    if (suite === undefined) {
      suite = {
        dataset: outcome.dataset,
        language: outcome.language,
        rows: 0,
        canonical: { passed: 0, total: 0 },
        excluded: { passed: 0, total: 0 },
        mutants: emptyCounts(),
      }
      suites.set(key, suite)
    }
    if (!rowsSeen.has(`${key}/${outcome.id}`)) {
      rowsSeen.add(`${key}/${outcome.id}`)
      suite.rows++
    }
    if (outcome.kind === 'canonical') {
      const tally = outcome.excluded === undefined ? suite.canonical : suite.excluded
      tally.total++
      if (outcome.verdict === 'passed') tally.passed++
    } else {
      count(suite.mutants, outcome)
      const perLanguage = languages.get(outcome.language) ?? emptyCounts()
      count(perLanguage, outcome)
      languages.set(outcome.language, perLanguage)
    }
  }
  const mutants = outcomes.filter((o) => o.kind !== 'canonical')
  return {
    suites: [...suites.values()],
    languages: [...languages].map(([language, counts]) => ({ language, mutants: counts })),
    canonicalFailures: outcomes.filter(
      (o) => o.kind === 'canonical' && o.excluded === undefined && o.verdict !== 'passed',
    ),
    excludedOutcomes: outcomes.filter((o) => o.kind === 'canonical' && o.excluded !== undefined),
    survivors: mutants.filter((o) => o.verdict === 'passed'),
    newSurvivors: mutants.filter((o) => o.verdict === 'passed' && knownSurvivor(o) === undefined),
    stillborn: mutants.filter((o) => o.failure === 'compile'),
    internalErrors: outcomes.filter((o) => o.failure === 'internal'),
    // Excluded rows include a flaky one (Go/95), which disagrees with itself.
    disagreements: outcomes.filter(
      (o) =>
        o.excluded === undefined &&
        o.outside !== undefined &&
        o.outside.passed !== (o.verdict === 'passed'),
    ),
    comparedOutside: outcomes.filter((o) => o.outside !== undefined).length,
  }
}

const percent = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`

/** The summary as Markdown tables (the command prints them; docs/CONFORMANCE.md quotes them). */
export function formatTables(summary: ConformanceSummary): string {
  const lines = [
    '| Dataset | Language | Rows | Known-good passed | Excluded (passed) | Mutants killed | by assertion | Survived | Stillborn | Kill rate |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |',
  ]
  for (const suite of summary.suites) {
    const { canonical, excluded, mutants } = suite
    lines.push(
      `| ${suite.dataset} | ${suite.language} | ${suite.rows} | ` +
        (canonical.total === 0
          ? '— (no solutions) | '
          : `${canonical.passed}/${canonical.total} (${percent(canonical.passed, canonical.total)}) | `) +
        `${excluded.total === 0 ? '0' : `${excluded.total} (${excluded.passed})`} | ` +
        `${mutants.killed}/${mutants.total} | ${mutants.byAssertion} | ${mutants.survived} | ` +
        `${mutants.stillborn} | ${percent(mutants.killed, mutants.killed + mutants.survived)} |`,
    )
  }
  lines.push('', '| Language | Mutants | Killed | Survived | Stillborn | Kill rate |')
  lines.push('| --- | --: | --: | --: | --: | --: |')
  for (const { language, mutants } of summary.languages) {
    lines.push(
      `| ${language} | ${mutants.total} | ${mutants.killed} | ${mutants.survived} | ` +
        `${mutants.stillborn} | ${percent(mutants.killed, mutants.killed + mutants.survived)} |`,
    )
  }
  return lines.join('\n')
}

/** One line per outcome: `humaneval-x/go Go/12 off-by-one: runtime_error — <detail>`. */
export function formatOutcome(outcome: ProgramOutcome): string {
  const where = `${outcome.dataset}/${outcome.language} ${outcome.id} ${outcome.kind}`
  const note = outcome.note === undefined ? '' : ` (${outcome.note})`
  const detail =
    outcome.detail === undefined ? '' : ` — ${outcome.detail.split('\n').slice(0, 2).join(' | ')}`
  const outside =
    outcome.outside === undefined
      ? ''
      : ` [outside the sandbox: ${outcome.outside.passed ? 'passed' : `failed — ${(outcome.outside.detail ?? '').split('\n').slice(0, 2).join(' | ')}`}]`
  return `${where}${note}: ${outcome.verdict}${detail}${outside}`
}
