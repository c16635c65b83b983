/**
 * The conformance data ships in the repository (bench/conformance/data): every suite loads from
 * it with the row counts its README states, whatever the working directory, and a folder laid
 * out as the data was published (plain JSONL) still works through TANDEM_CONFORMANCE_DATA.
 * Nothing here runs a program; conformance.test.ts does that.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { suites } from '../../bench/conformance/buildCases.ts'
import {
  conformanceDataDir,
  defaultDataDir,
  loadRows,
  MultiPLERowSchema,
} from '../../bench/conformance/loadRows.ts'

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** Rows per suite, as bench/conformance/data/README.md records them. */
const expectedRows: Record<string, number> = {
  'humaneval python': 164,
  'humaneval-x python': 164,
  'humaneval-x javascript': 164,
  'humaneval-x java': 164,
  'humaneval-x cpp': 164,
  'humaneval-x go': 164,
  'multipl-e typescript': 159,
  'multipl-e javascript': 161,
  'multipl-e java': 158,
}

const temps: string[] = []
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('conformance data', () => {
  it('lives inside the repository, beside its README and licences', async () => {
    expect(path.relative(repositoryRoot, defaultDataDir)).toBe(
      path.join('bench', 'conformance', 'data'),
    )
    const readme = await readFile(path.join(defaultDataDir, 'README.md'), 'utf8')
    for (const licence of [
      'human-eval-MIT.txt',
      'CodeGeeX-Apache-2.0.txt',
      'MultiPL-E-BSD-3-Clause-ML-restriction.txt',
    ]) {
      expect(readme).toContain(`LICENSES/${licence}`)
      await expect(
        readFile(path.join(defaultDataDir, 'LICENSES', licence), 'utf8'),
      ).resolves.toMatch(/licen[cs]e/i)
    }
  })

  it('is the default unless TANDEM_CONFORMANCE_DATA names another folder', () => {
    expect(conformanceDataDir({})).toBe(defaultDataDir)
    expect(conformanceDataDir({ TANDEM_CONFORMANCE_DATA: '' })).toBe(defaultDataDir)
    expect(conformanceDataDir({ TANDEM_CONFORMANCE_DATA: '/elsewhere' })).toBe('/elsewhere')
  })

  it.each(suites.map((suite) => [`${suite.dataset} ${suite.language}`, suite] as const))(
    'loads every %s row from the repository copy',
    async (name, suite) => {
      const cases = await suite.load(defaultDataDir)
      expect(cases).toHaveLength(expectedRows[name] ?? -1)
      expect(cases.every((c) => c.programs.length > 0)).toBe(true)
    },
  )

  it('reads the plain JSONL twin of a missing .gz file (the layout the data was published in)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tandem-conformance-'))
    temps.push(dir)
    const file = 'multipl-e/humaneval-java-reworded.jsonl.gz'
    const plain = gunzipSync(await readFile(path.join(defaultDataDir, file)))
    await mkdir(path.join(dir, 'multipl-e'))
    await writeFile(path.join(dir, file.replace(/\.gz$/, '')), plain)
    const rows = await loadRows(dir, file, MultiPLERowSchema)
    expect(rows).toHaveLength(158)
    expect(rows[0]?.name).toMatch(/^HumanEval_0_/)
  })

  it('names the file and line of a row that does not match its schema', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tandem-conformance-'))
    temps.push(dir)
    await writeFile(
      path.join(dir, 'rows.jsonl'),
      '{"name":"a","prompt":"p","tests":"t"}\n{"name":1}\n',
    )
    await expect(loadRows(dir, 'rows.jsonl', MultiPLERowSchema)).rejects.toThrow(/^rows\.jsonl:2: /)
  })
})
