/**
 * Write-behind persistence for the collaborative documents. A room hands every update to `push`
 * with its author and the time it was received; a single flush tick (armed only while something
 * is buffered) appends, at most `flushMs` after an update arrived, each document's buffered
 * updates to the store's update log — the timeline replay reads — merging consecutive updates of
 * one author into one row stamped with the last one's time (so replay at a time never shows text
 * received after it; it may show a burst up to `flushMs` late). Every `snapshotEvery` rows or
 * `checkpointEveryMs` of editing, and
 * when a room unloads, a checkpoint of the whole document is written so loading stays fast and
 * replay can seek.
 *
 * All store work runs one step at a time, in order (a load never races a write of the same
 * document), yielding to the event loop between steps so a tick over hundreds of rooms does not
 * hold up keystrokes: a flush tick writes the due documents `maxDocsPerTransaction` at a time,
 * each group in one `appendMany` call (one transaction).
 *
 * A store failure is logged and retried with backoff; the buffered updates stay in memory (merged
 * into one) until written, and a room that loads meanwhile gets them from here.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import * as Y from 'yjs'
import type { DocRef } from '../../protocol/collab.ts'
import type { Logger } from '../logger.ts'
import type { DocAuthor, DocUpdateRow, Store } from '../store/Store.ts'

type DocRow = DocUpdateRow

/** The key of a document's log: one per (interview, document). */
export function docKey(ref: DocRef): string {
  return `${ref.interviewId}/${ref.doc}`
}

/** The document as a room unloaded it, and when. */
export interface FinalState {
  state: Uint8Array
  /** Unix ms. */
  at: number
}

/** What encodes a live document for a snapshot: the Room. */
export interface SnapshotSource {
  encodeState(): Uint8Array
}

export interface DocWriterOptions {
  store: Store
  logger: Logger
  /** Longest an update waits in memory before it is appended, ms (config DOC_FLUSH_MS). */
  flushMs: number
  /** Rows appended since the last snapshot after which a snapshot is written. Default 100. */
  snapshotEvery?: number
  /**
   * Longest a document that is being edited goes without a checkpoint, ms, however few rows it
   * gained: replay seeks to a checkpoint and applies the rows after it. Default 60 000.
   */
  checkpointEveryMs?: number
  /** Longest wait between retries after store failures, ms. Default 5000. */
  maxRetryMs?: number
  /** Documents appended per store call (one transaction) in a flush tick. Default 64. */
  maxDocsPerTransaction?: number
  /** The clock checkpoints are stamped with, Unix ms. Default `Date.now` (tests inject one). */
  now?: () => number
}

interface DocLog {
  readonly ref: DocRef
  /** Updates not yet in the store, oldest first. */
  queued: DocRow[]
  /** Consecutive failed appends, and when the next attempt may run (Unix ms). */
  failures: number
  retryAt: number
  /** Rows in the store after the last snapshot. */
  sinceSnapshot: number
  /** When the last checkpoint was written (or the log opened), Unix ms. */
  checkpointAt: number
  /** Id of the last row this document has in the store. */
  lastUpdateId: number
  /** True from `load` until `detach`: a room uses this log. */
  open: boolean
  /** Encodes the live document for snapshots (the room); null while no room is attached. */
  source: SnapshotSource | null
  /** Store steps queued for this log; it is not forgotten while any is. */
  steps: number
}

export class DocWriter {
  readonly #store: Store
  readonly #logger: Logger
  readonly #flushMs: number
  readonly #snapshotEvery: number
  readonly #checkpointEveryMs: number
  readonly #maxRetryMs: number
  readonly #maxDocsPerTransaction: number
  readonly #now: () => number
  readonly #logs = new Map<string, DocLog>()
  /** The tail of the store work queue. */
  #chain: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | null = null
  #closed = false

  constructor(options: DocWriterOptions) {
    this.#store = options.store
    this.#logger = options.logger
    this.#flushMs = options.flushMs
    this.#snapshotEvery = options.snapshotEvery ?? 100
    this.#checkpointEveryMs = options.checkpointEveryMs ?? 60_000
    this.#maxRetryMs = options.maxRetryMs ?? 5000
    this.#maxDocsPerTransaction = options.maxDocsPerTransaction ?? 64
    this.#now = options.now ?? Date.now
  }

  /** The live document encoded now, for a checkpoint. */
  #encodeNow(source: SnapshotSource): FinalState {
    return { state: source.encodeState(), at: this.#now() }
  }

  /** Documents with updates not yet in the store. */
  get unwrittenDocs(): number {
    let count = 0
    for (const log of this.#logs.values()) if (log.queued.length > 0) count++
    return count
  }

  /**
   * The stored document (snapshot first, then updates) plus anything still buffered here from an
   * earlier load. Must be followed by `attach` or `detach`.
   */
  load(ref: DocRef): Promise<Uint8Array[]> {
    const log = this.#logFor(ref)
    log.open = true
    return this.#serial([log], async () => {
      const stored = await this.#store.docs.load(ref)
      log.sinceSnapshot = stored.updates.length
      log.lastUpdateId = Math.max(log.lastUpdateId, stored.lastUpdateId)
      const updates = stored.snapshot === null ? [] : [stored.snapshot]
      updates.push(...stored.updates, ...log.queued.map((row) => row.update))
      return updates
    })
  }

  /** A room now holds the document; `source` (the room) encodes it for snapshots. */
  attach(ref: DocRef, source: SnapshotSource): void {
    const log = this.#logFor(ref)
    log.open = true
    log.source = source
    // Loading many rows is what snapshots avoid: compact right away.
    if (log.sinceSnapshot >= this.#snapshotEvery) {
      this.#background([log], async () => {
        if (log.source !== null) await this.#snapshot(log, this.#encodeNow(log.source))
      })
    }
  }

  /** Buffers one update; it reaches the store within `flushMs` while the store is healthy. */
  push(ref: DocRef, row: DocRow): void {
    const log = this.#logFor(ref)
    log.queued.push(row)
    if (this.#timer === null && !this.#closed) {
      this.#timer = setTimeout(this.#onTick, this.#flushMs)
    }
  }

  /**
   * The room unloaded: write what is buffered now, then a checkpoint of `finalState` (the document
   * as it was unloaded, so it covers every buffered update). Resolves when done or given up.
   */
  detach(ref: DocRef, finalState: FinalState | null): Promise<void> {
    const log = this.#logFor(ref)
    log.open = false
    log.source = null
    return this.#serial([log], async () => {
      // A later load of this document queues behind this step, so nothing else adds to the log.
      if (!(await this.#appendEach([log]))) return
      if (finalState !== null && log.sinceSnapshot > 0) await this.#snapshot(log, finalState)
    })
  }

  /**
   * Writes what is buffered for the interview's documents now, so that a reader of the store
   * (the report, replay) sees every update the server has received. A failed append stays
   * buffered for the tick to retry; resolves either way.
   */
  async flushInterview(interviewId: string): Promise<void> {
    const logs = [...this.#logs.values()].filter(
      (log) => log.ref.interviewId === interviewId && log.queued.length > 0,
    )
    if (logs.length === 0) return
    await this.#serial(logs, async () => {
      await this.#appendEach(logs)
    })
  }

  /** Writes everything buffered, retrying a few times; stops the tick. */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    const logs = [...this.#logs.values()]
    await this.#serial(logs, async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const dirty = logs.filter((log) => log.queued.length > 0)
        if (dirty.length === 0 || (await this.#appendEach(dirty))) break
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
      }
      for (const log of logs) {
        if (log.queued.length === 0) continue
        this.#logger.error(
          { ...log.ref, updates: log.queued.length },
          'collab: giving up on document updates the store would not take at shutdown',
        )
      }
    })
  }

  readonly #onTick = (): void => {
    this.#timer = null
    const now = Date.now()
    const due = [...this.#logs.values()].filter(
      (log) => log.queued.length > 0 && log.retryAt <= now,
    )
    this.#background(due, async () => {
      await this.#appendBatch(due)
      for (const log of due) {
        if (log.source === null || !this.#checkpointDue(log, this.#now())) continue
        await this.#snapshot(log, this.#encodeNow(log.source))
        await yieldToEventLoop()
      }
      this.#rearm()
    })
  }

  /** Enough rows, or enough time with at least one, since the last checkpoint. */
  #checkpointDue(log: DocLog, now: number): boolean {
    if (log.sinceSnapshot >= this.#snapshotEvery) return true
    return log.sinceSnapshot > 0 && now - log.checkpointAt >= this.#checkpointEveryMs
  }

  /** Arms the tick again while something is buffered: soon, or at the earliest retry. */
  #rearm(): void {
    if (this.#timer !== null || this.#closed) return
    let next = Infinity
    for (const log of this.#logs.values()) {
      if (log.queued.length > 0) next = Math.min(next, log.retryAt)
    }
    if (next === Infinity) return
    this.#timer = setTimeout(this.#onTick, Math.max(this.#flushMs, next - Date.now()))
  }

  /** Appends each log's buffered updates as one row, a call per document. True if all succeeded. */
  async #appendEach(logs: DocLog[]): Promise<boolean> {
    let ok = true
    for (const [i, log] of logs.entries()) {
      const rows = this.#take(log)
      if (rows.length === 0) continue
      try {
        this.#written(log, rows, await this.#store.docs.append(log.ref, rows))
      } catch (error) {
        this.#failed(log, rows, error)
        ok = false
      }
      // A synchronous store (SQLite) would otherwise hold up keystrokes for the whole tick.
      if (i < logs.length - 1) await yieldToEventLoop()
    }
    return ok
  }

  /**
   * Appends every log's buffered updates, `maxDocsPerTransaction` documents per store call (one
   * transaction each), yielding to the event loop between calls: one transaction over every
   * dirty room held the loop for the whole tick (~7 ms at 200 rooms), which keystrokes waited out.
   */
  async #appendBatch(logs: DocLog[]): Promise<boolean> {
    let ok = true
    for (let start = 0; start < logs.length; start += this.#maxDocsPerTransaction) {
      if (start > 0) await yieldToEventLoop()
      const batch = logs
        .slice(start, start + this.#maxDocsPerTransaction)
        .map((log) => ({ log, rows: this.#take(log) }))
        .filter(({ rows }) => rows.length > 0)
      if (batch.length === 0) continue
      try {
        const ids = await this.#store.docs.appendMany(
          batch.map(({ log, rows }) => ({ ref: log.ref, updates: rows })),
        )
        batch.forEach(({ log, rows }, i) => this.#written(log, rows, ids[i] ?? log.lastUpdateId))
      } catch (error) {
        for (const { log, rows } of batch) this.#failed(log, rows, error)
        ok = false
      }
    }
    return ok
  }

  /**
   * Takes a log's buffered updates as rows to append: each run of one author's consecutive
   * updates merged into one row, stamped with the time its last update was received.
   */
  #take(log: DocLog): DocRow[] {
    if (log.queued.length === 0) return []
    const batch = log.queued
    log.queued = []
    const rows: DocRow[] = []
    let run: DocRow[] = []
    const flush = (): void => {
      const last = run.at(-1)
      if (last === undefined) return
      rows.push(...this.#merge(log, run, last))
      run = []
    }
    for (const row of batch) {
      const previous = run.at(-1)
      if (previous !== undefined && !sameAuthor(previous.author, row.author)) flush()
      run.push(row)
    }
    flush()
    return rows
  }

  #merge(log: DocLog, run: DocRow[], last: DocRow): DocRow[] {
    if (run.length === 1) return run
    try {
      return [
        { at: last.at, update: Y.mergeUpdates(run.map((row) => row.update)), author: last.author },
      ]
    } catch (error) {
      // Cannot happen with updates Yjs produced; if it does, store them as they are.
      this.#logger.error({ err: error, ...log.ref }, 'collab: merge failed')
      return run
    }
  }

  #written(log: DocLog, rows: DocRow[], lastId: number): void {
    log.lastUpdateId = lastId
    log.sinceSnapshot += rows.length
    log.failures = 0
    log.retryAt = 0
  }

  #failed(log: DocLog, rows: DocRow[], error: unknown): void {
    // Back first in line, already merged: nothing is lost and the buffer stays compact.
    log.queued.unshift(...rows)
    log.failures++
    log.retryAt = Date.now() + Math.min(this.#flushMs * 2 ** log.failures, this.#maxRetryMs)
    this.#logger.warn(
      { err: error, ...log.ref, attempt: log.failures },
      'collab: storing document updates failed; will retry',
    )
    this.#rearm()
  }

  async #snapshot(log: DocLog, { state, at }: FinalState): Promise<void> {
    try {
      await this.#store.docs.saveSnapshot(log.ref, { at, state, uptoUpdateId: log.lastUpdateId })
      log.sinceSnapshot = 0
      log.checkpointAt = at
    } catch (error) {
      // The update log still has everything; the snapshot only makes loading faster.
      this.#logger.warn({ err: error, ...log.ref }, 'collab: snapshot failed')
    }
  }

  /** Queues store work; the logs it touches are kept until it has run. */
  #serial<T>(logs: DocLog[], work: () => Promise<T>): Promise<T> {
    for (const log of logs) log.steps++
    const result = this.#chain.then(work).finally(() => {
      for (const log of logs) {
        log.steps--
        this.#forgetIfIdle(log)
      }
    })
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }

  /** Store work nobody awaits: a failure is logged, never an unhandled rejection. */
  #background(logs: DocLog[], work: () => Promise<void>): void {
    this.#serial(logs, work).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'collab: document write failed')
    })
  }

  #logFor(ref: DocRef): DocLog {
    const key = docKey(ref)
    let log = this.#logs.get(key)
    if (log === undefined) {
      log = {
        ref: { interviewId: ref.interviewId, doc: ref.doc },
        queued: [],
        failures: 0,
        retryAt: 0,
        sinceSnapshot: 0,
        checkpointAt: this.#now(),
        lastUpdateId: 0,
        open: false,
        source: null,
        steps: 0,
      }
      this.#logs.set(key, log)
    }
    return log
  }

  /** A log nobody uses, with nothing to write, is dropped: unloaded rooms cost no memory here. */
  #forgetIfIdle(log: DocLog): void {
    if (!log.open && log.steps === 0 && log.queued.length === 0) {
      const key = docKey(log.ref)
      if (this.#logs.get(key) === log) this.#logs.delete(key)
    }
  }
}

/** The live document as a checkpoint, stamped when it was encoded. */

function sameAuthor(a: DocAuthor, b: DocAuthor): boolean {
  if (a.kind === 'participant' && b.kind === 'participant') {
    return a.participantId === b.participantId && a.role === b.role
  }
  if (a.kind === 'server' && b.kind === 'server') return a.reason === b.reason
  return a.kind === b.kind
}
