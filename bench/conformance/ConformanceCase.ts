/**
 * What the conformance run runs: for each row of each dataset × language, the known-good
 * program (prompt + canonical solution + the row's own tests) and its mutants. Every program is
 * a whole program with its own assertions; it passes when it ends without an assertion failure.
 */
import type { LanguageId } from '../../protocol/languages.ts'

/** The languages the conformance data covers (all of Tandem's). */
export type ConformanceLanguage = LanguageId

export const datasets = ['humaneval', 'humaneval-x', 'multipl-e'] as const
export type Dataset = (typeof datasets)[number]

/** `canonical` must pass; every other kind is a mutant and must fail. */
export type ProgramKind = 'canonical' | 'empty-return' | 'off-by-one'

export interface ConformanceProgram {
  kind: ProgramKind
  source: string
  /** What the mutation changed, e.g. ``0 → 1 in `for (let i = 0; i < n; i++)` ``. */
  note?: string
}

export interface ConformanceCase {
  dataset: Dataset
  language: ConformanceLanguage
  /** The row's own id: `Python/12`, `HumanEval/12`, `HumanEval_12_…`. */
  id: string
  /** The known-good program first when the data has one (MultiPL-E Java has none), then mutants. */
  programs: ConformanceProgram[]
  /**
   * Why this row's known-good program is not expected to pass (a defect in the data or a
   * dependency the sandbox does not have). Excluded rows still run; they are reported apart.
   */
  excluded?: string
}
