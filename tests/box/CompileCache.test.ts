/**
 * The compile cache on the host: atomic entries, one compiler run per key at a time, bounded
 * size, and no trust in a folder someone else could write to.
 */
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CompileCache } from '../../sandbox/box/CompileCache.ts'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-cache-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const file = (name: string, text: string) => ({ name, mode: 0o755, data: Buffer.from(text) })

describe('compile cache', () => {
  it('refuses a folder that other users can write to', async () => {
    await chmod(dir, 0o777)
    await expect(CompileCache.open({ dir })).rejects.toThrow(/not writable by others/)
  })

  it('compiles a key once, even when asked twice at the same time', async () => {
    const cache = await CompileCache.open({ dir })
    let runs = 0
    const compile = async () => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { outcome: { files: [file('prog', 'binary')], output: 'warning' }, remember: true }
    }
    const key = CompileCache.key({ source: 'a' })
    const [first, second] = await Promise.all([
      cache.getOrCompile(key, compile),
      cache.getOrCompile(key, compile),
    ])
    const third = await cache.getOrCompile(key, compile)
    expect(runs).toBe(1)
    expect([first, second, third]).toEqual([first, first, first])
    expect(first).toMatchObject({ ok: true, output: 'warning' })
    if (first.ok) expect(await readFile(path.join(first.dir, 'prog'), 'utf8')).toBe('binary')
  })

  it('remembers a compile error, but not a timeout', async () => {
    const cache = await CompileCache.open({ dir })
    let runs = 0
    const failing = (remember: boolean) => () => {
      runs++
      return Promise.resolve({ outcome: { error: 'nope' }, remember })
    }
    await cache.getOrCompile('a'.repeat(64), failing(true))
    await cache.getOrCompile('a'.repeat(64), failing(true))
    await cache.getOrCompile('b'.repeat(64), failing(false))
    await cache.getOrCompile('b'.repeat(64), failing(false))
    expect(runs).toBe(3)
  })

  it('keeps at most maxEntries entries', async () => {
    const cache = await CompileCache.open({ dir, maxEntries: 2 })
    for (const source of ['a', 'b', 'c']) {
      await cache.store(CompileCache.key({ source }), [file('prog', source)], '')
    }
    expect((await readdir(dir)).length).toBe(2)
    expect(await cache.lookup(CompileCache.key({ source: 'c' }))).toBeDefined()
  })
})
