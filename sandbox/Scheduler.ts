/**
 * The sandbox process's run queue: at most `concurrency` runs at once, the rest first in, first
 * out. Each job's stream is
 *
 *   queued(position) … → [stage, test events from the engine] → exactly one exit
 *
 * `queued` is emitted at once on submit (position 0 means starting now, 1 is next in line) and
 * again whenever the position changes. Whatever the engine does (returns, rejects, hangs, keeps
 * emitting after the end) the job gets one `exit`: a rejection becomes `internal_error` with a
 * message that does not blame the candidate, and an engine that outlives every limit of the job
 * is abandoned. A cancelled job exits `cancelled` at once, queued or running, counting the tests
 * that passed before; one stopped because the server shuts down exits `internal_error`.
 */
import os from 'node:os'
import {
  LanguageIds,
  languageFacts,
  unavailableLanguage,
  type LanguageId,
  type LanguageInfo,
} from '../protocol/languages.ts'
import {
  cancelledSummary,
  internalErrorSummary,
  type RunJob,
  type RunnerEvent,
  type RunSummary,
  type StopReason,
} from '../protocol/run.ts'
import type { Engine, EngineEvent, SandboxLog } from './Engine.ts'

export interface SchedulerOptions {
  /** Engines in order of preference; the first that lists a language runs it. */
  engines: readonly Engine[]
  /** Runs executing at once. Default: os.availableParallelism(). */
  concurrency?: number
  log?: SandboxLog
  /**
   * Time an engine may run beyond the sum of its job's limits before the scheduler gives up on
   * it (emits `internal_error` and frees the slot), ms. Default 30 000.
   */
  graceMs?: number
}

type Emit = (event: RunnerEvent) => void

interface Entry {
  job: RunJob
  emit: Emit
  controller: AbortController
  /** Last position sent; -1 before the first `queued`. */
  position: number
  exited: boolean
  /** When its engine started, from performance.now(); undefined while queued. */
  startedAt: number | undefined
  /** Tests the engine reported passed so far (a cancel's summary counts them). */
  passed: number
}

/** The cause of every internal error the scheduler writes itself (internalErrorSummary words it). */
const causes = {
  closing: 'The sandbox is shutting down',
  engineFailed: 'The sandbox failed while running this code',
  engineStuck: 'The sandbox stopped responding while running this code',
  duplicate: 'A run with this id is already in progress',
} as const

export class Scheduler {
  private readonly routes = new Map<LanguageId, Engine>()
  private readonly engines: readonly Engine[]
  private readonly concurrency: number
  private readonly graceMs: number
  private readonly log: SandboxLog
  private readonly queue: Entry[] = []
  private readonly running = new Map<string, { entry: Entry; done: Promise<void> }>()
  private idleWaiters: (() => void)[] = []
  private closed = false

  constructor(options: SchedulerOptions) {
    this.engines = options.engines
    for (const engine of options.engines) {
      for (const language of engine.languages) {
        if (!this.routes.has(language)) this.routes.set(language, engine)
      }
    }
    this.concurrency = Math.max(1, options.concurrency ?? os.availableParallelism())
    this.graceMs = options.graceMs ?? 30_000
    this.log = options.log ?? (() => {})
  }

  /** Runs queued or running right now. */
  get size(): number {
    return this.queue.length + this.running.size
  }

  /** Queues a job; `emit` receives its events, `queued` before this returns. */
  submit(job: RunJob, emit: Emit): void {
    const entry: Entry = {
      job,
      emit,
      controller: new AbortController(),
      position: -1,
      exited: false,
      startedAt: undefined,
      passed: 0,
    }
    if (this.closed) return this.exitEarly(entry, causes.closing)
    if (this.running.has(job.runId) || this.queue.some((e) => e.job.runId === job.runId)) {
      return this.exitEarly(entry, causes.duplicate)
    }
    const engine = this.routes.get(job.language)
    if (engine === undefined) {
      const name = languageFacts[job.language].name
      return this.exitEarly(entry, `${name} is not available in this sandbox`)
    }
    this.queue.push(entry)
    this.pump()
    // Still waiting: tell it where it stands.
    if (entry.position === -1) this.sendPosition(entry, this.queue.indexOf(entry) + 1)
  }

  /**
   * Stops a queued or running job; it ends with one `exit`: `cancelled` (with the tests that
   * passed so far), or for `shutdown` an internal error saying the sandbox is shutting down.
   */
  cancel(runId: string, reason: StopReason = 'cancelled'): void {
    const index = this.queue.findIndex((e) => e.job.runId === runId)
    if (index !== -1) {
      const [entry] = this.queue.splice(index, 1)
      if (entry !== undefined) this.exit(entry, stoppedSummary(entry, reason))
      this.updatePositions()
      this.notifyIdle()
      return
    }
    const running = this.running.get(runId)
    if (running === undefined) return
    // The exit goes out now; the slot stays taken until the engine has actually stopped.
    this.exit(running.entry, stoppedSummary(running.entry, reason))
    running.entry.controller.abort()
  }

  /** Every language, available or not, as the engines report them. */
  async languages(): Promise<LanguageInfo[]> {
    const reports = await Promise.all(
      this.engines.map(async (engine) => {
        try {
          return await engine.probe()
        } catch (error) {
          this.log('error', 'engine probe failed', { error: String(error) })
          return engine.languages.map((id) =>
            unavailableLanguage(id, `the engine failed: ${String(error)}`),
          )
        }
      }),
    )
    const known = new Map<LanguageId, LanguageInfo>()
    this.engines.forEach((engine, i) => {
      for (const info of reports[i] ?? []) {
        if (this.routes.get(info.id) === engine && !known.has(info.id)) known.set(info.id, info)
      }
    })
    return LanguageIds.map(
      (id) =>
        known.get(id) ??
        unavailableLanguage(id, `No engine in this sandbox runs ${languageFacts[id].name}`),
    )
  }

  /** Resolves when nothing is queued or running. */
  async drain(): Promise<void> {
    if (this.size === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  /** Ends every job (queued ones at once, running ones aborted), then closes the engines. */
  async close(): Promise<void> {
    this.closed = true
    for (const entry of this.queue.splice(0)) this.exit(entry, stoppedSummary(entry, 'shutdown'))
    for (const { entry } of this.running.values()) {
      this.exit(entry, stoppedSummary(entry, 'shutdown'))
      entry.controller.abort()
    }
    // Aborted engines stop promptly; one that does not is not waited for beyond a few seconds.
    await settleWithin(Promise.all([...this.running.values()].map((r) => r.done)), closeWaitMs)
    await settleWithin(
      Promise.allSettled(this.engines.map((engine) => engine.close())),
      closeWaitMs,
    )
    this.notifyIdle()
  }

  private pump(): void {
    let started = false
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()
      if (entry === undefined) break
      started = true
      this.start(entry)
    }
    if (started) this.updatePositions()
  }

  private start(entry: Entry): void {
    const engine = this.routes.get(entry.job.language)
    this.sendPosition(entry, 0)
    const done = this.execute(entry, engine).finally(() => {
      // Abandoned runs gave their slot back already.
      if (this.running.get(entry.job.runId)?.entry === entry) this.running.delete(entry.job.runId)
      this.pump()
      this.notifyIdle()
    })
    this.running.set(entry.job.runId, { entry, done })
  }

  private async execute(entry: Entry, engine: Engine | undefined): Promise<void> {
    const { job } = entry
    const started = performance.now()
    entry.startedAt = started
    const budget = jobBudgetMs(job) + this.graceMs
    let watchdog: NodeJS.Timeout | undefined
    const stuck = new Promise<'stuck'>((resolve) => {
      watchdog = setTimeout(() => {
        resolve('stuck')
      }, budget)
    })
    try {
      if (engine === undefined) throw new Error(`no engine for ${job.language}`)
      const run = engine.run({
        job,
        signal: entry.controller.signal,
        emit: (event: EngineEvent) => {
          if (entry.exited) return
          if (event.type === 'test' && event.result.verdict === 'passed') entry.passed++
          entry.emit(event)
        },
      })
      const outcome = await Promise.race([run, stuck])
      if (outcome === 'stuck') {
        this.log('error', 'engine exceeded every limit of its job; abandoning it', {
          runId: job.runId,
          language: job.language,
          budgetMs: budget,
        })
        entry.controller.abort()
        this.exit(entry, errorSummary(job, causes.engineStuck, started))
        // Give the slot back: a stuck engine must not stall the queue behind it.
        this.running.delete(job.runId)
        run.catch(() => {})
        return
      }
      this.exit(entry, outcome)
    } catch (error) {
      this.log('error', 'engine failed', {
        runId: job.runId,
        language: job.language,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
      this.exit(entry, errorSummary(job, causes.engineFailed, started))
    } finally {
      clearTimeout(watchdog)
    }
  }

  private exitEarly(entry: Entry, message: string): void {
    this.sendPosition(entry, 0)
    this.exit(entry, errorSummary(entry.job, message))
  }

  private exit(entry: Entry, summary: RunSummary): void {
    if (entry.exited) return
    entry.exited = true
    entry.emit({ type: 'exit', summary })
  }

  private sendPosition(entry: Entry, position: number): void {
    if (entry.exited || entry.position === position) return
    entry.position = position
    entry.emit({ type: 'queued', position })
  }

  private updatePositions(): void {
    this.queue.forEach((entry, i) => {
      this.sendPosition(entry, i + 1)
    })
  }

  private notifyIdle(): void {
    if (this.size > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

/** How long close() waits for aborted runs, then for engines to close, ms. */
const closeWaitMs = 5_000

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ])
  clearTimeout(timer)
}

/**
 * The longest a job can legitimately take: every test to its wall ceiling, plus compiling, twice
 * (a box starved of CPU by a busy machine is retried once). The ceilings are box engine's
 * (sandbox/box/boxLimits.ts: four times the CPU limit); a watchdog at the bare wall limit would
 * fail, on a loaded machine, the runs those ceilings exist to let through.
 */
function jobBudgetMs(job: RunJob): number {
  const { wallTimeMs, cpuTimeMs, compileTimeMs = 0 } = job.limits
  const testCeilingMs = Math.max(wallTimeMs, 4 * cpuTimeMs)
  // The compile's ceiling is four times its CPU budget, which is twice its limit.
  const compileCeilingMs = 8 * compileTimeMs
  // One more test's ceiling for loading the code (its top level runs under the same limits).
  return 2 * ((job.tests.length + 1) * testCeilingMs + compileCeilingMs)
}

function errorSummary(job: RunJob, cause: string, started?: number): RunSummary {
  return internalErrorSummary(job.tests.length, cause, elapsedSince(started))
}

/** The exit of a job stopped from outside: cancelled by a person, or by the shutdown. */
function stoppedSummary(entry: Entry, reason: StopReason): RunSummary {
  if (reason === 'shutdown') return errorSummary(entry.job, causes.closing, entry.startedAt)
  return cancelledSummary(entry.job.tests.length, entry.passed, elapsedSince(entry.startedAt))
}

/** ms since `started` (a performance.now() time), rounded; 0 for a job that never started. */
function elapsedSince(started: number | undefined): number {
  return started === undefined ? 0 : Math.round(performance.now() - started)
}
