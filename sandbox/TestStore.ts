/**
 * Tests the sandbox process has received, by key, least recently used first out. The server
 * sends a test's content once (see ipc.ts); later jobs name it by key. Engines get the same
 * JobTest object every time, so they can cache work derived from it (argument JSON, display
 * strings) in a WeakMap that empties itself when the store lets a test go.
 */
import type { JobTest } from '../protocol/run.ts'
import type { WireTest } from './ipc.ts'

export interface TestStoreOptions {
  /** Total size of kept tests, as JSON bytes. Default 64 MiB. */
  capacityBytes?: number | undefined
}

export class TestStore {
  private readonly entries = new Map<string, { test: JobTest; bytes: number }>()
  private readonly capacity: number
  private used = 0

  constructor(options: TestStoreOptions = {}) {
    this.capacity = options.capacityBytes ?? 64 * 1024 * 1024
  }

  /** The job's tests in order, storing any sent in full; or the keys this store lacks. */
  resolve(wire: readonly WireTest[]): { tests: JobTest[] } | { missing: string[] } {
    // This job's own tests are never evicted to make room for each other.
    const pinned = new Set(wire.map((item) => item.key))
    for (const item of wire) {
      if (item.test !== undefined) this.put(item.key, item.test, item.bytes, pinned)
    }
    const tests: JobTest[] = []
    const missing: string[] = []
    for (const item of wire) {
      const entry = this.entries.get(item.key)
      if (entry === undefined) {
        missing.push(item.key)
        continue
      }
      // Refresh its place in the eviction order.
      this.entries.delete(item.key)
      this.entries.set(item.key, entry)
      tests.push(entry.test)
    }
    return missing.length > 0 ? { missing } : { tests }
  }

  private put(key: string, test: JobTest, bytes: number, pinned: ReadonlySet<string>): void {
    if (this.entries.has(key)) return
    this.entries.set(key, { test, bytes })
    this.used += bytes
    for (const [oldKey, entry] of this.entries) {
      if (this.used <= this.capacity) break
      if (pinned.has(oldKey)) continue
      this.entries.delete(oldKey)
      this.used -= entry.bytes
    }
  }
}
