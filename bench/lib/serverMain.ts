/**
 * A server under test, in its own process: `tandem` (the real `startTandem`: HTTP, collab over the
 * real SQLite store in a temp DATA_DIR, socket.io, the sandbox process) or `reference` (the
 * y-websocket reference server: `@y/websocket-server` 0.1.1's `setupWSConnection` behind the same
 * upgrade handler as its `server.js`, with the ws it ships with). It answers the orchestrator over
 * IPC: tickets, CPU, heap after GC, rooms held, the server's own replica of each text.
 *
 * Usage (forked by ServerProcess): node --expose-gc bench/lib/serverMain.ts tandem|reference [root]
 * where `root` is another checkout whose server/ to run (to compare two versions of Tandem).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  PerformanceObserver,
  constants as perfConstants,
  monitorEventLoopDelay,
  performance,
} from 'node:perf_hooks'
import v8 from 'node:v8'
import * as Y from 'yjs'
import type * as ConfigModuleNs from '../../server/config.ts'
import type * as IdsModuleNs from '../../server/ids.ts'
import type * as TandemModuleNs from '../../server/Tandem.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BenchRole } from './BenchRoom.ts'
import { serveIpc } from './IpcChannel.ts'

export type ServerKind = 'tandem' | 'reference'

// The server is imported at run time from `tandemRoot`, typed as this checkout's modules.
type ConfigModule = typeof ConfigModuleNs
type TandemModule = typeof TandemModuleNs
type IdsModule = typeof IdsModuleNs

/** A sample of the server process (and its children, e.g. Tandem's sandbox). */
export interface ServerStats {
  /** Process CPU time so far (user + system, every thread), µs. */
  cpuUs: number
  /** Of which in the kernel (system calls: sockets, files), µs. */
  cpuSystemUs: number
  /** Cumulative event-loop time, ms: ELU over an interval = Δactive / (Δactive + Δidle). */
  eluActiveMs: number
  eluIdleMs: number
  heapUsedBytes: number
  /** heapUsed by V8 space (old_space, code_space, new_space, large_object_space, …). */
  heapSpaces: Record<string, number>
  externalBytes: number
  rssBytes: number
  /** Rooms (documents) held in memory. */
  rooms: number
  connections: number
  /** Event-loop delay since the last reset (stats with `resetLoopDelay`), ms. */
  loopDelay: { p50Ms: number; p99Ms: number; maxMs: number }
  /**
   * Garbage collections since the last reset: how many, their total and longest pause, ms, and
   * the longest by kind (`major` mark-compact, `minor` scavenge, `incremental`, `weak`).
   */
  gcPauses: { count: number; totalMs: number; maxMs: number; maxByKind: Record<string, number> }
  /** Child processes: CPU so far (ms) and RSS, from /proc. */
  children: { pid: number; cpuMs: number; rssBytes: number }[]
}

export interface Ticket {
  name: string
  tokens: Record<BenchRole, string> | null
}

/** What the interviews behind new tickets hold. Default: two-sum in JavaScript. */
export interface TicketOptions {
  challengeSlug?: string | undefined
  language?: LanguageId | undefined
}

interface ServerUnderTest {
  /** What the provider connects to. */
  serverUrl: string
  /** Base HTTP URL. */
  httpUrl: string
  rooms(): { rooms: number; connections: number }
  tickets(count: number, prefix: string, options?: TicketOptions): Promise<Ticket[]>
  /** The server's replica of one file per room; null where the room or file is missing. */
  texts(names: string[], filePath: string): Promise<Record<string, string | null>>
  close(): Promise<void>
}

const kind = process.argv[2] as ServerKind
const projectRoot = path.resolve(import.meta.dirname, '../..')
/** Another checkout's server to run instead of this one (comparing versions); default this one. */
const tandemRoot = process.argv[3] ?? projectRoot

async function startTandemServer(): Promise<ServerUnderTest> {
  const from = (file: string): string => pathToFileURL(path.join(tandemRoot, file)).href
  const { loadConfig } = (await import(from('server/config.ts'))) as ConfigModule
  const { startTandem } = (await import(from('server/Tandem.ts'))) as TandemModule
  const { newId, newSecret, hashSecret } = (await import(from('server/ids.ts'))) as IdsModule
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-'))
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // The runs benchmark points this at its fixture challenges.
    CHALLENGES_DIR: process.env.BENCH_CHALLENGES_DIR ?? path.join(projectRoot, 'challenges'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // Production defaults unless the orchestrator overrides them (tiny mode shortens idling).
    ...(process.env.BENCH_ROOM_IDLE_MS === undefined
      ? {}
      : { ROOM_IDLE_MS: process.env.BENCH_ROOM_IDLE_MS }),
    ...(process.env.BENCH_DOC_FLUSH_MS === undefined
      ? {}
      : { DOC_FLUSH_MS: process.env.BENCH_DOC_FLUSH_MS }),
    ...(process.env.BENCH_SANDBOX_CONCURRENCY === undefined
      ? {}
      : { SANDBOX_CONCURRENCY: process.env.BENCH_SANDBOX_CONCURRENCY }),
  })
  const tandem = await startTandem({ config })
  const { store } = tandem
  const users = new Map<string, string>()
  const userId = async (name: string): Promise<string> => {
    let id = users.get(name)
    if (id === undefined) {
      id = (
        await store.users.create({
          email: `${newId()}@bench.example`,
          name,
          passwordHash: 'x',
        })
      ).id
      users.set(name, id)
    }
    return id
  }
  return {
    serverUrl: `${tandem.url.replace(/^http/, 'ws')}/collab`,
    httpUrl: tandem.url,
    rooms() {
      const stats = tandem.rooms.stats()
      return { rooms: stats.rooms + stats.loading, connections: stats.connections }
    },
    // Straight into the store, as the REST API would (interview, then a participant per person),
    // but without seeding starter code: both servers start from an empty document.
    async tickets(count, _prefix, options = {}) {
      const interviewer = await userId('Bench Interviewer')
      const observer = await userId('Bench Observer')
      const now = new Date().toISOString()
      const tickets: Ticket[] = []
      for (let i = 0; i < count; i++) {
        const id = newId()
        await store.interviews.create({
          id,
          title: `Bench ${i}`,
          challengeSlug: options.challengeSlug ?? 'two-sum',
          challengeVersion: null,
          language: options.language ?? 'javascript',
          status: 'open',
          candidateToken: newSecret(),
          createdBy: interviewer,
          createdAt: now,
          endedAt: null,
          plannedMinutes: 60,
        })
        const participant = async (
          role: 'candidate' | 'interviewer',
          name: string,
          user: string | null,
        ): Promise<string> => {
          const token = newSecret()
          await store.participants.create({
            id: newId(),
            interviewId: id,
            role,
            name,
            userId: user,
            tokenHash: hashSecret(token),
            createdAt: now,
          })
          return token
        }
        tickets.push({
          name: id,
          tokens: {
            candidate: await participant('candidate', `Candidate ${i}`, null),
            interviewer: await participant('interviewer', 'Bench Interviewer', interviewer),
            observer: await participant('interviewer', 'Bench Observer', observer),
          },
        })
      }
      return tickets
    },
    async texts(names, filePath) {
      const texts: Record<string, string | null> = {}
      for (const name of names) {
        texts[name] = await tandem.rooms.withRoom(name, (room) => room.readFile(filePath))
      }
      return texts
    },
    async close() {
      await tandem.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function startReferenceServer(): Promise<ServerUnderTest> {
  const utils = await import('@y/websocket-server/utils')
  // The ws the reference depends on (6.x), not ours: the baseline runs as it ships.
  const require = createRequire(import.meta.resolve('@y/websocket-server/utils'))
  const WebSocket = require('ws') as {
    Server: new (options: { noServer: boolean }) => {
      on(event: 'connection', listener: (...args: unknown[]) => void): void
      emit(event: 'connection', ...args: unknown[]): void
      handleUpgrade(...args: unknown[]): void
      close(): void
    }
  }
  // From @y/websocket-server/src/server.js, minus the fixed port.
  const wss = new WebSocket.Server({ noServer: true })
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' })
    response.end('okay')
  })
  wss.on('connection', utils.setupWSConnection as (...args: unknown[]) => void)
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws: unknown) => {
      wss.emit('connection', ws, request)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    serverUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    rooms() {
      let connections = 0
      for (const doc of utils.docs.values()) connections += doc.conns.size
      return { rooms: utils.docs.size, connections }
    },
    tickets(count, prefix) {
      return Promise.resolve(
        Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, tokens: null })),
      )
    },
    texts(names, filePath) {
      const texts: Record<string, string | null> = {}
      for (const name of names) {
        const text = utils.docs.get(name)?.getMap('files').get(filePath)
        texts[name] = text instanceof Y.Text ? text.toJSON() : null
      }
      return Promise.resolve(texts)
    },
    async close() {
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** CPU (ms) and RSS of this process's children, from /proc (Linux). */
function childProcesses(): ServerStats['children'] {
  const children: ServerStats['children'] = []
  try {
    const pids = readdirSync('/proc/self/task').flatMap((tid) =>
      readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean),
    )
    const ticksPerMs = 100 / 1000
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cpuTicks = Number(fields[11]) + Number(fields[12])
      const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
      children.push({ pid: Number(pid), cpuMs: cpuTicks / ticksPerMs, rssBytes: rssPages * 4096 })
    }
  } catch {
    // Not Linux, or a child exited while being read: report what was read.
  }
  return children
}

/**
 * A full, memory-reducing collection, three times with pauses: V8 sweeps concurrently, and
 * heapUsed read straight after one gc() still counts pages not yet swept (it overstated a room by
 * several KB in our runs). Cons strings and flushed bytecode are only gone after such passes too.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: (options?: object) => void }).gc
  if (gc === undefined) throw new Error('start the server with --expose-gc')
  for (let i = 0; i < 3; i++) {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

let profiler: Session | null = null
const loopDelay = monitorEventLoopDelay({ resolution: 1 })
loopDelay.enable()
const emptyGcPauses = (): ServerStats['gcPauses'] => ({
  count: 0,
  totalMs: 0,
  maxMs: 0,
  maxByKind: {},
})
const gcKinds: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
}
let gcPauses = emptyGcPauses()
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { detail } = entry as unknown as { detail?: { kind?: number } }
    const kind = gcKinds[detail?.kind ?? -1] ?? 'other'
    gcPauses.count++
    gcPauses.totalMs += entry.duration
    gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration)
    gcPauses.maxByKind[kind] = Math.max(gcPauses.maxByKind[kind] ?? 0, Math.round(entry.duration))
  }
}).observe({ entryTypes: ['gc'] })
const server = kind === 'tandem' ? await startTandemServer() : await startReferenceServer()

serveIpc({
  info: () => ({ kind, serverUrl: server.serverUrl, httpUrl: server.httpUrl, pid: process.pid }),
  tickets: (params: { count: number; prefix: string; options?: TicketOptions }) =>
    server.tickets(params.count, params.prefix, params.options),
  async stats(params: { gc: boolean; resetLoopDelay?: boolean }): Promise<ServerStats> {
    if (params.gc) await collectGarbage()
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100
    const delay = {
      p50Ms: ms(loopDelay.percentile(50)),
      p99Ms: ms(loopDelay.percentile(99)),
      maxMs: ms(loopDelay.max),
    }
    const pauses = {
      ...gcPauses,
      totalMs: Math.round(gcPauses.totalMs * 100) / 100,
      maxMs: Math.round(gcPauses.maxMs * 100) / 100,
    }
    if (params.resetLoopDelay === true) {
      loopDelay.reset()
      gcPauses = emptyGcPauses()
    }
    const cpu = process.cpuUsage()
    const elu = performance.eventLoopUtilization()
    const memory = process.memoryUsage()
    return {
      cpuUs: cpu.user + cpu.system,
      cpuSystemUs: cpu.system,
      eluActiveMs: elu.active,
      eluIdleMs: elu.idle,
      heapUsedBytes: memory.heapUsed,
      heapSpaces: Object.fromEntries(
        v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]),
      ),
      externalBytes: memory.external,
      rssBytes: memory.rss,
      ...server.rooms(),
      loopDelay: delay,
      gcPauses: pauses,
      children: childProcesses(),
    }
  },
  texts: (params: { names: string[]; filePath: string }) =>
    server.texts(params.names, params.filePath),
  async heapSnapshot(params: { file: string }) {
    await collectGarbage()
    return v8.writeHeapSnapshot(params.file)
  },
  /** Starts V8's CPU profiler (for a measurement window only, unlike `--cpu-prof`). */
  async profileStart() {
    profiler ??= new Session()
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 })
    await profiler.post('Profiler.start')
  },
  async profileStop(params: { file: string }) {
    if (profiler === null) throw new Error('profiler not started')
    const { profile } = await profiler.post('Profiler.stop')
    writeFileSync(params.file, JSON.stringify(profile))
    profiler.disconnect()
    return params.file
  },
  async close() {
    await server.close()
    setTimeout(() => process.exit(0), 50)
  },
})
