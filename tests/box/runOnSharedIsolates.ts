/**
 * A child process for noStateCrossesRuns.test.ts: runs jobs one after another through a real
 * JsEngine and says which isolate served each, so the test can prove that two runs shared one.
 *
 * isolated-vm needs Node's `--no-node-snapshot`, which vitest's workers do not have, hence a
 * child: `node --no-node-snapshot runOnSharedIsolates.ts < jobs.json > runs.json`.
 *
 *   stdin   a JSON array of RunJob
 *   stdout  a JSON array of SharedIsolateRun, one per job, in order
 */
import type { RunJob, RunSummary, TestResult } from '../../protocol/run.ts'
import type { EngineEvent } from '../../sandbox/Engine.ts'
import { IsolatePool, type IsolateLease } from '../../sandbox/js/IsolatePool.ts'
import { JsEngine } from '../../sandbox/js/JsEngine.ts'

export interface SharedIsolateRun {
  summary: RunSummary
  results: TestResult[]
  /** Which isolate served the run: runs with the same number shared one isolate. */
  isolate: number
  /** How many runs that isolate had served, this one included. */
  uses: number
}

async function main(): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RunJob[]

  // Observes (never changes) which isolate each run leases: the pool's own answer is returned.
  const isolates: object[] = []
  const leases: IsolateLease[] = []
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the pool as `this`
  const acquire = IsolatePool.prototype.acquire
  IsolatePool.prototype.acquire = async function (this: IsolatePool, memoryMb: number) {
    const lease = await acquire.call(this, memoryMb)
    leases.push(lease)
    return lease
  }

  const engine = new JsEngine()
  const runs: SharedIsolateRun[] = []
  try {
    for (const job of jobs) {
      const events: EngineEvent[] = []
      const before = leases.length
      const summary = await engine.run({
        job,
        emit: (event) => events.push(event),
        signal: new AbortController().signal,
      })
      const lease = leases[before]
      if (lease === undefined) throw new Error(`run ${job.runId} leased no isolate`)
      if (!isolates.includes(lease.isolate)) isolates.push(lease.isolate)
      runs.push({
        summary,
        results: events.flatMap((event) => (event.type === 'test' ? [event.result] : [])),
        isolate: isolates.indexOf(lease.isolate),
        uses: lease.uses,
      })
    }
  } finally {
    await engine.close()
  }
  process.stdout.write(JSON.stringify(runs))
}

main().then(
  // esbuild's service would keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`)
    process.exit(1)
  },
)
