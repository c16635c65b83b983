/**
 * How a challenge is judged, as the runner needs it. The challenge *files* and their loader live
 * in server/challenges; this is the part that travels with every run.
 */
import { z } from 'zod'
import { Signature } from './types.ts'

export const Difficulties = ['easy', 'medium', 'hard'] as const
export const Difficulty = z.enum(Difficulties)
export type Difficulty = z.infer<typeof Difficulty>

/** Function style: the harness calls the candidate's function and the host compares return values. */
export const FunctionProblem = z.strictObject({
  style: z.literal('function'),
  signature: Signature,
  compare: z.strictObject({
    /** Ignore the order of the top-level array in the return value (e.g. "all anagram groups"). */
    unordered: z.boolean(),
    /** Absolute-or-relative tolerance for float values. Default 1e-6. */
    floatTolerance: z.number().min(0),
  }),
})
export type FunctionProblem = z.infer<typeof FunctionProblem>

/** Stdin/stdout style: each test feeds stdin and the host compares stdout. */
export const StdioProblem = z.strictObject({
  style: z.literal('stdio'),
  compare: z.strictObject({
    /**
     * exact: byte for byte. whitespace: trailing spaces on each line and trailing blank lines
     * ignored. tokens: split on whitespace, numbers compared within floatTolerance.
     */
    mode: z.enum(['exact', 'whitespace', 'tokens']),
    floatTolerance: z.number().min(0),
  }),
})
export type StdioProblem = z.infer<typeof StdioProblem>

export const Problem = z.discriminatedUnion('style', [FunctionProblem, StdioProblem])
export type Problem = z.infer<typeof Problem>

/** A test's input: positional arguments (function style) or stdin (stdio style). */
export const TestInput = z.union([
  z.strictObject({ args: z.array(z.unknown()) }),
  z.strictObject({ stdin: z.string() }),
])
export type TestInput = z.infer<typeof TestInput>
