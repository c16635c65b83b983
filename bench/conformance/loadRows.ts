/**
 * Reads the conformance data (bench/conformance/data, vendored with its README and licences):
 * JSONL files, gzipped or not, each row parsed once here with the schema of its dataset.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'

/** The repository's copy of the data, found from this module (not the working directory). */
export const defaultDataDir = fileURLToPath(new URL('data', import.meta.url))

/** The data folder: `TANDEM_CONFORMANCE_DATA` when set (and not empty), else the repository's copy. */
export function conformanceDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TANDEM_CONFORMANCE_DATA
  return fromEnv === undefined || fromEnv === '' ? defaultDataDir : fromEnv
}

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

/**
 * Every row of `file` (relative to `dataDir`), each checked against `schema`. A `.gz` file that
 * is missing is read uncompressed when its plain twin exists, so a folder laid out as the data
 * was published (MultiPL-E as plain JSONL) works through `TANDEM_CONFORMANCE_DATA` too.
 */
export async function loadRows<T>(
  dataDir: string,
  file: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const { raw, gzipped } = await readDataFile(path.join(dataDir, file))
  const text = gzipped ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
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

async function readDataFile(file: string): Promise<{ raw: Buffer; gzipped: boolean }> {
  try {
    return { raw: await readFile(file), gzipped: file.endsWith('.gz') }
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    if (!missing || !file.endsWith('.gz')) throw error
    return { raw: await readFile(file.slice(0, -'.gz'.length)), gzipped: false }
  }
}

/** The problem number of a HumanEval-derived id: `Python/12`, `HumanEval/12`, `HumanEval_12_x`. */
export function problemNumber(id: string): number {
  const match = /(?:\/|_)(\d+)(?:_|$)/.exec(id)
  if (match?.[1] === undefined) throw new Error(`no problem number in ${id}`)
  return Number(match[1])
}
