/**
 * Jobs as they cross to the sandbox process: each test by key, with its content only when that
 * process has not had it yet (see sandbox/ipc.ts). A test's key is computed once per JobTest
 * object, so the server's long-lived challenge tests are hashed once, not on every run.
 */
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import type { JobTest, RunJob } from '../../protocol/run.ts'
import type { WireJob } from '../../sandbox/index.ts'

const keys = new WeakMap<JobTest, { key: string; bytes: number }>()

function testKey(test: JobTest): { key: string; bytes: number } {
  let known = keys.get(test)
  if (known === undefined) {
    const json = JSON.stringify(test)
    known = {
      key: createHash('sha256').update(json).digest('base64url'),
      bytes: Buffer.byteLength(json),
    }
    keys.set(test, known)
  }
  return known
}

/**
 * The job for the wire. `sent` holds the keys this sandbox process has been sent (updated
 * here); `full` sends every test's content regardless (the answer to a `missing`).
 */
export function toWireJob(job: RunJob, sent: Set<string>, full: boolean): WireJob {
  return {
    ...job,
    tests: job.tests.map((test) => {
      const { key, bytes } = testKey(test)
      if (!full && sent.has(key)) return { key, bytes }
      sent.add(key)
      return { key, bytes, test }
    }),
  }
}
