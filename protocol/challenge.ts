/**
 * How a challenge is judged, as the runner needs it. The challenge *files* and their loader live
 * in server/challenges; this is the part that travels with every run.
 */
import type { Signature } from './types.ts'

export const Difficulties = ['easy', 'medium', 'hard'] as const
export type Difficulty = (typeof Difficulties)[number]

/** Function style: the harness calls the candidate's function and the host compares return values. */
export interface FunctionProblem {
  style: 'function'
  signature: Signature
  compare: {
    /** Ignore the order of the top-level array in the return value (e.g. "all anagram groups"). */
    unordered: boolean
    /** Absolute-or-relative tolerance for float values. Default 1e-6. */
    floatTolerance: number
  }
}

/** Stdin/stdout style: each test feeds stdin and the host compares stdout. */
export interface StdioProblem {
  style: 'stdio'
  compare: {
    /**
     * exact: byte for byte. whitespace: trailing spaces on each line and trailing blank lines
     * ignored. tokens: split on whitespace, numbers compared within floatTolerance.
     */
    mode: 'exact' | 'whitespace' | 'tokens'
    floatTolerance: number
  }
}

export type Problem = FunctionProblem | StdioProblem

/** A test's input: positional arguments (function style) or stdin (stdio style). */
export type TestInput = { args: unknown[] } | { stdin: string }
