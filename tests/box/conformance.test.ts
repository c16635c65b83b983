/**
 * The engine on code nobody on the team wrote (/work/shared/conformance, see its README):
 * known-good HumanEval and HumanEval-X solutions pass; mutated ones fail. Each program runs as a
 * stdio custom run, so it passes when it exits 0 and fails (runtime_error) when an assertion
 * throws. HumanEval-X Go needs testify from the network, so Go is not sampled.
 */
import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { createTestEngine, makeJob, runJob, stdioProblem } from './boxTestKit.ts'

const dataDir = '/work/shared/conformance'
/** Rows sampled per file: enough to cover several signatures, few enough to stay quick. */
const sample = 6

type Row = Record<string, string>

async function rows(file: string): Promise<Row[]> {
  const raw = await readFile(`${dataDir}/${file}`)
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row)
}

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

/** Runs a whole program; the verdict says whether it exited 0. */
async function verdictOf(language: LanguageId, source: string): Promise<string> {
  const { summary, results } = await runJob(
    engine,
    makeJob({
      language,
      source,
      problem: stdioProblem(),
      tests: [{ stdin: '' }],
      mode: 'custom',
      limits: { cpuTimeMs: 10_000, wallTimeMs: 20_000 },
    }),
  )
  return summary.verdict === 'passed'
    ? 'passed'
    : `${summary.verdict}: ${results[0]?.error?.message ?? summary.compileOutput ?? ''}`
}

describe.skipIf(
  !(await readFile(`${dataDir}/README.md`).then(
    () => true,
    () => false,
  )),
)('conformance data', () => {
  it('passes canonical HumanEval Python solutions and fails "return None" mutants', async () => {
    for (const row of (await rows('humaneval/HumanEval.jsonl.gz')).slice(0, sample)) {
      const run = (body: string): string =>
        `${row.prompt}${body}\n${row.test}\ncheck(${row.entry_point})\n`
      expect(await verdictOf('python', run(row.canonical_solution ?? '')), row.task_id).toBe(
        'passed',
      )
      expect(await verdictOf('python', run('    return None\n')), row.task_id).toMatch(
        /^runtime_error/,
      )
    }
  })

  it.each([
    ['cpp', 'humaneval_cpp'],
    ['java', 'humaneval_java'],
  ] as [LanguageId, string][])(
    'passes canonical HumanEval-X %s solutions',
    async (language, file) => {
      for (const row of (await rows(`humaneval-x/${file}.jsonl.gz`)).slice(0, sample)) {
        const source = `${row.prompt}${row.canonical_solution}\n${row.test}\n`
        expect(await verdictOf(language, source), row.task_id).toBe('passed')
      }
    },
  )

  it('fails MultiPL-E Java mutants on their assertions (so -ea and javatuples are in place)', async () => {
    const defaults: Record<string, string> = { boolean: 'false', long: '-1l', String: '"?"' }
    let tried = 0
    for (const row of await rows('multipl-e/humaneval-java-reworded.jsonl')) {
      const returnType = /public static (\w+) \w+\([^)]*\) \{\n$/.exec(row.prompt ?? '')?.[1]
      const wrong = returnType === undefined ? undefined : defaults[returnType]
      if (wrong === undefined) continue
      const source = `${row.prompt}        return ${wrong};\n${row.tests}\n`
      expect(await verdictOf('java', source), row.name).toMatch(/^runtime_error/)
      if (++tried === sample) break
    }
    expect(tried).toBe(sample)
  })
})
