/**
 * A room's runs, as the load benchmark drives them: the candidate's socket.io client asks for a
 * run of the tests every `everyMs` (JavaScript, the code in the shared document), the
 * interviewer's client watches the room, and the run's latency is the time from the candidate's
 * `run:start` to the interviewer receiving its `exit` — both clients in this process, one clock.
 */
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/realtime.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import type { Histogram } from './Histogram.ts'

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface RunnerSpec {
  /** Tandem's HTTP origin. */
  httpUrl: string
  candidateToken: string
  interviewerToken: string
  /** Seeds the phase of this room's runs. */
  index: number
}

/** Where a window's run samples and outcomes go (window 0 = not measured). */
export interface RunSink {
  readonly current: number
  runHistogram(window: number): Histogram
  countRun(window: number, outcome: string): void
}

interface PendingRun {
  sentAt: number
  window: number
}

export class RoomRunner {
  readonly #candidate: RoomSocket
  readonly #interviewer: RoomSocket
  readonly #sink: RunSink
  readonly #everyMs: number
  readonly #phase: number
  /** Runs asked for whose exit the interviewer has not seen, by run id. */
  readonly #pending = new Map<string, PendingRun>()
  /** Exits seen before the ack that names their run (possible: different sockets). */
  readonly #earlyExits = new Map<string, { at: number; verdict: string }>()
  #timer: NodeJS.Timeout | null = null
  #asking = false

  constructor(spec: RunnerSpec, sink: RunSink, everyMs: number) {
    this.#sink = sink
    this.#everyMs = everyMs
    this.#phase = ((spec.index * 7919) % 1000) / 1000
    const connect = (token: string): RoomSocket =>
      io(spec.httpUrl, {
        auth: { token, protocolVersion: PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      })
    this.#candidate = connect(spec.candidateToken)
    this.#interviewer = connect(spec.interviewerToken)
    this.#interviewer.on('run:event', (event) => {
      if (event.type !== 'exit') return
      const at = performance.now()
      const pending = this.#pending.get(event.runId)
      if (pending === undefined) {
        this.#earlyExits.set(event.runId, { at, verdict: event.summary.verdict })
        return
      }
      this.#finish(event.runId, pending, { at, verdict: event.summary.verdict })
    })
  }

  /** Resolves once both clients are connected. */
  async ready(timeoutMs: number): Promise<void> {
    const connected = (socket: RoomSocket): Promise<void> =>
      new Promise((resolve, reject) => {
        if (socket.connected) return resolve()
        const timer = setTimeout(() => reject(new Error('socket.io connect timed out')), timeoutMs)
        socket.once('connect', () => {
          clearTimeout(timer)
          resolve()
        })
        socket.once('connect_error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      })
    await Promise.all([connected(this.#candidate), connected(this.#interviewer)])
  }

  /** Starts asking for a run every `everyMs`, the first after this room's phase. */
  start(): void {
    if (this.#timer !== null) return
    const first = this.#phase * this.#everyMs
    this.#timer = setTimeout(() => {
      this.#ask()
      this.#timer = setInterval(() => this.#ask(), this.#everyMs)
    }, first)
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  /** Runs of `window` still without an exit are recorded at their age now. Returns how many. */
  censor(window: number): number {
    const now = performance.now()
    let censored = 0
    for (const [runId, pending] of this.#pending) {
      if (pending.window !== window) continue
      this.#sink.runHistogram(window).record((now - pending.sentAt) * 1000)
      this.#sink.countRun(window, 'censored')
      this.#pending.delete(runId)
      censored++
    }
    return censored
  }

  close(): void {
    this.stop()
    this.#candidate.close()
    this.#interviewer.close()
  }

  #ask(): void {
    // One run per interview: the server refuses another while one is in flight, and so do we.
    if (this.#asking || this.#pending.size > 0) {
      this.#sink.countRun(this.#sink.current, 'skipped (previous still running)')
      return
    }
    this.#asking = true
    const sentAt = performance.now()
    const window = this.#sink.current
    this.#candidate.emit('run:start', { mode: 'tests' }, (answer) => {
      this.#asking = false
      if (!answer.ok) {
        this.#sink.countRun(window, `refused: ${answer.error.code}`)
        return
      }
      const pending = { sentAt, window }
      const early = this.#earlyExits.get(answer.runId)
      if (early === undefined) {
        this.#pending.set(answer.runId, pending)
        return
      }
      this.#earlyExits.delete(answer.runId)
      this.#finish(answer.runId, pending, early)
    })
  }

  /** Records a run's latency (up to `end.at`, ms) and verdict, unless it was sent in warm-up. */
  #finish(runId: string, pending: PendingRun, end: { at: number; verdict: string }): void {
    this.#pending.delete(runId)
    if (pending.window === 0) return
    this.#sink.runHistogram(pending.window).record((end.at - pending.sentAt) * 1000)
    this.#sink.countRun(pending.window, end.verdict)
  }
}
