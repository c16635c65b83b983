/**
 * A load generator shard (a child process): it opens whole rooms (all three clients of a room live
 * here, so latency is measured on one clock), types, and reports per measurement window its
 * latency histogram, keystrokes, and its own event-loop utilisation and CPU — so a saturated
 * generator is never mistaken for a slow server.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { BenchRoom, compareChars, type RoomSpec, type WindowSink } from './BenchRoom.ts'
import { Histogram, type HistogramData } from './Histogram.ts'
import { serveIpc } from './IpcChannel.ts'
import { RoomRunner, type RunSink, type RunnerSpec } from './RoomRunner.ts'

/** What a shard reports for one window. */
export interface ShardWindow {
  histogram: HistogramData
  keystrokes: number
  /** Samples recorded at their age when the window was collected (not yet seen by a reader). */
  censored: number
  /** Event-loop utilisation during the window, 0..1. */
  elu: number
  /** CPU time during the window / wall time, 1 = one core. */
  cpu: number
  rssBytes: number
  rooms: number
  /** Connections lost (and reopened by the provider) since the shard started. */
  drops: number
  /** Runs asked for in the window (load benchmark): request → exit at the other client. */
  runs: { histogram: HistogramData; outcomes: Record<string, number>; censored: number }
}

/** The final text check of a shard's rooms. */
export interface ShardVerdict {
  rooms: number
  replicas: number
  /** Replicas whose text equals the expected text exactly. */
  exactReplicas: number
  /** Characters typed but missing from a replica, summed over replicas. */
  lost: number
  /** Characters present more often than typed, summed over replicas. */
  duplicated: number
  /** Rooms whose replicas did not all catch up before the timeout. */
  unconverged: number
  /** Expected text per room name, to check the server's own replica against. */
  expected: Record<string, string>
}

process.setMaxListeners(0)
const rooms: BenchRoom[] = []
const histograms = new Map<number, Histogram>()
const keystrokes = new Map<number, number>()
const runners: RoomRunner[] = []
const runHistograms = new Map<number, Histogram>()
const runOutcomes = new Map<number, Record<string, number>>()
let current = 0
let windowStart: { elu: EventLoopUtilization; cpu: NodeJS.CpuUsage; at: number } | null = null

/** The window's histogram in `histograms`, created on first use. */
function histogramFor(histograms: Map<number, Histogram>, window: number): Histogram {
  let histogram = histograms.get(window)
  if (histogram === undefined) {
    histogram = new Histogram()
    histograms.set(window, histogram)
  }
  return histogram
}

const sink: WindowSink = {
  get current() {
    return current
  },
  histogram: (window) => histogramFor(histograms, window),
  countKeystroke(window) {
    if (window !== 0) keystrokes.set(window, (keystrokes.get(window) ?? 0) + 1)
  },
}

const runSink: RunSink = {
  get current() {
    return current
  },
  runHistogram: (window) => histogramFor(runHistograms, window),
  countRun(window, outcome) {
    if (window === 0) return
    const outcomes = runOutcomes.get(window) ?? {}
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
    runOutcomes.set(window, outcomes)
  },
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

serveIpc({
  /** Opens rooms, `concurrency` at a time, and waits until each is synced and laid out. */
  async addRooms(params: { specs: RoomSpec[]; concurrency: number; timeoutMs: number }) {
    const pending = [...params.specs]
    const worker = async (): Promise<void> => {
      for (let spec = pending.shift(); spec !== undefined; spec = pending.shift()) {
        const room = new BenchRoom(spec, sink)
        rooms.push(room)
        await room.ready(params.timeoutMs)
      }
    }
    await Promise.all(Array.from({ length: params.concurrency }, worker))
    return rooms.length
  },
  /** Connects each room's candidate and interviewer over socket.io (the load benchmark). */
  async addRunners(params: { specs: RunnerSpec[]; everyMs: number; timeoutMs: number }) {
    const added = params.specs.map((spec) => new RoomRunner(spec, runSink, params.everyMs))
    runners.push(...added)
    await Promise.all(added.map((runner) => runner.ready(params.timeoutMs)))
    return runners.length
  },
  startRuns() {
    for (const runner of runners) runner.start()
  },
  stopRuns() {
    for (const runner of runners) runner.stop()
  },
  closeRunners() {
    for (const runner of runners.splice(0)) runner.close()
  },
  startTyping() {
    for (const room of rooms) room.startTyping()
  },
  beginWindow(params: { window: number }) {
    current = params.window
    windowStart = {
      elu: performance.eventLoopUtilization(),
      cpu: process.cpuUsage(),
      at: performance.now(),
    }
  },
  /** Ends the window now; collects its samples after `graceMs` for late arrivals. */
  async endWindow(params: { window: number; graceMs: number }): Promise<ShardWindow> {
    const start = windowStart
    if (start === null) throw new Error('no window open')
    current = 0
    windowStart = null
    const elu = performance.eventLoopUtilization(start.elu).utilization
    const cpuUsed = process.cpuUsage(start.cpu)
    const wallMs = performance.now() - start.at
    await sleep(params.graceMs)
    let censored = 0
    for (const room of rooms) censored += room.censor(params.window)
    let runsCensored = 0
    for (const runner of runners) runsCensored += runner.censor(params.window)
    const runs = {
      histogram: runSink.runHistogram(params.window).toJSON(),
      outcomes: runOutcomes.get(params.window) ?? {},
      censored: runsCensored,
    }
    runHistograms.delete(params.window)
    runOutcomes.delete(params.window)
    const histogram = sink.histogram(params.window).toJSON()
    histograms.delete(params.window)
    const count = keystrokes.get(params.window) ?? 0
    keystrokes.delete(params.window)
    return {
      histogram,
      keystrokes: count,
      censored,
      elu,
      cpu: (cpuUsed.user + cpuUsed.system) / 1000 / wallMs,
      rssBytes: process.memoryUsage.rss(),
      rooms: rooms.length,
      drops: rooms.reduce((sum, room) => sum + room.drops, 0),
      runs,
    }
  },
  stopTyping() {
    for (const room of rooms) room.stopTyping()
  },
  /** Waits (up to `timeoutMs`) for every replica to catch up, then checks every text. */
  async verify(params: { timeoutMs: number }): Promise<ShardVerdict> {
    const deadline = Date.now() + params.timeoutMs
    while (!rooms.every((room) => room.converged()) && Date.now() < deadline) await sleep(50)
    const verdict: ShardVerdict = {
      rooms: rooms.length,
      replicas: 0,
      exactReplicas: 0,
      lost: 0,
      duplicated: 0,
      unconverged: rooms.filter((room) => !room.converged()).length,
      expected: {},
    }
    for (const room of rooms) {
      const expected = room.expected()
      verdict.expected[room.spec.name] = expected
      for (const text of room.texts()) {
        verdict.replicas++
        const { lost, duplicated } = compareChars(expected, text ?? '')
        verdict.lost += lost
        verdict.duplicated += duplicated
        if (text === expected) verdict.exactReplicas++
      }
    }
    return verdict
  },
  close() {
    for (const runner of runners.splice(0)) runner.close()
    for (const room of rooms.splice(0)) room.close()
    setTimeout(() => process.exit(0), 50)
  },
})
