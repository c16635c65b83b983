/**
 * Issue 14 A.2: a busy machine is never the candidate's fault. With both cores loaded, a correct
 * C++ solution used to get `compile_error` at the 20 s wall-clock compile limit while its
 * compiler waited for a core. Limits are now charged in the box's CPU time, under a wall ceiling
 * four times higher; a box that reaches the ceiling starved of CPU is retried once and then ends
 * `internal_error` saying the server was too busy. A real CPU overrun, or code that sleeps past
 * the ceiling, stays the candidate's `timeout`.
 *
 * Every run here happens with CPU hogs on every core (children of this test, killed after it).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import path from 'node:path'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageLimits } from '../../protocol/languages.ts'
import { serverBusyMessage, ServerBusyError } from '../../sandbox/box/Box.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { openBoxHost, type BoxHost } from '../../sandbox/box/BoxHost.ts'
import { compileInBox } from '../../sandbox/box/compileInBox.ts'
import { loadChallenge } from '../../server/challenges/loadChallenges.ts'
import { createTestEngine, makeJob, processLanguages, runJob, twoSumJob } from './boxTestKit.ts'

let engine: BoxEngine
let host: BoxHost
const hogs: ChildProcess[] = []

beforeAll(async () => {
  engine = createTestEngine()
  host = await openBoxHost()
  await engine.probe()
  // One more hog than cores: every core stays busy even while one hog is descheduled.
  for (let i = 0; i <= os.availableParallelism(); i++) {
    hogs.push(spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }))
  }
}, 300_000)

afterAll(async () => {
  for (const hog of hogs) hog.kill('SIGKILL')
  await engine.close()
  await host.close()
})

const extensions = { python: 'py', java: 'java', cpp: 'cpp', go: 'go' } as const
const comment = { python: '#', java: '//', cpp: '//', go: '//' } as const

describe('a busy machine', () => {
  describe.each(processLanguages)('%s', (language) => {
    it('passes the two-sum reference solution twice, each compiled afresh, with every core loaded', async () => {
      const challenge = await loadChallenge(
        new URL('../../challenges', import.meta.url).pathname,
        'two-sum',
      )
      const reference = await readFile(
        new URL(
          `../../challenges/two-sum/solutions/solution.${extensions[language]}`,
          import.meta.url,
        ),
        'utf8',
      )
      // The language's own limits (20 s to compile C++), not the kit's generous test limits.
      const info = (await engine.probe()).find((l) => l.id === language)
      const limits: LanguageLimits | undefined = info?.limits
      expect(limits).toBeDefined()
      for (let attempt = 0; attempt < 2; attempt++) {
        // A fresh comment makes a fresh source: the compile cache cannot answer for it.
        const source = `${comment[language]} ${randomBytes(8).toString('hex')}\n${reference}`
        const { summary } = await runJob(
          engine,
          makeJob({
            language,
            source,
            problem: challenge.problem,
            tests: challenge.tests.map((t) => ({
              name: t.name,
              hidden: t.hidden,
              ...('args' in t.input ? { args: t.input.args } : {}),
              expected: t.expected,
            })),
            ...(limits === undefined ? {} : { limits }),
          }),
        )
        expect(summary).toMatchObject({ verdict: 'passed', passed: challenge.tests.length })
      }
    }, 600_000)
  })

  it('ends a box starved of CPU with internal_error saying the server was too busy, not timeout', async () => {
    // The function lowers its own priority to the floor, with every core taken by hogs: it gets
    // ~1 % of a core, so its CPU loop reaches the 2 s wall ceiling having used almost none of its
    // 500 ms of CPU, while it sat on a run queue. That is what a box on an overloaded machine
    // looks like; it is retried once, meets the same fate and ends as the server's fault.
    const source = [
      'import os',
      '',
      'def two_sum(nums, target):',
      '    with open("/proc/self/autogroup", "w") as f:',
      '        f.write("19")',
      '    os.nice(19)',
      '    while True:',
      '        pass',
      '',
    ].join('\n')
    const { summary, results } = await runJob(
      engine,
      twoSumJob('python', source, { cpuTimeMs: 500, wallTimeMs: 1_000 }),
    )
    expect(results[0]).toMatchObject({
      verdict: 'internal_error',
      error: { message: serverBusyMessage },
    })
    expect(summary.verdict).toBe('internal_error')
    expect(results.map((r) => r.verdict)).not.toContain('timeout')
  }, 120_000)

  it('ends a stdio test starved of CPU with internal_error and skips the rest', async () => {
    // The same starvation for a whole program per test: retried once, then the server's fault.
    const source = [
      'import os',
      'with open("/proc/self/autogroup", "w") as f:',
      '    f.write("19")',
      'os.nice(19)',
      'while True:',
      '    pass',
      '',
    ].join('\n')
    const { summary, results } = await runJob(
      engine,
      makeJob({
        language: 'python',
        source,
        problem: { style: 'stdio', compare: { mode: 'exact', floatTolerance: 0 } },
        tests: [
          { stdin: '', expected: '' },
          { stdin: '', expected: '' },
        ],
        limits: { cpuTimeMs: 500, wallTimeMs: 1_000 },
      }),
    )
    expect(results.map((r) => r.verdict)).toEqual(['internal_error', 'skipped'])
    expect(results[0]?.error?.message).toBe(serverBusyMessage)
    expect(summary.verdict).toBe('internal_error')
  }, 120_000)

  it.each([
    ['an infinite CPU loop', 'def two_sum(nums, target):\n    while True:\n        pass\n'],
    // It sleeps past the wall ceiling: it waited on no run queue, so it is its own timeout.
    [
      'code that sleeps past the wall ceiling',
      'import time\n\ndef two_sum(nums, target):\n    time.sleep(30)\n',
    ],
  ])(
    'still ends %s with timeout',
    async (_what, source) => {
      const { summary, results } = await runJob(
        engine,
        twoSumJob('python', source, { cpuTimeMs: 500, wallTimeMs: 1_000 }),
      )
      expect(results[0]).toMatchObject({ verdict: 'timeout' })
      expect(summary.verdict).toBe('timeout')
    },
    120_000,
  )

  it('charges a stdio program that sleeps past the wall ceiling with timeout too', async () => {
    const { results } = await runJob(
      engine,
      makeJob({
        language: 'python',
        source: 'import time\ntime.sleep(30)\n',
        problem: { style: 'stdio', compare: { mode: 'exact', floatTolerance: 0 } },
        tests: [{ stdin: '', expected: '' }],
        limits: { cpuTimeMs: 500, wallTimeMs: 1_000 },
      }),
    )
    expect(results[0]).toMatchObject({ verdict: 'timeout' })
  }, 120_000)

  describe('a compile box', () => {
    /** Compiles with `script` as the compiler, under a 500 ms compile limit. */
    async function compileWith(script: string) {
      const workDir = await mkdtemp(path.join(host.scratchDir, 'busy-'))
      return compileInBox({
        host,
        stage: { command: ['/usr/bin/sh', '-c', script], env: {} },
        binds: [],
        workDir,
        files: [],
        limits: {
          memoryBytes: 256 << 20,
          pids: 16,
          cpuSecondsPerProcess: 10,
          fileSizeBytes: 1 << 20,
          openFiles: 64,
          stackBytes: 8 << 20,
          tmpfsBytes: 1 << 20,
          outputBytes: 1 << 20,
          artifactBytes: 1 << 20,
        },
        timeMs: 500,
        signal: new AbortController().signal,
      })
    }

    it('starved of CPU twice, throws ServerBusyError instead of a compile error', async () => {
      // The "compiler" drops its priority to the floor and spins: a compiler on a machine too
      // busy to give it a core. The engine turns ServerBusyError into internal_error.
      await expect(
        compileWith('echo 19 > /proc/self/autogroup; while :; do :; done'),
      ).rejects.toBeInstanceOf(ServerBusyError)
    }, 120_000)

    it('that spins past its CPU budget is still a compile error', async () => {
      const result = await compileWith('while :; do :; done')
      expect(result.outcome).toEqual({
        error: 'Compilation took longer than 0.5 s and was stopped.',
      })
    }, 120_000)
  })
})
