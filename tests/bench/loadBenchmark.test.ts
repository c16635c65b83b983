/**
 * Keeps `bench/load.ts` working: its tiny mode types into a few rooms while they run their code,
 * and writes a result with every figure. Figures are never asserted (speed is measured in bench/,
 * not here); that runs finished with a verdict and no character was lost is.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { Verification, WindowResult } from '../../bench/lib/CollabFleet.ts'
import type { MachineInfo } from '../../bench/lib/machineInfo.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

interface LoadResult {
  machine: MachineInfo
  runsAtRest: WindowResult['runs']
  typingOnly: WindowResult
  typingWithRuns: WindowResult
  ratio: Record<string, number | null>
  verification: Verification
}

describe('load benchmark', () => {
  it('runs in tiny mode, typing while every room runs its code, and writes every figure', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-load-'))
    dirs.push(dir)
    const out = path.join(dir, 'load.json')
    await run(
      process.execPath,
      [
        'bench/load.ts',
        ...['--rooms', '3', '--seconds', '4', '--rounds', '1', '--warmup', '1'],
        ...['--run-every', '1', '--rest-runs', '2', '--run-grace', '3', '--out', out],
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    )
    const result = JSON.parse(readFileSync(out, 'utf8')) as LoadResult
    expect(result.machine.cores).toBeGreaterThan(0)
    const { typingOnly, typingWithRuns } = result
    for (const figure of [
      result.runsAtRest?.p50Ms,
      typingOnly.latency.p99Ms,
      typingOnly.serverCpuCores,
      typingOnly.serverRssMiB,
      typingWithRuns.latency.p99Ms,
      typingWithRuns.runs?.p99Ms,
      typingWithRuns.serverCpuCores,
      typingWithRuns.childCpuCores,
      typingWithRuns.childRssMiB,
      result.ratio.keystrokeP99,
    ]) {
      expect(typeof figure).toBe('number')
    }
    expect(result.verification).toMatchObject({
      replicas: 9,
      exactReplicas: 9,
      serverExact: 3,
      lost: 0,
      duplicated: 0,
    })
    // The rooms hold the challenge's reference solution: every run that finished passed.
    const outcomes = typingWithRuns.runs?.outcomes ?? {}
    expect(outcomes.passed ?? 0).toBeGreaterThan(0)
    const verdicts = Object.keys(outcomes).filter((o) => o !== 'censored' && !o.startsWith('skip'))
    expect(verdicts).toEqual(['passed'])
  }, 240_000)
})
