/**
 * One hostile candidate's output must not take the sandbox process down for everyone (issue 13,
 * findings 1 and 2). Everything the host reads from a box — result frames, crash reports — is
 * parsed in bounded, linear, non-recursive code, and whatever goes wrong while judging one test
 * is that test's verdict. Each case runs the attack through the real bubblewrap engine, asserts
 * the verdict the candidate sees, and then runs a correct solution on the same engine.
 *
 * The JavaScript engine reads return values through the same depth check; its case runs through
 * a real sandbox process (LocalRunner) so a crash of that process would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { tooDeepMessage } from '../../sandbox/judge.ts'
import { expectHealthy, runJs } from '../sandbox/jsKit.ts'
import { cppForgedCrashReport } from '../fixtures/attacks.ts'
import { createTestEngine, runJob, twoSumJob } from './boxTestKit.ts'

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

const references = {
  python:
    'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n',
  cpp: '#include <bits/stdc++.h>\nusing namespace std;\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    map<long long, long long> seen;\n    for (long long i = 0; i < (long long)nums.size(); i++) {\n        if (seen.count(target - nums[i])) return {seen[target - nums[i]], i};\n        seen[nums[i]] = i;\n    }\n    return {};\n}\n',
} as const

async function expectNextRunPasses(language: keyof typeof references): Promise<void> {
  const { summary } = await runJob(engine, twoSumJob(language, references[language]))
  expect(summary.verdict).toBe('passed')
}

describe('a return value nested too deeply', () => {
  it('is the test’s runtime_error in Python, and the engine runs the next job', async () => {
    // How the attack worked: the harness serialises whatever the function returns (its recursion
    // limit is raised for deep recursion), so 50 000 nested lists reached the host as JSON, and
    // canonicalJson's recursion overflowed the sandbox process's stack: every run on it died.
    const source =
      'def two_sum(nums, target):\n    x = []\n    for _ in range(50000):\n        x = [x]\n    return x\n'
    const { summary, results } = await runJob(engine, twoSumJob('python', source))
    expect(results.map((result) => result.verdict)).toEqual([
      'runtime_error',
      'runtime_error',
      'runtime_error',
    ])
    expect(results[0]?.error?.message).toBe(tooDeepMessage)
    expect(summary.verdict).toBe('runtime_error')
    await expectNextRunPasses('python')
  }, 120_000)

  it('is the test’s runtime_error in JavaScript too, and the sandbox process lives on', async () => {
    // 1 500 levels: deep enough to pass the limit, shallow enough for the isolate to serialise.
    const runner = new LocalRunner({ concurrency: 1 })
    try {
      const run = await runJs(
        runner,
        'function twoSum() { let x = []; for (let i = 0; i < 1500; i++) x = [x]; return x }',
      )
      expect(run.results[0]?.verdict).toBe('runtime_error')
      expect(run.results[0]?.error?.message).toBe(tooDeepMessage)
      await expectHealthy(runner)
    } finally {
      await runner.close()
    }
  }, 120_000)
})

describe('a return value too large to judge', () => {
  it('ends the run with output_limit, not runtime_error', async () => {
    // 40 MB of JSON in one result frame, past the host's 32 MiB frame limit: it used to be
    // reported as a malformed harness frame (runtime_error), though it is a limit (issue 13, 7).
    const source = 'def two_sum(nums, target):\n    return "z" * 40_000_000\n'
    const { summary, results } = await runJob(engine, twoSumJob('python', source))
    expect(results.map((result) => result.verdict)).toEqual(['output_limit', 'skipped', 'skipped'])
    expect(results[0]?.error?.message).toMatch(/^Output limit exceeded/)
    expect(summary.verdict).toBe('output_limit')
    await expectNextRunPasses('python')
  }, 120_000)
})

describe('a forged crash report', () => {
  it('with a 40 000-level allocator line ends the run with its verdict, and the next run passes', async () => {
    // How the attack worked: a static initialiser reads the harness's stdin (the frame nonce is
    // its first line) and puts it back through a pipe; the function then writes the crash frame
    // the harness writes on SIGSEGV, followed by one "stack" line of 40 000 nested
    // `, std::allocator<`, and exits. The host's name cleaner replaced the innermost allocator
    // per pass, until nothing changed: quadratic, ~97 s of the sandbox's main thread.
    const { summary, results } = await runJob(
      engine,
      // Room for the forged line, so the run ends on the crash and not on the output limit.
      twoSumJob('cpp', cppForgedCrashReport, { outputBytes: 2 << 20 }),
    )
    expect(results.map((result) => result.verdict)).toEqual(['runtime_error', 'skipped', 'skipped'])
    expect(results[0]?.error?.message).toMatch(/^The program crashed: SIGSEGV/)
    // The forged line is cut to 500 characters before anything cleans it: a prefix of it is left.
    const stack = results[0]?.error?.stack ?? ''
    expect(stack).toMatch(/^solution\.cpp:3 twoSum\(v<int, std::allocator<int/)
    expect(stack.length).toBeLessThanOrEqual(500)
    expect(summary.verdict).toBe('runtime_error')
    await expectNextRunPasses('cpp')
  }, 300_000)
})
