/**
 * Keeps `bench/runs.ts` working: its tiny mode runs the 10-test fixture in every language, at
 * concurrency 1 and 2, with every floor, and writes a result. Figures are never asserted (speed is
 * measured in bench/, not here); that every figure is there and every run passed all ten tests is.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { LanguageIds } from '../../protocol/languages.ts'
import type { LatencySummary } from '../../bench/lib/Histogram.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

interface RunsResult {
  latency: Record<
    string,
    { run: LatencySummary; rerun: LatencySummary | null; verdicts: Record<string, number> }
  >
  throughput: Record<
    string,
    { concurrency: number; runs: number; runsPerSecond: number; verdicts: Record<string, number> }[]
  >
  floors: Record<string, { summary: LatencySummary }>
  targets: { name: string; value: number | null }[]
}

describe('runs benchmark', () => {
  it('runs in tiny mode in every language, with every floor, and every run passes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-runs-'))
    dirs.push(dir)
    const out = path.join(dir, 'runs.json')
    await run(
      process.execPath,
      [
        'bench/runs.ts',
        ...['--runs', '2', '--reruns', '1', '--seconds', '1', '--concurrency', '1,2'],
        ...['--floor-runs', '1', '--slow-floor-runs', '1', '--gap-ms', '0', '--out', out],
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    )
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunsResult
    for (const language of LanguageIds) {
      const latency = result.latency[language]
      expect(latency?.run.samples).toBe(2)
      expect(typeof latency?.run.p50Ms).toBe('number')
      expect(typeof latency?.run.p99Ms).toBe('number')
      const compiled = ['java', 'cpp', 'go'].includes(language)
      expect(typeof latency?.rerun?.p50Ms).toBe(compiled ? 'number' : 'undefined')
      // The fixture holds the reference solution: every run passed all ten tests.
      expect(Object.keys(latency?.verdicts ?? {})).toEqual(['passed'])
      const levels = result.throughput[language] ?? []
      expect(levels.map((l) => l.concurrency)).toEqual([1, 2])
      for (const level of levels) {
        expect(level.runs).toBeGreaterThan(0)
        expect(typeof level.runsPerSecond).toBe('number')
        expect(Object.keys(level.verdicts)).toEqual(['passed'])
      }
    }
    for (const floor of [
      'fresh isolate',
      'node spawn',
      'python hello',
      'javac + java',
      'g++ -O2',
    ]) {
      expect(typeof result.floors[floor]?.summary.p50Ms).toBe('number')
    }
    expect(result.targets.length).toBe(7)
    for (const target of result.targets) expect(typeof target.value).toBe('number')
  }, 300_000)
})
