/**
 * Keeps `bench/web.ts` working: its tiny mode opens each page once cold and once warm in
 * Chromium, with both baselines, and writes a result with every figure. Figures are never
 * asserted (speed is measured in bench/, not here; the JS budget is asserted in tests/browser).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { MachineInfo } from '../../bench/lib/machineInfo.ts'
import type { CaseResult } from '../../bench/web.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

interface WebResult {
  machine: MachineInfo
  verdict: Record<string, number | boolean>
  cases: CaseResult[]
  ratio: Record<string, Record<string, number | null>>
}

describe('web benchmark', () => {
  it('runs in tiny mode, cold and warm with both baselines, and writes every figure', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-web-'))
    dirs.push(dir)
    const out = path.join(dir, 'web.json')
    await run(
      process.execPath,
      ['bench/web.ts', '--navigations', '1', '--idle-ms', '1000', '--out', out],
      // NODE_ENV=test (vitest's) would make the builds bundle React's development build.
      { cwd: root, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } },
    )
    const result = JSON.parse(readFileSync(out, 'utf8')) as WebResult
    expect(result.machine.cores).toBeGreaterThan(0)
    const builds = ['lean', 'naive']
    const pages = ['interviewer-room', 'candidate']
    const ids = [
      ...['cold', 'warm'].map((cache) => `floor-${cache}`),
      ...builds.flatMap((build) =>
        pages.flatMap((page) => ['cold', 'warm'].map((cache) => `${build}-${page}-${cache}`)),
      ),
    ]
    expect(result.cases.map((c) => c.id).sort()).toEqual(ids.sort())
    for (const c of result.cases) {
      expect(c.interactive.samples, c.id).toBe(1)
      for (const figure of [c.interactive.p50Ms, c.interactive.maxMs, c.requestsBefore]) {
        expect(figure, c.id).toBeGreaterThan(0)
      }
      if (c.id.startsWith('floor')) continue
      expect(c.scriptsBefore, c.id).toBeGreaterThan(0)
      expect(Object.keys(c.marksP50Ms), c.id).toContain('editor-ready')
      // Cold visits download the app; warm ones find it all in the cache.
      if (c.id.endsWith('cold')) {
        expect(c.jsGzipBytesBefore, c.id).toBeGreaterThan(0)
        expect(c.jsWireBytesBefore, c.id).toBeGreaterThan(0)
        expect(c.jsGzipBytesAfterIdle, c.id).toBeGreaterThanOrEqual(c.jsGzipBytesBefore)
        expect(c.requestsAfterIdle, c.id).toBeGreaterThanOrEqual(c.requestsBefore)
      } else {
        expect(c.jsGzipBytesBefore, c.id).toBe(0)
      }
    }
    for (const figures of Object.values(result.ratio)) {
      expect(typeof figures.interactiveP50VsFloor).toBe('number')
      expect(typeof figures.interactiveP50VsNaive).toBe('number')
    }
    expect(typeof result.verdict.interactiveColdP50Ms).toBe('number')
    expect(typeof result.verdict.jsGzipBytesBefore).toBe('number')
  }, 300_000)
})
