/**
 * Integrity signals (issue 9.4, protocol/signals.ts): records each as a timeline event with the
 * participant and the time the server received it, and hands it to `publish` (the interviewers'
 * socket.io room). Nothing is judged: a signal is a fact on the timeline.
 *
 * Every signal of one participant, reported or server-detected, goes through one token bucket
 * (all their sockets share it, so opening more tabs buys no more): `burst` at once, then one per
 * `refillMs`. A report past it is refused with `rate_limited` and counted; the count is recorded
 * as a single `dropped` signal `droppedFlushMs` after the first refusal, so a hostile client can
 * add at most one row per participant per `droppedFlushMs` to the timeline however fast it sends.
 */
import type { Role } from '../../protocol/people.ts'
import type { Signal, SignalDetail, SignalReport } from '../../protocol/signals.ts'
import { TandemError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Store, TimelineEventRecord } from '../store/Store.ts'

export interface SignalLimits {
  /** Signals one participant may have recorded in a burst. Default 30. */
  burst: number
  /** One more signal is allowed every this many ms (30 a minute sustained). Default 2000. */
  refillMs: number
  /** How long refused reports are counted before they are recorded as one `dropped`, ms. Default 5000. */
  droppedFlushMs: number
}

export const defaultSignalLimits: Readonly<SignalLimits> = Object.freeze({
  burst: 30,
  refillMs: 2000,
  droppedFlushMs: 5000,
})

/** Who a signal is about, as the service needs it. */
export interface SignalSource {
  id: string
  interviewId: string
  name: string
  role: Role
}

export interface SignalServiceOptions {
  store: Store
  logger: Logger
  /** Sends a recorded signal to the interview's interviewers (never to candidates). */
  publish: (interviewId: string, signal: Signal) => void
  limits?: Partial<SignalLimits>
}

interface Bucket {
  source: SignalSource
  tokens: number
  /** Unix ms of the last refill (and so of the last use). */
  refilledAt: number
  /** Reports refused since the last `dropped` was recorded. */
  dropped: number
  timer: NodeJS.Timeout | null
}

/** Buckets untouched this long, full and with nothing counted, are forgotten, ms. */
const bucketIdleMs = 10 * 60_000

export class SignalService {
  readonly #o: SignalServiceOptions
  readonly #limits: SignalLimits
  readonly #buckets = new Map<string, Bucket>()
  /** Recordings in flight, so `close` can wait for them before the store closes. */
  readonly #inFlight = new Set<Promise<void>>()
  #prunedAt = Date.now()
  #closed = false

  constructor(options: SignalServiceOptions) {
    this.#o = options
    this.#limits = { ...defaultSignalLimits, ...options.limits }
  }

  /**
   * A candidate's client reported a paste or a focus change (already parsed). Rejects with
   * `forbidden` for an interviewer (their clients report nothing) and `rate_limited` past the
   * bucket; resolves once the signal is stored and sent.
   */
  async report(source: SignalSource, report: SignalReport): Promise<void> {
    if (source.role !== 'candidate') {
      throw new TandemError('forbidden', 'Only candidates report integrity signals.')
    }
    if (!this.#admit(source)) {
      throw new TandemError('rate_limited', 'Too many signal reports; this one was not recorded.', {
        retryAfterSeconds: Math.ceil(this.#limits.refillMs / 1000),
      })
    }
    await this.#track(this.#record(source, report))
  }

  /**
   * Something the server saw itself (a large insertion in the code): recorded like a report,
   * through the same bucket; past it, counted into `dropped`. Never throws.
   */
  detected(source: SignalSource, detail: SignalDetail): void {
    if (this.#closed || !this.#admit(source)) return
    void this.#track(this.#record(source, detail)).catch(() => undefined)
  }

  /** Every signal recorded in the interview, oldest first. */
  async history(interviewId: string): Promise<Signal[]> {
    return signalsOf(await this.#o.store.events.list(interviewId))
  }

  /** Records what is still counted as dropped and waits for recordings in flight. */
  async close(): Promise<void> {
    this.#closed = true
    for (const bucket of this.#buckets.values()) this.#flushDropped(bucket)
    this.#buckets.clear()
    await Promise.all([...this.#inFlight])
  }

  /** Takes a token from the participant's bucket; false (and counted) when there is none. */
  #admit(source: SignalSource): boolean {
    const now = Date.now()
    this.#prune(now)
    let bucket = this.#buckets.get(source.id)
    if (bucket === undefined) {
      bucket = { source, tokens: this.#limits.burst, refilledAt: now, dropped: 0, timer: null }
      this.#buckets.set(source.id, bucket)
    }
    bucket.source = source
    // Fractional tokens: one whole token per `refillMs`, whenever it is asked.
    bucket.tokens = Math.min(
      this.#limits.burst,
      bucket.tokens + (now - bucket.refilledAt) / this.#limits.refillMs,
    )
    bucket.refilledAt = now
    if (bucket.tokens >= 1) {
      bucket.tokens--
      return true
    }
    bucket.dropped++
    if (bucket.timer === null && !this.#closed) {
      const counted = bucket
      counted.timer = setTimeout(() => this.#flushDropped(counted), this.#limits.droppedFlushMs)
    }
    return false
  }

  /** Records a bucket's refused reports as one `dropped` signal (not through the bucket). */
  #flushDropped(bucket: Bucket): void {
    if (bucket.timer !== null) clearTimeout(bucket.timer)
    bucket.timer = null
    if (bucket.dropped === 0) return
    const count = bucket.dropped
    bucket.dropped = 0
    void this.#track(this.#record(bucket.source, { kind: 'dropped', count })).catch(() => undefined)
  }

  /** Forgets idle buckets, at most once a minute, so memory follows the live participants. */
  #prune(now: number): void {
    if (now - this.#prunedAt < 60_000) return
    this.#prunedAt = now
    for (const [id, bucket] of this.#buckets) {
      if (bucket.dropped === 0 && now - bucket.refilledAt > bucketIdleMs) this.#buckets.delete(id)
    }
  }

  async #record(source: SignalSource, detail: SignalDetail): Promise<void> {
    const at = Date.now()
    try {
      await this.#o.store.events.append(source.interviewId, at, {
        kind: 'signal',
        participantId: source.id,
        role: source.role,
        name: source.name,
        detail,
      })
    } catch (error) {
      this.#o.logger.error(
        { err: error, interviewId: source.interviewId },
        'recording a signal failed',
      )
      throw error
    }
    this.#o.publish(source.interviewId, {
      at: new Date(at).toISOString(),
      participantId: source.id,
      name: source.name,
      detail,
    })
  }

  #track(work: Promise<void>): Promise<void> {
    this.#inFlight.add(work)
    const done = (): void => {
      this.#inFlight.delete(work)
    }
    work.then(done, done)
    return work
  }
}

/** The signals among timeline events, oldest first, as interviewers and the report see them. */
export function signalsOf(events: readonly TimelineEventRecord[]): Signal[] {
  return events.flatMap(({ at, event }) =>
    event.kind === 'signal'
      ? [
          {
            at: new Date(at).toISOString(),
            participantId: event.participantId,
            name: event.name,
            detail: event.detail,
          },
        ]
      : [],
  )
}
