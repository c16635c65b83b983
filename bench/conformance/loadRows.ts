/**
 * Reads the conformance data (/work/shared/conformance, see its README): JSONL files, gzipped or
 * not, each row parsed once here with the schema of its dataset.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'

/** Where the data lives unless `TANDEM_CONFORMANCE_DATA` says otherwise. */
export const defaultDataDir = '/work/shared/conformance'

/** openai/human-eval: one Python problem with its canonical solution and `check` function. */
export const HumanEvalRowSchema = z.object({
  task_id: z.string(),
  prompt: z.string(),
  canonical_solution: z.string(),
  test: z.string(),
  entry_point: z.string(),
})
export type HumanEvalRow = z.infer<typeof HumanEvalRowSchema>

/** THUDM/CodeGeeX HumanEval-X: the same problems with solutions and tests in each language. */
export const HumanEvalXRowSchema = z.object({
  task_id: z.string(),
  prompt: z.string(),
  canonical_solution: z.string(),
  test: z.string(),
  /** Go only: the prompt's import block (Go/65's prompt lacks it). */
  import: z.string().optional(),
  /** Go only: `package main` and the test file's imports (testing, testify, …). */
  test_setup: z.string().optional(),
})
export type HumanEvalXRow = z.infer<typeof HumanEvalXRowSchema>

/** nuprl/MultiPL-E "reworded" prompts: a translated signature and tests, no solution. */
export const MultiPLERowSchema = z.object({
  /** e.g. `HumanEval_100_make_a_pile`. */
  name: z.string(),
  prompt: z.string(),
  tests: z.string(),
})
export type MultiPLERow = z.infer<typeof MultiPLERowSchema>

/** Every row of `file` (relative to `dataDir`), each checked against `schema`. */
export async function loadRows<T>(
  dataDir: string,
  file: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const raw = await readFile(path.join(dataDir, file))
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line))
      if (!parsed.success) {
        throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'bad row'}`)
      }
      return parsed.data
    })
}

/** The problem number of a HumanEval-derived id: `Python/12`, `HumanEval/12`, `HumanEval_12_x`. */
export function problemNumber(id: string): number {
  const match = /(?:\/|_)(\d+)(?:_|$)/.exec(id)
  if (match?.[1] === undefined) throw new Error(`no problem number in ${id}`)
  return Number(match[1])
}
