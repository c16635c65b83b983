/**
 * The seam between the server and whatever executes code. The server asks for languages, starts
 * runs and reads their events; it does not know whether the runs happen in a local sandbox
 * process (LocalRunner) or behind a job queue on other machines.
 */
import type { LanguageInfo } from '../../protocol/languages.ts'
import type { RunJob, RunnerEvent } from '../../protocol/run.ts'

export interface Runner {
  /** Every language, each available or not with the reason; the UI's language list. */
  languages(): Promise<LanguageInfo[]>
  /**
   * Starts a run. The stream is `queued` (again whenever the position changes), stage and test
   * events, then exactly one `exit`, after which it ends, whatever happens to the sandbox.
   * Aborting `signal`, or leaving the loop early, cancels the run: it still ends with its
   * `exit` (verdict `cancelled`), unless the loop was left. Aborting with the reason
   * `'shutdown'` (StopReason in protocol/run.ts) ends it `internal_error` instead: the server
   * is going away, and nobody decided to stop the run.
   *
   * The job is plain data. Its tests may be cached by identity (the same JobTest object is
   * sent once), so a JobTest must not be changed after it has been run.
   */
  run(job: RunJob, signal?: AbortSignal): AsyncIterable<RunnerEvent>
  /** Whether runs can start now (for /healthz). */
  ready(): boolean
  /** Ends every run (each gets its `exit`) and releases processes and connections. */
  close(): Promise<void>
}
