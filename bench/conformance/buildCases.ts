/**
 * The suites of the conformance run (one per dataset × language) and the choice of rows: all of
 * them, the first N, or a fixed sample spread over each suite.
 */
import type { ConformanceCase, ConformanceLanguage, Dataset } from './ConformanceCase.ts'
import { humanEvalCases, humanEvalXCases, type HumanEvalXLanguage } from './humanEvalCases.ts'
import { multiplECases, type MultiPLELanguage } from './multiplECases.ts'

export interface Suite {
  dataset: Dataset
  language: ConformanceLanguage
  load: (dataDir: string) => Promise<ConformanceCase[]>
}

const humanEvalX = (language: HumanEvalXLanguage): Suite => ({
  dataset: 'humaneval-x',
  language,
  load: (dataDir) => humanEvalXCases(dataDir, language),
})

const multiplE = (language: MultiPLELanguage): Suite => ({
  dataset: 'multipl-e',
  language,
  load: (dataDir) => multiplECases(dataDir, language),
})

/** Every suite, in the order the table prints them. */
export const suites: readonly Suite[] = [
  { dataset: 'humaneval', language: 'python', load: humanEvalCases },
  humanEvalX('python'),
  humanEvalX('javascript'),
  humanEvalX('java'),
  humanEvalX('cpp'),
  humanEvalX('go'),
  multiplE('typescript'),
  multiplE('javascript'),
  multiplE('java'),
]

/** Rows per suite with `--sample`: the same rows the CI test runs. */
export const sampleSize = 8

export interface CaseSelection {
  /** Where the data lives (see loadRows.defaultDataDir). */
  dataDir: string
  /** Only these languages; default all. */
  languages?: readonly ConformanceLanguage[] | undefined
  /** Only these datasets; default all. */
  datasets?: readonly Dataset[] | undefined
  /** At most this many rows per suite (the first ones). */
  limit?: number | undefined
  /**
   * This many rows per suite, spread evenly over the rows that are not excluded: the same rows
   * on every run, so a change in the result is a change in the runner.
   */
  sample?: number | undefined
}

export async function buildCases(selection: CaseSelection): Promise<ConformanceCase[]> {
  const chosen = suites.filter(
    (suite) =>
      (selection.languages?.includes(suite.language) ?? true) &&
      (selection.datasets?.includes(suite.dataset) ?? true),
  )
  const perSuite = await Promise.all(
    chosen.map(async (suite) => {
      let cases = await suite.load(selection.dataDir)
      if (selection.sample !== undefined) cases = spread(cases, selection.sample)
      if (selection.limit !== undefined) cases = cases.slice(0, selection.limit)
      return cases
    }),
  )
  return perSuite.flat()
}

/** `count` rows at evenly spaced positions among the rows that are not excluded. */
function spread(cases: ConformanceCase[], count: number): ConformanceCase[] {
  const eligible = cases.filter((c) => c.excluded === undefined)
  if (eligible.length <= count) return eligible
  return Array.from(
    { length: count },
    (_, k) => eligible[Math.floor(((k + 0.5) * eligible.length) / count)],
  ).filter((c) => c !== undefined)
}
