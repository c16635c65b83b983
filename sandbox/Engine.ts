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
