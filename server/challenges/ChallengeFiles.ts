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

export const identifier = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier starting with a lowercase letter')
  .max(60)

/** A type written as a string in challenge.json, parsed into a TypeSpec. */
export const typeString = z.string().transform((source, ctx): TypeSpec => {
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

/** challenge.json's fields every kind has. */
export const challengeCommon = {
  title: z.string().trim().min(1).max(120),
  difficulty: z.enum(Difficulties),
  tags: z.array(z.string().trim().min(1).max(40)).max(12).default([]),
  limits,
}

/** A test's fields in tests.json, whatever the kind. */
export const testCommon = {
  /** Stable id; defaults to t1, t2… by position. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  name: z.string().trim().min(1).max(120),
  hidden: z.boolean().default(false),
}

export const TestsJson = z.object({ tests: z.array(z.unknown()).min(1).max(200) }).strict()
