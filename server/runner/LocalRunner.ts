/**
 * Runs code in sandbox processes on this machine: sandbox/main.ts, forked with
 * `--no-node-snapshot` (isolated-vm needs it) and an environment of its own (none of the
 * server's secrets), spoken to over Node IPC (sandbox/ipc.ts, parsed on receipt).
 *
 * No shared fate (issue 13): several processes (`processes`, default one per slot up to 8), each
 * given at most its share of the runs at once, so a process that dies loses only the runs it held
 * — with the defaults, exactly the one run that killed it. Runs wait here, first in first out,
 * until a process has a free slot, and `queued` says where each stands. A process that dies is
 * replaced; the runs it was working on each get one `exit` with `internal_error`, while the
 * others keep running and taking work. Aborting a run's signal
 * cancels it wherever it is (waiting here, queued or running in the sandbox): it exits
 * `cancelled`, or `internal_error` when the abort's reason is `'shutdown'` (see StopReason).
 *
 * The restart rule: a process that died after it had said `ready` (a run killed it, or the
 * kernel did) is replaced at once, however often that happens, so that the other rooms never
 * wait for one candidate's crash. Only processes that cannot start at all (they die or hang
 * before `ready`) are restarted with growing delays, and while they keep failing, runs fail at
 * once rather than wait. It used to back off on any death within 10 s of starting, so a run that
 * killed the process three times in a row made everyone's next run wait seconds. A process that
 * *retires* (an engine asked it to; see EngineContext.retire) finishes its runs while a fresh one
 * takes new work.
 */
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { createInterface } from 'node:readline'
import type { LanguageInfo } from '../../protocol/languages.ts'
import { LanguageIds, unavailableLanguage } from '../../protocol/languages.ts'
import {
  cancelledSummary,
  internalErrorSummary,
  stopReasonOf,
  type RunJob,
  type RunnerEvent,
  type RunSummary,
  type StopReason,
} from '../../protocol/run.ts'
import {
  ChildMessageSchema,
  ipcProtocolVersion,
  sandboxMainPath,
  type ChildMessage,
  type ParentMessage,
} from '../../sandbox/index.ts'
import type { Logger } from '../logger.ts'
import { EventStream } from './EventStream.ts'
import type { Runner } from './Runner.ts'
import { toWireJob } from './wireJob.ts'

export interface LocalRunnerOptions {
  /** Runs executing at once, over all sandbox processes. Default: os.availableParallelism(). */
  concurrency?: number | undefined
  /**
   * Sandbox processes; the runs at once are shared out among them (each takes at most
   * ceil(concurrency / processes)). Default: one per run at once, at most 8.
   */
  processes?: number | undefined
  logger?: Logger | undefined
  /**
   * Extra environment variables for the sandbox process, e.g. TANDEM_UNSAFE_ALLOW_UNSANDBOXED.
   * It inherits nothing else from the server but PATH (and gets TZ=UTC).
   */
  env?: Readonly<Record<string, string>> | undefined
  /**
   * Restart delays after successive failed starts (deaths before `ready`), ms: the second
   * failure waits `min`, doubling up to `max`. Default 250 ms to 30 s.
   */
  restartDelayMs?: { min: number; max: number } | undefined
  /**
   * Have the first sandbox process build the languages' prebuilds (C++'s precompiled header,
   * Java's warm compiler) in the background at once, so the first runs after a fresh install
   * find them; the other processes find them in the shared compile cache. Default false.
   */
  warmAtStart?: boolean | undefined
}

/**
 * V8 flags of the sandbox process. `--no-turbofan`: isolated-vm cannot terminate code running
 * in TurboFan's on-stack-replacement loops (an allocating `while (true)` outlives both the time
 * and the memory limit and eats the machine's memory); Maglev code stops on time and is about
 * as fast for interview code. See docs/SANDBOX.md.
 */
const sandboxExecArgv = ['--no-node-snapshot', '--no-turbofan']

/** Consecutive failed starts after which runs fail at once instead of waiting. */
const crashLoopThreshold = 4
/** A process must say `ready` within this, ms. */
const readyTimeoutMs = 30_000
/** How long the sandbox may take to report its languages, ms. */
const probeTimeoutMs = 60_000
/** close(): how long a process may take to exit when asked before it is killed, ms. */
const shutdownGraceMs = 5_000
/** Default ceiling on sandbox processes: each costs a Node process and a V8 platform. */
const defaultMaxProcesses = 8

interface RunEntry {
  job: RunJob
  stream: EventStream<RunnerEvent>
  child: SandboxChild | undefined
  /** The job was re-sent with every test in full after a `missing`. */
  resentFull: boolean
  /** The last `queued` position this run's stream was given; -1 before the first. */
  position: number
  detach: () => void
}

interface SandboxChild {
  process: ChildProcess
  state: 'starting' | 'ready' | 'retiring' | 'exited'
  /** Keys of the tests this process has been sent. */
  sent: Set<string>
  /** Runs sent to this process that have not had their exit. */
  busy: number
  exited: Promise<void>
  probes: Map<number, (languages: LanguageInfo[] | undefined) => void>
}

/** What the runner's sandbox process has been through (diagnostics, /healthz, tests). */
export interface RunnerHealth {
  /** Sandbox processes started beyond the first `processes`: replacements. */
  restarts: number
  /** Processes in a row that died before saying `ready`; 0 once one starts. */
  failedStarts: number
  /** Delay before the latest restart, ms: 0 after a process that had started died. */
  restartDelayMs: number
}

export class LocalRunner implements Runner {
  private readonly options: LocalRunnerOptions
  private readonly logger: Logger | undefined
  /** Runs at once per process. */
  private readonly slots: number
  /** Processes kept taking work (starting or ready); retiring ones come on top. */
  private readonly processes: number
  private readonly children = new Set<SandboxChild>()
  private readonly runs = new Map<string, RunEntry>()
  private pending: RunEntry[] = []
  private failedStarts = 0
  private spawned = 0
  private restartDelayMs = 0
  /** Restarts waiting for their delay. */
  private readonly restartTimers = new Set<NodeJS.Timeout>()
  private languageCache: LanguageInfo[] | undefined
  private probeSeq = 0
  private closed = false
  private closing: Promise<void> | undefined

  constructor(options: LocalRunnerOptions = {}) {
    this.options = options
    this.logger = options.logger
    const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism())
    this.processes = Math.max(
      1,
      Math.min(concurrency, options.processes ?? Math.min(concurrency, defaultMaxProcesses)),
    )
    this.slots = Math.ceil(concurrency / this.processes)
    for (let i = 0; i < this.processes; i++) this.spawn()
  }

  ready(): boolean {
    return this.working().some((child) => child.state === 'ready')
  }

  get health(): RunnerHealth {
    return {
      restarts: Math.max(0, this.spawned - this.processes),
      failedStarts: this.failedStarts,
      restartDelayMs: this.restartDelayMs,
    }
  }

  /** A sandbox process's pid, the first that takes work (diagnostics and tests). */
  get pid(): number | undefined {
    return this.working()[0]?.process.pid
  }

  /** The pids of the processes that take work (diagnostics and tests). */
  get pids(): number[] {
    return this.working().flatMap((child) => child.process.pid ?? [])
  }

  /** The pid of the process running `runId`; undefined while it waits here (tests). */
  pidOf(runId: string): number | undefined {
    return this.runs.get(runId)?.child?.process.pid
  }

  run(job: RunJob, signal?: AbortSignal): AsyncIterable<RunnerEvent> {
    const stream = new EventStream<RunnerEvent>(() => {
      this.cancel(job.runId, 'cancelled')
    })
    if (this.closed || this.runs.has(job.runId)) {
      stream.push({ type: 'queued', position: 0 })
      const message = this.closed
        ? 'The runner is shut down'
        : 'A run with this id is already in progress'
      stream.push({ type: 'exit', summary: internalErrorSummary(job.tests.length, message) })
      stream.end()
      return stream
    }
    const onAbort = (): void => {
      this.cancel(job.runId, stopReasonOf(signal?.reason))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const entry: RunEntry = {
      job,
      stream,
      child: undefined,
      resentFull: false,
      position: -1,
      detach: () => signal?.removeEventListener('abort', onAbort),
    }
    this.runs.set(job.runId, entry)
    if (signal?.aborted === true) this.cancel(job.runId, stopReasonOf(signal.reason))
    else this.enqueue(entry)
    return stream
  }

  async languages(): Promise<LanguageInfo[]> {
    if (this.languageCache !== undefined) return this.languageCache
    for (let attempt = 0; attempt < 3 && !this.closed; attempt++) {
      const child = await this.readyChild()
      if (child === undefined) break
      const requestId = ++this.probeSeq
      const answer = await new Promise<LanguageInfo[] | undefined>((resolve) => {
        // Engines probe toolchains (compilers can be slow to answer), but not for ever.
        const timer = setTimeout(() => {
          child.probes.delete(requestId)
          resolve(undefined)
        }, probeTimeoutMs)
        child.probes.set(requestId, (languages) => {
          clearTimeout(timer)
          resolve(languages)
        })
        this.send(child, { type: 'probe', requestId })
      })
      if (answer !== undefined) {
        this.languageCache = answer
        return answer
      }
    }
    const reason = 'The sandbox process is not running'
    return LanguageIds.map((id) => unavailableLanguage(id, reason))
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  private async shutDown(): Promise<void> {
    this.closed = true
    for (const timer of this.restartTimers) clearTimeout(timer)
    this.restartTimers.clear()
    for (const entry of this.pending.splice(0)) this.finish(entry, 'The runner is shutting down')
    const children = [...this.children]
    for (const child of children) this.send(child, { type: 'shutdown' })
    await Promise.all(
      children.map(async (child) => {
        const timer = setTimeout(() => child.process.kill('SIGKILL'), shutdownGraceMs)
        await child.exited
        clearTimeout(timer)
      }),
    )
  }

  // ---- Runs ------------------------------------------------------------------------------

  private enqueue(entry: RunEntry): void {
    if (this.failedStarts >= crashLoopThreshold && !this.ready()) {
      this.finish(entry, 'The sandbox keeps failing to start; the server log says why')
      return
    }
    this.pending.push(entry)
    this.dispatch()
  }

  /** Hands waiting runs to processes with a free slot, then tells the rest where they stand. */
  private dispatch(): void {
    while (this.pending.length > 0) {
      const child = this.freestChild()
      if (child === undefined) break
      const entry = this.pending.shift()
      if (entry !== undefined) this.sendRun(entry, child, false)
    }
    // Slots of processes still starting will take the first waiting runs without a wait in
    // line: those runs are "starting now" (the sandbox says position 0), not queued behind any.
    const starting = this.working().filter((child) => child.state === 'starting').length
    const free = starting * this.slots
    this.pending.forEach((entry, index) => {
      const position = index + 1 - free
      if (position > 0) this.tellPosition(entry, position)
    })
  }

  /** The ready process with the most free slots; undefined when none has one. */
  private freestChild(): SandboxChild | undefined {
    let best: SandboxChild | undefined
    for (const child of this.children) {
      if (child.state !== 'ready' || child.busy >= this.slots) continue
      if (best === undefined || child.busy < best.busy) best = child
    }
    return best
  }

  private tellPosition(entry: RunEntry, position: number): void {
    if (entry.position === position) return
    entry.position = position
    entry.stream.push({ type: 'queued', position })
  }

  private sendRun(entry: RunEntry, child: SandboxChild, full: boolean): void {
    if (entry.child !== child) {
      entry.child = child
      child.busy++
    }
    this.send(child, { type: 'run', job: toWireJob(entry.job, child.sent, full) })
  }

  private cancel(runId: string, reason: StopReason): void {
    const entry = this.runs.get(runId)
    if (entry === undefined) return
    if (entry.child === undefined) {
      // Still waiting for a sandbox process: it ends here, and no process ever hears of it.
      this.pending = this.pending.filter((e) => e !== entry)
      if (reason === 'cancelled') this.end(entry, cancelledSummary(entry.job.tests.length))
      else this.finish(entry, 'The server is shutting down')
      this.dispatch()
      return
    }
    this.send(entry.child, { type: 'cancel', runId, reason })
  }

  private onEvent(child: SandboxChild, runId: string, event: RunnerEvent): void {
    const entry = this.runs.get(runId)
    if (entry?.child !== child) return
    if (event.type === 'queued') {
      this.tellPosition(entry, event.position)
      return
    }
    entry.stream.push(event)
    if (event.type === 'exit') {
      this.endRun(entry)
      this.dispatch()
    }
  }

  /** Ends a run the sandbox will not finish, with one internal_error exit. */
  private finish(entry: RunEntry, message: string): void {
    this.end(entry, internalErrorSummary(entry.job.tests.length, message))
  }

  /** Ends a run the sandbox will not finish, with its one exit. */
  private end(entry: RunEntry, summary: RunSummary): void {
    if (this.runs.get(entry.job.runId) !== entry) return
    entry.stream.push({ type: 'exit', summary })
    this.endRun(entry)
  }

  private endRun(entry: RunEntry): void {
    this.runs.delete(entry.job.runId)
    if (entry.child !== undefined) entry.child.busy--
    entry.detach()
    entry.stream.end()
  }

  // ---- The sandbox processes -------------------------------------------------------------

  /** Processes that take work: starting or ready, not retiring or gone. */
  private working(): SandboxChild[] {
    return [...this.children].filter((c) => c.state === 'starting' || c.state === 'ready')
  }

  private spawn(): void {
    if (this.closed) return
    this.spawned++
    const processHandle = fork(sandboxMainPath, [], {
      execArgv: sandboxExecArgv,
      env: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        TZ: 'UTC',
        TANDEM_SANDBOX_CONCURRENCY: String(this.slots),
        ...(this.options.warmAtStart === true && this.spawned === 1
          ? { TANDEM_SANDBOX_WARM: '1' }
          : {}),
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    })
    let resolveExited: () => void = () => {}
    const child: SandboxChild = {
      process: processHandle,
      state: 'starting',
      sent: new Set(),
      busy: 0,
      exited: new Promise((resolve) => (resolveExited = resolve)),
      probes: new Map(),
    }
    this.children.add(child)
    const readyTimer = setTimeout(() => {
      this.logger?.error({ pid: processHandle.pid }, 'sandbox process did not start in time')
      processHandle.kill('SIGKILL')
    }, readyTimeoutMs)
    // Whatever the process prints (V8 prints to stderr when a heap runs out) goes to the log.
    for (const stream of [processHandle.stdout, processHandle.stderr]) {
      if (stream === null) continue
      createInterface({ input: stream }).on('line', (line) => {
        this.logger?.warn({ pid: processHandle.pid }, `sandbox: ${line.slice(0, 1000)}`)
      })
    }
    processHandle.on('message', (raw: unknown) => {
      const parsed = ChildMessageSchema.safeParse(raw)
      if (!parsed.success) {
        // The process runs hostile code: a message that breaks the protocol ends it.
        this.logger?.error(
          { pid: processHandle.pid, issue: parsed.error.issues[0]?.message },
          'sandbox process sent a malformed message; killing it',
        )
        processHandle.kill('SIGKILL')
        return
      }
      if (parsed.data.type === 'ready') clearTimeout(readyTimer)
      this.onMessage(child, parsed.data)
    })
    processHandle.on('error', (error) => {
      this.logger?.error({ err: error }, 'sandbox process error')
    })
    processHandle.on('exit', (code, signal) => {
      clearTimeout(readyTimer)
      this.onExit(child, code, signal)
      resolveExited()
    })
  }

  private onMessage(child: SandboxChild, message: ChildMessage): void {
    switch (message.type) {
      case 'ready': {
        if (message.protocol !== ipcProtocolVersion) {
          this.logger?.error(
            { expected: ipcProtocolVersion, got: message.protocol },
            'sandbox process speaks another protocol version',
          )
          child.process.kill('SIGKILL')
          return
        }
        child.state = 'ready'
        this.failedStarts = 0
        this.languageCache = undefined
        this.dispatch()
        return
      }
      case 'event':
        this.onEvent(child, message.runId, message.event)
        return
      case 'languages':
        child.probes.get(message.requestId)?.(message.languages)
        child.probes.delete(message.requestId)
        return
      case 'missing': {
        const entry = this.runs.get(message.runId)
        if (entry?.child !== child) return
        if (entry.resentFull) {
          this.finish(entry, 'The sandbox could not keep this run’s tests')
          this.dispatch()
          return
        }
        entry.resentFull = true
        this.logger?.debug(
          { runId: message.runId, keys: message.keys.length },
          'sandbox asked for tests again',
        )
        this.sendRun(entry, child, true)
        return
      }
      case 'retiring':
        this.logger?.warn({ pid: child.process.pid, reason: message.reason }, 'sandbox retiring')
        if (child.state === 'ready' || child.state === 'starting') {
          child.state = 'retiring'
          this.spawn()
        }
        return
      case 'log': {
        const fields = { ...message.data, sandboxPid: child.process.pid }
        this.logger?.[message.level](fields, `sandbox: ${message.message}`)
        return
      }
    }
  }

  private onExit(child: SandboxChild, code: number | null, signal: NodeJS.Signals | null): void {
    const replaced = child.state === 'retiring'
    const hadStarted = child.state !== 'starting'
    child.state = 'exited'
    this.children.delete(child)
    for (const resolve of child.probes.values()) resolve(undefined)
    child.probes.clear()
    const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`
    for (const entry of [...this.runs.values()]) {
      if (entry.child !== child) continue
      this.finish(
        entry,
        `The sandbox process stopped (${how}) while running this code and has been restarted`,
      )
    }
    if (this.closed) return
    if (!replaced) {
      this.logger?.error({ pid: child.process.pid, code, signal }, 'sandbox process died')
    }
    if (!replaced) this.replace(hadStarted)
    this.dispatch()
  }

  /**
   * Starts a process in place of one that died. One that had started proves the sandbox can
   * start: it is replaced at once. Only failed starts back off.
   */
  private replace(hadStarted: boolean): void {
    this.failedStarts = hadStarted ? 0 : this.failedStarts + 1
    if (this.failedStarts >= crashLoopThreshold && !this.ready()) {
      for (const entry of this.pending.splice(0)) {
        this.finish(entry, 'The sandbox keeps failing to start; the server log says why')
      }
    }
    const { min, max } = this.options.restartDelayMs ?? { min: 250, max: 30_000 }
    const failed = this.failedStarts
    this.restartDelayMs = failed <= 1 ? 0 : Math.min(max, min * 2 ** (failed - 2))
    if (this.restartDelayMs === 0) {
      this.spawn()
      return
    }
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer)
      this.spawn()
    }, this.restartDelayMs)
    this.restartTimers.add(timer)
  }

  /** A ready process, waiting for one to start if need be; undefined when none comes. */
  private async readyChild(): Promise<SandboxChild | undefined> {
    const deadline = Date.now() + readyTimeoutMs
    while (!this.closed && Date.now() < deadline) {
      const child = this.working().find((c) => c.state === 'ready')
      if (child !== undefined) return child
      if (this.failedStarts >= crashLoopThreshold && this.working().length === 0) return undefined
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return undefined
  }

  private send(child: SandboxChild, message: ParentMessage): void {
    if (child.state === 'exited' || !child.process.connected) return
    child.process.send(message, (error: Error | null) => {
      if (error !== null) this.logger?.warn({ err: error }, 'could not reach the sandbox process')
    })
  }
}
