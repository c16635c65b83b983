/**
 * The seam between the sandbox process's scheduler and the engines that execute code:
 * isolated-vm for JavaScript/TypeScript, bubblewrap for process languages.
 */
import type { LanguageId, LanguageInfo } from '../protocol/languages.ts'
import type { RunJob, RunnerEvent, RunSummary } from '../protocol/run.ts'

/** Events an engine may emit while running; `queued` and `exit` belong to the scheduler. */
export type EngineEvent = Extract<RunnerEvent, { type: 'stage' | 'test' }>

export interface EngineRun {
  job: RunJob
  /** Emit stage and test events in order, as they happen. */
  emit: (event: EngineEvent) => void
  /** Aborted when the run is cancelled or the process shuts down; the engine stops promptly. */
  signal: AbortSignal
}

export interface Engine {
  /** Languages this engine can run (whether available right now is for `probe`). */
  readonly languages: readonly LanguageId[]
  /** Checks toolchains and sandbox support; never throws: unavailable languages say why. */
  probe(): Promise<LanguageInfo[]>
  /**
   * Runs one job to the end. Limits are verdicts: a timeout or a crash is a RunSummary, not a
   * rejection. A rejection means the engine itself failed, and the scheduler reports
   * `internal_error` (never blamed on the candidate).
   */
  run(run: EngineRun): Promise<RunSummary>
  /** Releases isolates, boxes, pools and child processes. */
  close(): Promise<void>
}

/** Structured log lines from inside the sandbox process; the server's logger receives them. */
export type SandboxLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  data?: Record<string, unknown>,
) => void

/** What the sandbox process gives each engine it creates (see sandbox/engines.ts). */
export interface EngineContext {
  /** The sandbox process's environment: only what the server chose to pass (see LocalRunner). */
  env: Readonly<Record<string, string | undefined>>
  log: SandboxLog
  /**
   * Asks the sandbox process to retire: it takes no new runs, finishes the ones it has, and
   * exits, and the server starts a fresh one. For failures that leave the process unsafe to
   * keep (a thread lost inside V8, a leak that cannot be freed).
   */
  retire: (reason: string) => void
}
