/**
 * The files of a challenge folder, as an author writes them (see docs/CHALLENGES.md):
 *
 *   challenges/<slug>/
 *     challenge.json          metadata, signature or stdio rules, limits
 *     statement.md            the problem, in Markdown
 *     tests.json              { "tests": [...] }, visible and hidden
 *     starter/solution.<ext>  optional: starter code for a language (else generated from the signature)
 *     solutions/solution.<ext> a reference solution per language
 */
import { z } from 'zod'
import { Difficulties } from '../../protocol/challenge.ts'
import { parseType, TypeSyntaxError, type TypeSpec } from '../../protocol/types.ts'

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const identifier = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier starting with a lowercase letter')
  .max(60)

/** A type written as a string in challenge.json, parsed into a TypeSpec. */
const typeString = z.string().transform((source, ctx): TypeSpec => {
  try {
    return parseType(source)
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof TypeSyntaxError ? error.message : String(error),
    })
    return z.NEVER
  }
})

const limits = z
  .object({
    /** Time per test in ms for a fast language; scaled per language by its multiplier. */
    timeMs: z.number().int().min(100).max(20_000).optional(),
    memoryMb: z.number().int().min(16).max(2048).optional(),
  })
  .strict()
  .default({})

const common = {
  title: z.string().trim().min(1).max(120),
  difficulty: z.enum(Difficulties),
  tags: z.array(z.string().trim().min(1).max(40)).max(12).default([]),
  limits,
}

export const ChallengeJson = z.discriminatedUnion('style', [
  z
    .object({
      ...common,
      style: z.literal('function'),
      signature: z
        .object({
          function: identifier,
          params: z
            .array(z.object({ name: identifier, type: typeString }).strict())
            .max(8)
            .refine(
              (ps) => new Set(ps.map((p) => p.name)).size === ps.length,
              'parameter names must differ',
            ),
          returns: typeString,
        })
        .strict(),
      compare: z
        .object({
          unordered: z.boolean().default(false),
          floatTolerance: z.number().min(0).max(1).default(1e-6),
        })
        .strict()
        .default({ unordered: false, floatTolerance: 1e-6 }),
    })
    .strict(),
  z
    .object({
      ...common,
      style: z.literal('stdio'),
      compare: z
        .object({
          mode: z.enum(['exact', 'whitespace', 'tokens']).default('whitespace'),
          floatTolerance: z.number().min(0).max(1).default(1e-6),
        })
        .strict()
        .default({ mode: 'whitespace', floatTolerance: 1e-6 }),
    })
    .strict(),
])
export type ChallengeJson = z.infer<typeof ChallengeJson>

const testCommon = {
  /** Stable id; defaults to t1, t2… by position. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  name: z.string().trim().min(1).max(120),
  hidden: z.boolean().default(false),
}

export const FunctionTestJson = z
  .object({
    ...testCommon,
    /** Arguments by parameter name. */
    input: z.record(z.string(), z.unknown()),
    expected: z.unknown(),
  })
  .strict()

export const StdioTestJson = z
  .object({
    ...testCommon,
    stdin: z.string().max(1_000_000),
    stdout: z.string().max(1_000_000),
  })
  .strict()

export const TestsJson = z.object({ tests: z.array(z.unknown()).min(1).max(200) }).strict()
