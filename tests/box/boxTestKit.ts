/**
 * Shared by the bubblewrap engine's tests: one engine per test file, jobs built from a few
 * lines, and a run that collects every event.
 *
 * The compile cache lives in a named folder under the OS temp folder, kept between test runs on
 * purpose (like a build cache): C++'s precompiled header takes ~15 s to build, once.
 */
import os from 'node:os'
import path from 'node:path'
import type { FunctionProblem, StdioProblem } from '../../protocol/challenge.ts'
import {
  defaultSourceBytes,
  type LanguageId,
  type LanguageLimits,
} from '../../protocol/languages.ts'
import type { JobTest, RunJob, RunMode, RunSummary, TestResult } from '../../protocol/run.ts'
import { parseType } from '../../protocol/types.ts'
import type { EngineEvent } from '../../sandbox/Engine.ts'
import { BoxEngine, type BoxEngineOptions } from '../../sandbox/box/BoxEngine.ts'

export const testCacheDir = path.join(
  os.tmpdir(),
  `tandem-box-test-cache-${process.getuid?.() ?? 0}`,
)

export function createTestEngine(options: BoxEngineOptions = {}): BoxEngine {
  return new BoxEngine({ cacheDir: testCacheDir, ...options })
}

export const processLanguages = ['python', 'java', 'cpp', 'go'] as const satisfies LanguageId[]

/** `twoSum(nums: int[], target: int) -> int[]` */
export const twoSumProblem: FunctionProblem = functionProblem(
  'twoSum',
  [
    ['nums', 'int[]'],
    ['target', 'int'],
  ],
  'int[]',
)

export function functionProblem(
  name: string,
  params: [string, string][],
  returns: string,
  compare: Partial<FunctionProblem['compare']> = {},
): FunctionProblem {
  return {
    style: 'function',
    signature: {
      function: name,
      params: params.map(([param, type]) => ({ name: param, type: parseType(type) })),
      returns: parseType(returns),
    },
    compare: { unordered: false, floatTolerance: 1e-6, ...compare },
  }
}

export function stdioProblem(mode: StdioProblem['compare']['mode'] = 'whitespace'): StdioProblem {
  return { style: 'stdio', compare: { mode, floatTolerance: 1e-6 } }
}

export interface TestCase {
  name?: string
  hidden?: boolean
  /** Function style. */
  args?: unknown[]
  /** Stdio style. */
  stdin?: string
  expected?: unknown
}

/** Small, fast limits for tests; a test raises them where it needs more. */
export const testLimits: LanguageLimits = {
  cpuTimeMs: 3_000,
  wallTimeMs: 6_000,
  memoryMb: 256,
  outputBytes: 64 << 10,
  sourceBytes: defaultSourceBytes,
  compileTimeMs: 60_000,
}

export function makeJob(options: {
  language: LanguageId
  source: string
  problem: FunctionProblem | StdioProblem
  tests: TestCase[]
  limits?: Partial<LanguageLimits>
  mode?: RunMode
}): RunJob {
  const tests: JobTest[] = options.tests.map((test, index) => ({
    id: `t${index + 1}`,
    name: test.name ?? `test ${index + 1}`,
    hidden: test.hidden ?? false,
    input: test.stdin !== undefined ? { stdin: test.stdin } : { args: test.args ?? [] },
    expected: options.mode === 'custom' ? null : (test.expected ?? null),
  }))
  return {
    runId: `test-${Math.random().toString(36).slice(2)}`,
    language: options.language,
    mode: options.mode ?? 'tests',
    files: [{ path: 'main', content: options.source }],
    entry: 'main',
    problem: options.problem,
    tests,
    limits: { ...testLimits, ...options.limits },
  }
}

export interface Outcome {
  summary: RunSummary
  results: TestResult[]
  events: EngineEvent[]
}

export async function runJob(
  engine: BoxEngine,
  job: RunJob,
  signal?: AbortSignal,
): Promise<Outcome> {
  const events: EngineEvent[] = []
  const summary = await engine.run({
    job,
    emit: (event) => events.push(event),
    signal: signal ?? new AbortController().signal,
  })
  const results = events.flatMap((event) => (event.type === 'test' ? [event.result] : []))
  return { summary, results, events }
}

/** Runs `source` against two-sum's three visible cases. */
export function twoSumJob(
  language: LanguageId,
  source: string,
  limits?: Partial<LanguageLimits>,
): RunJob {
  return makeJob({
    language,
    source,
    problem: twoSumProblem,
    tests: [
      { args: [[2, 7, 11, 15], 9], expected: [0, 1] },
      { args: [[3, 2, 4], 6], expected: [1, 2] },
      { args: [[3, 3], 6], expected: [0, 1] },
    ],
    ...(limits === undefined ? {} : { limits }),
  })
}
