/**
 * Keeps `bench/collab.ts` working: its tiny mode runs both servers end to end and writes a result
 * with every figure. Figures are never asserted (speed is measured in bench/, not here); that no
 * character was lost or duplicated and every replica holds the typed text is.
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

interface LevelRun {
  window: WindowResult
  verification: Verification
  heap: { perRoomBytes: number; perRoomFromColdBytes: number }
  retention: { roomsHeld: number; storedExact: number | null } | null
}

interface CollabResult {
  machine: MachineInfo
  levels: ({ rooms: number; ratio: Record<string, number | null> } & Record<string, LevelRun>)[]
}

describe('collaboration benchmark', () => {
  it('runs in tiny mode against both servers and writes every figure, losing no character', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-collab-'))
    dirs.push(dir)
    const out = path.join(dir, 'collab.json')
    await run(
      process.execPath,
      [
        'bench/collab.ts',
        ...['--rooms', '3', '--seconds', '3', '--rounds', '1', '--warmup', '1'],
        ...['--linger', '2', '--room-idle-ms', '500', '--out', out],
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    )
    const result = JSON.parse(readFileSync(out, 'utf8')) as CollabResult
    expect(result.machine.cores).toBeGreaterThan(0)
    expect(result.machine.loadAverageAtStart).toHaveLength(3)
    const level = result.levels[0]
    expect(level?.rooms).toBe(3)
    expect(Object.keys(level?.ratio ?? {})).toEqual([
      'p50',
      'p99',
      'cpuPerKeystroke',
      'heapPerRoom',
    ])
    for (const server of ['reference', 'tandem']) {
      const figures = level?.[server]
      const { window, heap, verification, retention } = figures ?? ({} as Partial<LevelRun>)
      for (const figure of [
        window?.keystrokes,
        window?.latency.p50Ms,
        window?.latency.p90Ms,
        window?.latency.p99Ms,
        window?.latency.maxMs,
        window?.serverCpuUsPerKeystroke,
        window?.generators[0]?.elu,
        heap?.perRoomBytes,
        heap?.perRoomFromColdBytes,
        retention?.roomsHeld,
      ]) {
        expect(typeof figure).toBe('number')
      }
      expect(typeof window?.generatorBound).toBe('boolean')
      expect(verification).toMatchObject({
        rooms: 3,
        replicas: 9,
        exactReplicas: 9,
        serverReplicas: 3,
        serverExact: 3,
        lost: 0,
        duplicated: 0,
      })
    }
    // Tandem's stored documents, loaded again after everyone left, hold the typed text.
    expect(level?.tandem?.retention?.storedExact).toBe(3)
  }, 240_000)
})
