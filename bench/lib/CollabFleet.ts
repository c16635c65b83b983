/**
 * A server under test plus the generator shards typing into it: the unit both benchmarks drive.
 * Rooms are prepared (tickets, untimed), opened (clients synced and laid out), then typed into
 * while the fleet is resumed. A measurement window samples the server's CPU and event loop at its
 * edges and collects every shard's histogram; windows merge, so a figure can pool several rounds.
 */
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { solutionPath } from '../../protocol/collab.ts'
import type { RoomSpec } from './BenchRoom.ts'
import { GeneratorShard, type ShardVerdict, type ShardWindow } from './GeneratorShard.ts'
import { Histogram, type HistogramData, type LatencySummary } from './Histogram.ts'
import { ServerProcess, verifyServerReplicas, type ServerKind } from './ServerProcess.ts'

/** The challenge every room works on; its reference solution sits between the typing regions. */
export const benchChallenge = 'two-sum'
export const benchFilePath = solutionPath(benchChallenge, 'javascript')
const body = readFileSync(
  new URL(`../../challenges/${benchChallenge}/solutions/solution.js`, import.meta.url),
  'utf8',
).trimEnd()

export interface CollabFleetOptions {
  kind: ServerKind
  /** Tandem only: another checkout to run the server of (see ServerProcessOptions). */
  root?: string
  shards: number
  serverEnv?: Record<string, string>
}

/** One measurement window, raw so windows can be merged. */
export interface WindowSample {
  rooms: number
  wallMs: number
  keystrokes: number
  histogram: HistogramData
  censored: number
  serverCpuUs: number
  serverSystemUs: number
  serverActiveMs: number
  serverIdleMs: number
  /** The server's event-loop delay during the window, ms. */
  serverLoopDelay: { p99Ms: number; maxMs: number }
  /** The server's garbage collections during the window (pauses, ms). */
  serverGc: { count: number; totalMs: number; maxMs: number; maxByKind: Record<string, number> }
  /** Per shard: event-loop utilisation and CPU (cores) during the window. */
  generators: { elu: number; cpu: number; rooms: number; rssBytes: number }[]
  /** Client connections lost so far (the provider reconnects). */
  drops: number
  /** Runs asked for in the window (load benchmark). */
  runs: { histogram: HistogramData; outcomes: Record<string, number>; censored: number }
  /** The server's child processes (Tandem's sandbox): CPU during the window, ms. */
  childCpuMs: number
  /** Resident memory at the window's end: the server process, and its children together. */
  serverRssBytes: number
  childRssBytes: number
}

export interface WindowResult {
  rooms: number
  /** Measured seconds, all rounds together. */
  seconds: number
  rounds: number
  keystrokes: number
  /** Keystroke propagation: writer's insert → a reader's transaction, every reader. */
  latency: LatencySummary & { censored: number }
  /** Server process CPU time (all threads) / keystrokes, µs. */
  serverCpuUsPerKeystroke: number
  /** Of which in the kernel (socket and file system calls), µs. */
  serverSystemCpuUsPerKeystroke: number
  /** Server process CPU / wall time (1 = one core). */
  serverCpuCores: number
  serverElu: number
  /** The server's event-loop delay, worst round, ms. */
  serverLoopDelay: { p99Ms: number; maxMs: number }
  /** The server's garbage collections: pause time per second measured, the longest, by kind, ms. */
  serverGc: { msPerSecond: number; maxMs: number; maxByKind: Record<string, number> }
  /** Per shard, the highest ELU and CPU of any round. */
  generators: { elu: number; cpu: number; rooms: number; rssMiB: number }[]
  /** A generator's event loop was at or above the saturation threshold: latency is suspect. */
  generatorBound: boolean
  drops: number
  /** Runs (load benchmark): request → exit seen by the other client; null when none ran. */
  runs: (LatencySummary & { censored: number; outcomes: Record<string, number> }) | null
  /** The server's children (Tandem's sandbox) CPU / wall time. */
  childCpuCores: number
  /** Highest resident memory at a window's end, MiB. */
  serverRssMiB: number
  childRssMiB: number
}

/** The shards' counts summed (see ShardVerdict), and the server's own replicas. */
export interface Verification extends Omit<ShardVerdict, 'expected'> {
  /** The server's own copy of each text. */
  serverReplicas: number
  serverExact: number
}

const round = (value: number, places = 3): number => {
  const scale = 10 ** places
  return Math.round(value * scale) / scale
}

/** Pools windows (e.g. rounds interleaved with another server's) into one result. */
export function mergeWindows(samples: WindowSample[], saturatedElu: number): WindowResult {
  const sum = (pick: (w: WindowSample) => number): number =>
    samples.reduce((total, w) => total + pick(w), 0)
  const histogram = new Histogram()
  for (const w of samples) histogram.add(w.histogram)
  const keystrokes = sum((w) => w.keystrokes)
  const wallMs = sum((w) => w.wallMs)
  const active = sum((w) => w.serverActiveMs)
  const idle = sum((w) => w.serverIdleMs)
  const perKeystroke = (us: number): number => round(keystrokes === 0 ? 0 : us / keystrokes, 1)
  const shards = samples[0]?.generators.length ?? 0
  const generators = Array.from({ length: shards }, (_, s) => {
    const of = samples.map((w) => w.generators[s])
    return {
      elu: round(Math.max(...of.map((g) => g?.elu ?? 0))),
      cpu: round(Math.max(...of.map((g) => g?.cpu ?? 0))),
      rooms: Math.max(...of.map((g) => g?.rooms ?? 0)),
      rssMiB: round(Math.max(...of.map((g) => g?.rssBytes ?? 0)) / 2 ** 20, 1),
    }
  })
  const runHistogram = new Histogram()
  const outcomes: Record<string, number> = {}
  for (const w of samples) {
    runHistogram.add(w.runs.histogram)
    for (const [outcome, n] of Object.entries(w.runs.outcomes)) {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + n
    }
  }
  const mib = (bytes: number): number => round(bytes / 2 ** 20, 1)
  return {
    rooms: Math.max(...samples.map((w) => w.rooms)),
    seconds: round(wallMs / 1000, 2),
    rounds: samples.length,
    keystrokes,
    latency: { ...histogram.summary(), censored: sum((w) => w.censored) },
    serverCpuUsPerKeystroke: perKeystroke(sum((w) => w.serverCpuUs)),
    serverSystemCpuUsPerKeystroke: perKeystroke(sum((w) => w.serverSystemUs)),
    serverCpuCores: round(sum((w) => w.serverCpuUs) / 1000 / wallMs),
    serverElu: round(active / (active + idle)),
    serverLoopDelay: {
      p99Ms: Math.max(...samples.map((w) => w.serverLoopDelay.p99Ms)),
      maxMs: Math.max(...samples.map((w) => w.serverLoopDelay.maxMs)),
    },
    serverGc: {
      msPerSecond: round(sum((w) => w.serverGc.totalMs) / (wallMs / 1000), 2),
      maxMs: Math.max(...samples.map((w) => w.serverGc.maxMs)),
      maxByKind: samples.reduce<Record<string, number>>((byKind, w) => {
        for (const [kind, ms] of Object.entries(w.serverGc.maxByKind)) {
          byKind[kind] = Math.max(byKind[kind] ?? 0, ms)
        }
        return byKind
      }, {}),
    },
    generators,
    generatorBound: generators.some((g) => g.elu >= saturatedElu),
    drops: Math.max(...samples.map((w) => w.drops)),
    runs:
      runHistogram.count === 0 && Object.keys(outcomes).length === 0
        ? null
        : { ...runHistogram.summary(), censored: sum((w) => w.runs.censored), outcomes },
    childCpuCores: round(sum((w) => w.childCpuMs) / wallMs),
    serverRssMiB: mib(Math.max(...samples.map((w) => w.serverRssBytes))),
    childRssMiB: mib(Math.max(...samples.map((w) => w.childRssBytes))),
  }
}

export class CollabFleet {
  readonly server: ServerProcess
  readonly #shards: GeneratorShard[]
  #rooms = 0
  #prepared = 0
  #nextWindow = 1
  /** Each room's expected text, from the last `verify`. */
  #expected: Record<string, string> = {}

  private constructor(server: ServerProcess, shards: GeneratorShard[]) {
    this.server = server
    this.#shards = shards
  }

  static async start(options: CollabFleetOptions): Promise<CollabFleet> {
    const server = await ServerProcess.start({
      kind: options.kind,
      ...(options.root === undefined ? {} : { root: options.root }),
      ...(options.serverEnv === undefined ? {} : { env: options.serverEnv }),
    })
    const shards = await GeneratorShard.startMany(options.shards)
    return new CollabFleet(server, shards)
  }

  get rooms(): number {
    return this.#rooms
  }

  /** Room names and tokens for `count` more rooms, created before anything is timed. */
  async prepareRooms(count: number): Promise<RoomSpec[]> {
    const first = this.#rooms + this.#prepared
    const tickets = await this.server.tickets(count, `room-${first}`)
    this.#prepared += count
    return tickets.map((ticket, i) => ({
      index: first + i,
      serverUrl: this.server.serverUrl,
      name: ticket.name,
      tokens: ticket.tokens,
      filePath: benchFilePath,
      body,
    }))
  }

  /** Opens prepared rooms round-robin over the shards and waits for every client; no typing yet. */
  async openRooms(specs: RoomSpec[]): Promise<void> {
    const shards = this.#shards
    const perShard = shards.map((_, s) => specs.filter((spec) => spec.index % shards.length === s))
    await Promise.all(shards.map((shard, s) => shard.addRooms(perShard[s] ?? [])))
    this.#rooms += specs.length
    this.#prepared -= specs.length
  }

  async addRooms(count: number): Promise<void> {
    await this.openRooms(await this.prepareRooms(count))
  }

  /**
   * Connects each room's candidate and interviewer over socket.io (Tandem only), on the shard
   * that holds the room; once `startRuns` is called each room asks for a run every `everyMs`.
   */
  async openRunners(specs: RoomSpec[], everyMs: number): Promise<void> {
    const shards = this.#shards
    await Promise.all(
      shards.map((shard, s) =>
        shard.addRunners(
          specs
            .filter((spec) => spec.index % shards.length === s)
            .map((spec) => ({
              httpUrl: this.server.httpUrl,
              candidateToken: spec.tokens?.candidate ?? '',
              interviewerToken: spec.tokens?.interviewer ?? '',
              index: spec.index,
            })),
          everyMs,
        ),
      ),
    )
  }

  async startRuns(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.startRuns()))
  }

  async stopRuns(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.stopRuns()))
  }

  /** Disconnects every runner's clients. */
  async closeRunners(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.closeRunners()))
  }

  /** Every open room types (again). */
  async resume(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.startTyping()))
  }

  /** Every room stops typing; what was typed is still tracked and verified. */
  async pause(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.stopTyping()))
  }

  /**
   * Measures for `seconds`; samples arriving up to `graceMs` after the end still count. With
   * `profile`, the server's CPU profile of the window is written to that file.
   */
  async window(
    seconds: number,
    options: { graceMs?: number; profile?: string } = {},
  ): Promise<WindowSample> {
    const id = this.#nextWindow++
    if (options.profile !== undefined) await this.server.profileStart()
    const before = await this.server.stats(false, true)
    await Promise.all(this.#shards.map((shard) => shard.beginWindow(id)))
    const started = performance.now()
    await sleep(seconds * 1000)
    const after = await this.server.stats()
    const wallMs = performance.now() - started
    if (options.profile !== undefined) await this.server.profileStop(options.profile)
    const shards: ShardWindow[] = await Promise.all(
      this.#shards.map((shard) => shard.endWindow(id, options.graceMs ?? 1000)),
    )
    const histogram = new Histogram()
    for (const w of shards) histogram.add(w.histogram)
    const runHistogram = new Histogram()
    const outcomes: Record<string, number> = {}
    for (const w of shards) {
      runHistogram.add(w.runs.histogram)
      for (const [outcome, n] of Object.entries(w.runs.outcomes)) {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + n
      }
    }
    const childCpu = (stats: typeof before): number =>
      stats.children.reduce((total, child) => total + child.cpuMs, 0)
    return {
      rooms: this.#rooms,
      wallMs,
      keystrokes: shards.reduce((sum, w) => sum + w.keystrokes, 0),
      histogram: histogram.toJSON(),
      censored: shards.reduce((sum, w) => sum + w.censored, 0),
      serverCpuUs: after.cpuUs - before.cpuUs,
      serverSystemUs: after.cpuSystemUs - before.cpuSystemUs,
      serverActiveMs: after.eluActiveMs - before.eluActiveMs,
      serverIdleMs: after.eluIdleMs - before.eluIdleMs,
      serverLoopDelay: { p99Ms: after.loopDelay.p99Ms, maxMs: after.loopDelay.maxMs },
      serverGc: after.gcPauses,
      generators: shards.map((w) => ({
        elu: w.elu,
        cpu: w.cpu,
        rooms: w.rooms,
        rssBytes: w.rssBytes,
      })),
      drops: shards.reduce((sum, w) => sum + w.drops, 0),
      runs: {
        histogram: runHistogram.toJSON(),
        outcomes,
        censored: shards.reduce((sum, w) => sum + w.runs.censored, 0),
      },
      childCpuMs: childCpu(after) - childCpu(before),
      serverRssBytes: after.rssBytes,
      childRssBytes: after.children.reduce((total, child) => total + child.rssBytes, 0),
    }
  }

  /** Every replica (three clients and the server per room) against the text that was typed. */
  async verify(): Promise<Verification> {
    const verdicts: ShardVerdict[] = await Promise.all(this.#shards.map((s) => s.verify()))
    this.#expected = Object.assign({}, ...verdicts.map((v) => v.expected)) as Record<string, string>
    const server = await this.verifyServer()
    const sum = (key: Exclude<keyof ShardVerdict, 'expected'>): number =>
      verdicts.reduce((total, v) => total + v[key], 0)
    return {
      rooms: sum('rooms'),
      replicas: sum('replicas'),
      exactReplicas: sum('exactReplicas'),
      lost: sum('lost'),
      duplicated: sum('duplicated'),
      unconverged: sum('unconverged'),
      serverReplicas: server.replicas,
      serverExact: server.exact,
    }
  }

  /**
   * The server's replica of every room against the texts of the last `verify`. After the rooms
   * unloaded, Tandem loads them again from its store: this checks what was persisted.
   */
  verifyServer(): Promise<{ replicas: number; exact: number }> {
    return verifyServerReplicas(this.server, this.#expected, benchFilePath)
  }

  /** Everyone leaves: every client closes and the shards exit. */
  async closeClients(): Promise<void> {
    await Promise.all(this.#shards.splice(0).map((shard) => shard.close()))
  }

  async close(): Promise<void> {
    await this.closeClients()
    await this.server.close()
  }
}
