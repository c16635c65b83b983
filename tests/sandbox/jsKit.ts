/**
 * Shared by the sandbox tests: jobs built from a few lines of code, runs collected to the end
 * through a real LocalRunner (a real sandbox process), and the two-sum challenge as the
 * challenge loader reads it.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FunctionProblem, StdioProblem } from '../../protocol/challenge.ts'
import { defaultSourceBytes, type LanguageLimits } from '../../protocol/languages.ts'
import type {
  JobTest,
  RunJob,
  RunMode,
  RunnerEvent,
  RunSummary,
  TestResult,
} from '../../protocol/run.ts'
import { parseType } from '../../protocol/types.ts'
import { loadChallenge, type Challenge } from '../../server/challenges/loadChallenges.ts'
import type { Runner } from '../../server/runner/Runner.ts'

export const challengesDir = fileURLToPath(new URL('../../challenges', import.meta.url))

export async function loadTwoSum(): Promise<Challenge> {
  return loadChallenge(path.resolve(challengesDir), 'two-sum')
}

/** Limits of most test runs: small, yet generous for light code on a loaded machine. */
export const quickLimits: LanguageLimits = {
  cpuTimeMs: 2_000,
  wallTimeMs: 5_000,
  memoryMb: 64,
  outputBytes: 64 * 1024,
  sourceBytes: defaultSourceBytes,
}

/** For runs that are meant to time out: a load on the machine only makes them time out sooner. */
export const spinLimits: Partial<LanguageLimits> = { cpuTimeMs: 1_000, wallTimeMs: 1_500 }

export const twoSumProblem: FunctionProblem = {
  style: 'function',
  signature: {
    function: 'twoSum',
    params: [
      { name: 'nums', type: parseType('int[]') },
      { name: 'target', type: parseType('int') },
    ],
    returns: parseType('int[]'),
  },
  compare: { unordered: false, floatTolerance: 1e-6 },
}

/** Three small two-sum tests: [2,7,11,15]/9, [3,2,4]/6 (hidden), [3,3]/6. */
export const twoSumTests: JobTest[] = [
  {
    id: 't1',
    name: 'example',
    hidden: false,
    input: { args: [[2, 7, 11, 15], 9] },
    expected: [0, 1],
  },
  { id: 't2', name: 'at the end', hidden: true, input: { args: [[3, 2, 4], 6] }, expected: [1, 2] },
  { id: 't3', name: 'duplicates', hidden: false, input: { args: [[3, 3], 6] }, expected: [0, 1] },
]

export const twoSumJs = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
  return []
}
`

export function stdioProblem(mode: StdioProblem['compare']['mode'] = 'whitespace'): StdioProblem {
  return { style: 'stdio', compare: { mode, floatTolerance: 1e-6 } }
}

let runSeq = 0

export function jsJob(options: {
  code: string
  language?: 'javascript' | 'typescript'
  problem?: RunJob['problem']
  tests?: JobTest[]
  mode?: RunMode
  limits?: Partial<LanguageLimits>
}): RunJob {
  const language = options.language ?? 'javascript'
  const entry = language === 'typescript' ? 'solution.ts' : 'solution.js'
  return {
    runId: `run-${process.pid}-${++runSeq}`,
    language,
    mode: options.mode ?? 'tests',
    files: [{ path: entry, content: options.code }],
    entry,
    problem: options.problem ?? twoSumProblem,
    tests: options.tests ?? twoSumTests,
    limits: { ...quickLimits, ...options.limits },
  }
}

export interface Collected {
  events: RunnerEvent[]
  results: TestResult[]
  summary: RunSummary
}

/** Runs a job to its end and checks the stream's shape: one exit, last. */
export async function collect(
  runner: Runner,
  job: RunJob,
  signal?: AbortSignal,
): Promise<Collected> {
  const events: RunnerEvent[] = []
  for await (const event of runner.run(job, signal)) events.push(event)
  const exits = events.filter((e) => e.type === 'exit')
  if (exits.length !== 1 || events.at(-1)?.type !== 'exit') {
    throw new Error(`expected exactly one exit, last; got ${events.map((e) => e.type).join(', ')}`)
  }
  const last = exits[0]
  if (last?.type !== 'exit') throw new Error('unreachable')
  return {
    events,
    results: events.flatMap((e) => (e.type === 'test' ? [e.result] : [])),
    summary: last.summary,
  }
}

/** Runs `code` against the two-sum tests and returns the collected run. */
export async function runJs(
  runner: Runner,
  code: string,
  options: Omit<Parameters<typeof jsJob>[0], 'code'> = {},
): Promise<Collected> {
  return collect(runner, jsJob({ code, ...options }))
}

/** The proof every exploit test ends with: the same runner still runs a correct solution. */
export async function expectHealthy(runner: Runner): Promise<void> {
  const { summary } = await runJs(runner, twoSumJs)
  if (summary.verdict !== 'passed') {
    throw new Error(`the next run did not pass: ${summary.verdict} (${summary.message})`)
  }
}

export function verdicts(collected: Collected): string[] {
  return collected.results.map((r) => r.verdict)
}
