/**
 * The runner on code nobody on the team wrote: a fixed sample of every conformance suite
 * (bench/conformance, data in bench/conformance/data) through a real LocalRunner. Known-good
 * programs pass; their mutants fail, unless the full run found the mutant equivalent.
 * `npm run conformance` runs every row; docs/CONFORMANCE.md has its figures.
 */
import { access } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId, LanguageLimits } from '../../protocol/languages.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { buildCases, sampleSize, suites, type Suite } from '../../bench/conformance/buildCases.ts'
import type { ConformanceCase } from '../../bench/conformance/ConformanceCase.ts'
import { conformanceDataDir } from '../../bench/conformance/loadRows.ts'
import { knownSurvivor } from '../../bench/conformance/knownSurvivors.ts'
import { runConformance, type ProgramOutcome } from '../../bench/conformance/runConformance.ts'
import { formatOutcome } from '../../bench/conformance/summarize.ts'
import { testCacheDir } from '../box/boxTestKit.ts'

const dataDir = conformanceDataDir()
const haveData = await access(`${dataDir}/README.md`).then(
  () => true,
  () => false,
)

let runner: LocalRunner
let limits: Record<LanguageId, LanguageLimits>

beforeAll(async () => {
  // The box tests' compile cache: C++'s precompiled header is built once per machine.
  runner = new LocalRunner({ concurrency: 2, env: { TANDEM_BOX_CACHE_DIR: testCacheDir } })
  const languages = await runner.languages()
  limits = Object.fromEntries(languages.map((l) => [l.id, l.limits])) as typeof limits
})

afterAll(async () => {
  await runner.close()
})

async function runSample(
  suite: Suite,
): Promise<{ cases: ConformanceCase[]; outcomes: ProgramOutcome[] }> {
  const cases = await buildCases({
    dataDir,
    languages: [suite.language],
    datasets: [suite.dataset],
    sample: sampleSize,
  })
  const outcomes = await runConformance({ runner, cases, concurrency: 2, limits })
  return { cases, outcomes }
}

/** Outcomes that are not what they should be, one line each (empty when all is well). */
function wrong(outcomes: ProgramOutcome[]): string[] {
  return outcomes
    .filter((o) =>
      o.kind === 'canonical'
        ? o.verdict !== 'passed'
        : o.verdict === 'passed'
          ? knownSurvivor(o) === undefined
          : o.failure === 'compile' || o.failure === 'internal',
    )
    .map(formatOutcome)
}

const withSolutions = suites.filter(
  (suite) => !(suite.dataset === 'multipl-e' && suite.language === 'java'),
)

// The data ships in the repository; a folder missing (or a bad TANDEM_CONFORMANCE_DATA) fails
// here rather than skipping quietly.
describe('conformance sample', () => {
  it('finds the conformance data', () => {
    expect(haveData, `no conformance data at ${dataDir} (set TANDEM_CONFORMANCE_DATA)`).toBe(true)
  })

  it.each(withSolutions.map((suite) => [`${suite.dataset} ${suite.language}`, suite] as const))(
    'passes %s known-good programs and fails their mutants',
    async (_name, suite) => {
      const { cases, outcomes } = await runSample(suite)
      expect(cases).toHaveLength(sampleSize)
      expect(outcomes.filter((o) => o.kind === 'canonical')).toHaveLength(sampleSize)
      expect(wrong(outcomes)).toEqual([])
    },
    180_000,
  )

  // MultiPL-E has no Java solutions, so only mutants: each must die on its own assertion, which
  // proves `java -ea`, javatuples on the classpath and a non-public `class Problem` declaring main.
  it('fails MultiPL-E Java mutants on their own assertions (java -ea, javatuples on the classpath)', async () => {
    const suite = suites.find((s) => s.dataset === 'multipl-e' && s.language === 'java')
    if (suite === undefined) throw new Error('no MultiPL-E Java suite')
    const { outcomes } = await runSample(suite)
    expect(outcomes).toHaveLength(sampleSize)
    expect(outcomes.filter((o) => o.failure !== 'assertion').map(formatOutcome)).toEqual([])
  }, 180_000)
})
