/**
 * The bubblewrap engine's lifecycle: availability, the compile cache, cancellation, close,
 * concurrency and how a run's verdict is combined from its tests.
 */
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cancelledMessage, internalErrorMessage } from '../../protocol/run.ts'
import { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { ToolchainMissingError } from '../../sandbox/box/LanguageSpec.ts'
import { pythonSpec } from '../../sandbox/languages/python/spec.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { createTestEngine, functionProblem, makeJob, runJob, twoSumJob } from './boxTestKit.ts'

const pythonTwoSum =
  'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n'

/** Pids of host processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(marker)) found.push(pid)
  }
  return found
}

/** A Python solution that becomes a process named `marker` and sleeps for a minute. */
function sleeper(marker: string): string {
  return `import os\n\ndef two_sum(nums, target):\n    os.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(60)", "${marker}"])\n`
}

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine({ prebuild: false })
  await engine.probe()
})

afterAll(async () => {
  await engine.close()
})

describe('bubblewrap engine', () => {
  it('compiles unchanged code once and serves re-runs from the compile cache', async () => {
    const source = `// ${randomBytes(8).toString('hex')}\npackage main\n\nfunc twoSum(nums []int, target int) []int {\n\treturn []int{0, 1}\n}\n`
    const before = engine.compilerRuns
    const first = await runJob(engine, twoSumJob('go', source))
    const again = await runJob(engine, twoSumJob('go', source))
    expect([first.summary.verdict, again.summary.verdict]).toEqual(['failed', 'failed'])
    expect(engine.compilerRuns - before).toBe(1)
  })

  it('shares one compiler run between identical jobs started together', async () => {
    const source = `// ${randomBytes(8).toString('hex')}\npackage main\n\nfunc twoSum(nums []int, target int) []int {\n\treturn []int{0, 1}\n}\n`
    const before = engine.compilerRuns
    const outcomes = await Promise.all([1, 2, 3].map(() => runJob(engine, twoSumJob('go', source))))
    expect(outcomes.map((o) => o.summary.verdict)).toEqual(['failed', 'failed', 'failed'])
    expect(engine.compilerRuns - before).toBe(1)
  })

  it('runs several jobs at once, each in its own box', async () => {
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map(() => runJob(engine, twoSumJob('python', pythonTwoSum))),
    )
    expect(outcomes.map((o) => o.summary.verdict)).toEqual(['passed', 'passed', 'passed', 'passed'])
  })

  it('cancels a run when its signal aborts and kills its box', async () => {
    const marker = `tandem-cancel-${randomBytes(6).toString('hex')}`
    const controller = new AbortController()
    const running = runJob(
      engine,
      twoSumJob('python', sleeper(marker), { cpuTimeMs: 60_000, wallTimeMs: 60_000 }),
      controller.signal,
    )
    await waitFor(async () => (await processesWith(marker)).length > 0, 'the sleeper to start')
    controller.abort()
    const { summary } = await running
    expect(summary).toMatchObject({ verdict: 'cancelled', message: cancelledMessage })
    expect(await processesWith(marker)).toEqual([])
  })

  it('cancels the runs in flight when it closes', async () => {
    const marker = `tandem-close-${randomBytes(6).toString('hex')}`
    const own = createTestEngine({ prebuild: false })
    const running = runJob(
      own,
      twoSumJob('python', sleeper(marker), { cpuTimeMs: 60_000, wallTimeMs: 60_000 }),
    )
    await waitFor(async () => (await processesWith(marker)).length > 0, 'the sleeper to start')
    await own.close()
    expect((await running).summary.message).toBe(cancelledMessage)
    expect(await processesWith(marker)).toEqual([])
  })

  it('combines test verdicts into the worst one and counts the passes', async () => {
    // Test 1 passes, test 2 is wrong, test 3 raises: the run is a runtime error with 1 pass.
    const source =
      'def two_sum(nums, target):\n    if target == 6:\n        raise ValueError("no")\n    return [0, 1] if target == 9 else [5, 5]\n'
    const job = makeJob({
      language: 'python',
      source,
      problem: twoSumJob('python', '').problem,
      tests: [
        { args: [[2, 7], 9], expected: [0, 1] },
        { args: [[1, 4], 5], expected: [0, 1] },
        { args: [[3, 3], 6], expected: [0, 1] },
      ],
    })
    const { summary, results } = await runJob(engine, job)
    expect(results.map((r) => r.verdict)).toEqual(['passed', 'failed', 'runtime_error'])
    expect(summary).toMatchObject({
      verdict: 'runtime_error',
      passed: 1,
      total: 3,
      message: 'Runtime error on test 3 (1 of 3 tests passed)',
    })
  })

  it('lets a resource limit outrank the wrong answers before it', async () => {
    const source =
      'def two_sum(nums, target):\n    if target == 6:\n        while True:\n            pass\n    return [5, 5]\n'
    const job = makeJob({
      language: 'python',
      source,
      problem: twoSumJob('python', '').problem,
      tests: [
        { args: [[2, 7], 9], expected: [0, 1] },
        { args: [[3, 3], 6], expected: [0, 1] },
        { args: [[2, 7], 9], expected: [0, 1] },
      ],
      limits: { cpuTimeMs: 500, wallTimeMs: 2_000 },
    })
    const { summary, results } = await runJob(engine, job)
    expect(results.map((r) => r.verdict)).toEqual(['failed', 'timeout', 'skipped'])
    expect(summary).toMatchObject({
      verdict: 'timeout',
      passed: 0,
      message: 'Time limit exceeded on test 2 (0 of 3 tests passed)',
    })
  })

  it('reports a function missing from the solution as a runtime error on the first test', async () => {
    const { summary, results } = await runJob(
      engine,
      twoSumJob('python', 'def other(nums, target):\n    return []\n'),
    )
    expect(summary.verdict).toBe('runtime_error')
    expect(results[0]?.error?.message).toBe('solution.py has no function two_sum (or twoSum)')
    expect(results.slice(1).map((r) => r.verdict)).toEqual(['skipped', 'skipped'])
  })

  it('reports a language whose toolchain is missing as unavailable, with the reason', async () => {
    const missing = new BoxEngine({
      prebuild: false,
      specs: [
        {
          ...pythonSpec,
          locate: () =>
            Promise.reject(new ToolchainMissingError('/usr/bin/python3 is not installed')),
        },
      ],
    })
    try {
      expect(await missing.probe()).toMatchObject([
        { id: 'python', available: false, reason: '/usr/bin/python3 is not installed' },
      ])
      const { summary } = await runJob(missing, twoSumJob('python', pythonTwoSum))
      expect(summary).toMatchObject({
        verdict: 'internal_error',
        message: internalErrorMessage(
          'Python 3 is not available: /usr/bin/python3 is not installed',
        ),
      })
    } finally {
      await missing.close()
    }
  })

  it('refuses to run anything without bubblewrap unless unsafe runs are allowed', async () => {
    const refusing = new BoxEngine({ prebuild: false, bwrapPath: '/nonexistent/bwrap' })
    try {
      const languages = await refusing.probe()
      expect(languages.map((l) => l.available)).toEqual([false, false, false, false])
      expect(languages[0]?.reason).toMatch(/^bubblewrap is not usable at \/nonexistent\/bwrap/)
      expect((await runJob(refusing, twoSumJob('python', pythonTwoSum))).summary.verdict).toBe(
        'internal_error',
      )
    } finally {
      await refusing.close()
    }
    const unsafe = new BoxEngine({
      prebuild: false,
      bwrapPath: '/nonexistent/bwrap',
      unsafeAllowUnsandboxed: true,
      specs: [pythonSpec],
    })
    try {
      const [python] = await unsafe.probe()
      expect(python).toMatchObject({
        available: true,
        version: expect.stringMatching(/\(UNSANDBOXED\)$/) as unknown,
      })
      expect((await runJob(unsafe, twoSumJob('python', pythonTwoSum))).summary.verdict).toBe(
        'passed',
      )
    } finally {
      await unsafe.close()
    }
  })

  it('runs a function with no parameters', async () => {
    const problem = functionProblem('answer', [], 'int')
    const { summary } = await runJob(
      engine,
      makeJob({
        language: 'python',
        source: 'def answer():\n    return 42\n',
        problem,
        tests: [{ args: [], expected: 42 }],
      }),
    )
    expect(summary.verdict).toBe('passed')
  })
})
