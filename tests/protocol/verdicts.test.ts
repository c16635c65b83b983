import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobTest, RunJob } from '../../protocol/run.ts'
import {
  verdictLabels,
  verdictPrecedence,
  Verdicts,
  worstVerdict,
} from '../../protocol/verdicts.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { collect, jsJob, quickLimits, spinLimits, twoSumProblem } from '../sandbox/jsKit.ts'

describe('verdict precedence', () => {
  it('ranks a sandbox fault over everything, and a wrong answer just above passing', () => {
    expect(verdictPrecedence).toEqual([
      'internal_error',
      'cancelled',
      'compile_error',
      'memory_limit',
      'timeout',
      'output_limit',
      'runtime_error',
      'failed',
      'passed',
    ])
  })

  it('gives a run the worst verdict of its tests, ignoring skipped ones', () => {
    expect(worstVerdict([])).toBe('passed')
    expect(worstVerdict(['passed', 'failed', 'passed'])).toBe('failed')
    expect(worstVerdict(['failed', 'runtime_error'])).toBe('runtime_error')
    expect(worstVerdict(['runtime_error', 'timeout', 'skipped'])).toBe('timeout')
    expect(worstVerdict(['timeout', 'memory_limit'])).toBe('memory_limit')
    expect(worstVerdict(['output_limit', 'timeout'])).toBe('timeout')
    expect(worstVerdict(['skipped', 'skipped'])).toBe('passed')
  })

  it('gives a cancelled run the verdict cancelled, whatever its tests did, but never hides a sandbox fault', () => {
    // A run stopped part way says nothing about the tests it did not reach.
    expect(worstVerdict(['failed', 'timeout', 'cancelled', 'skipped'])).toBe('cancelled')
    expect(worstVerdict(['compile_error', 'cancelled'])).toBe('cancelled')
    // An operator must see a fault even when somebody pressed Stop after it.
    expect(worstVerdict(['cancelled', 'internal_error'])).toBe('internal_error')
  })

  it('labels every verdict, and a cancelled one as a person’s act, not a failure', () => {
    expect(verdictLabels.cancelled).toBe('Cancelled')
    for (const verdict of [...Verdicts, 'skipped' as const]) {
      expect(verdictLabels[verdict]).toMatch(/^[A-Z]/)
    }
  })
})

/** Three tests told apart by their first argument, so the code can misbehave on each. */
const markedTests: JobTest[] = [1, 2, 3].map((marker) => ({
  id: `t${marker}`,
  name: `test ${marker}`,
  hidden: false,
  input: { args: [[marker, 10], 11] },
  expected: [0, 1],
}))

function pythonJob(code: string): RunJob {
  return {
    runId: `verdicts-${Date.now()}-${Math.random()}`,
    language: 'python',
    mode: 'tests',
    files: [{ path: 'solution.py', content: code }],
    entry: 'solution.py',
    problem: twoSumProblem,
    tests: markedTests,
    limits: { ...quickLimits, ...spinLimits },
  }
}

describe('a real run reports the worst of its tests', () => {
  let runner: LocalRunner
  beforeAll(() => {
    runner = new LocalRunner({ concurrency: 2 })
  })
  afterAll(() => runner.close())

  it('in an isolate: a crash outranks a wrong answer', async () => {
    const code = `function twoSum(nums) {
      if (nums[0] === 1) return [1, 0]
      if (nums[0] === 2) throw new Error('boom')
      return [0, 1]
    }`
    const run = await collect(runner, jsJob({ code, tests: markedTests }))
    expect(run.results.map((r) => r.verdict)).toEqual(['failed', 'runtime_error', 'passed'])
    expect(run.summary.verdict).toBe('runtime_error')
  })

  it('in an isolate: a timeout outranks a crash and ends the run', async () => {
    const code = `function twoSum(nums) {
      if (nums[0] === 1) throw new Error('boom')
      if (nums[0] === 2) for (;;) {}
      return [0, 1]
    }`
    const run = await collect(runner, jsJob({ code, tests: markedTests, limits: spinLimits }))
    expect(run.results.map((r) => r.verdict)).toEqual(['runtime_error', 'timeout', 'skipped'])
    expect(run.summary.verdict).toBe('timeout')
  })

  it('in a box: a memory limit outranks a wrong answer and ends the run', async () => {
    const code = `def two_sum(nums, target):
    if nums[0] == 1:
        return [1, 0]
    if nums[0] == 2:
        hog = []
        while True:
            hog.append(bytearray(1 << 20))
    return [0, 1]
`
    const run = await collect(runner, pythonJob(code))
    expect(run.results.map((r) => r.verdict)).toEqual(['failed', 'memory_limit', 'skipped'])
    expect(run.summary.verdict).toBe('memory_limit')
  })

  it('in a box: an output flood outranks a crash', async () => {
    const code = `def two_sum(nums, target):
    if nums[0] == 1:
        raise ValueError('boom')
    if nums[0] == 2:
        while True:
            print('x' * 4096)
    return [0, 1]
`
    const run = await collect(runner, pythonJob(code))
    expect(run.results.map((r) => r.verdict)).toEqual(['runtime_error', 'output_limit', 'skipped'])
    expect(run.summary.verdict).toBe('output_limit')
  })
})
