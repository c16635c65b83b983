/**
 * Issue 14 A.2: "a fresh install's first C++ run should not wait for a cache build at all". The
 * prebuilds (C++'s precompiled header and harness runtime, Java's warm compiler) used to begin
 * with each language's first job, so the first C++ runs after an install compiled without the
 * header (~13 s with the machine busy). The server now has its first sandbox process begin them
 * as soon as it starts; jobs still never wait for them.
 */
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { createTestEngine } from './boxTestKit.ts'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** An empty compile cache folder, as on a fresh install (boxes must be able to read it). */
async function freshCache(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-fresh-cache-'))
  await chmod(dir, 0o755)
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

function engineWith(options: { cacheDir: string; warmAtStart?: boolean }): BoxEngine {
  const engine = createTestEngine(options)
  cleanups.push(() => engine.close())
  return engine
}

describe('a fresh install', () => {
  it('builds the prebuilds as soon as the server starts, before any run asks for them', async () => {
    const cacheDir = await freshCache()
    const runner = new LocalRunner({
      concurrency: 2,
      warmAtStart: true,
      env: { TANDEM_BOX_CACHE_DIR: cacheDir },
    })
    cleanups.push(() => runner.close())
    // Nothing is asked of it: no run, and not even the languages (with several sandbox
    // processes the server's probe may go to another one; in CI it did, and nothing warmed).
    await waitFor(
      async () => (await readdir(cacheDir)).some((entry) => !entry.startsWith('.')),
      'a finished prebuild in the compile cache (temporary entries start with a dot)',
      // Not a timing assertion: it bounds how long a broken build takes to fail.
      { timeoutMs: 60_000 },
    )
  }, 90_000)

  it('begins no prebuild before a language’s first job unless asked to', async () => {
    const quiet = engineWith({ cacheDir: await freshCache() })
    await quiet.probe()
    expect(quiet.prebuildsBegun).toEqual([])
    const eager = engineWith({ cacheDir: await freshCache(), warmAtStart: true })
    await eager.probe()
    expect(eager.prebuildsBegun).toEqual(expect.arrayContaining(['cpp', 'java']))
  }, 60_000)
})
