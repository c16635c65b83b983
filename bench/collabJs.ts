/**
 * Server JavaScript per keystroke, in one process, without sockets: a deterministic companion to
 * `bench/collab.ts` for comparing code changes (the networked benchmark shares its cores with
 * load generators and, on a shared machine, with everyone else; this one only measures the
 * servers' own work).
 *
 * Clients are simulated once with real Y.Docs and y-protocols Awareness (the candidate types
 * with a cursor move per keystroke, the interviewer now and then, and every reader's provider
 * echoes each awareness update back, as y-websocket's does); the recorded frames are then
 * replayed into each server: Tandem's RoomManager (real SQLite store in a temp dir, write-behind
 * included) and the reference's `setupWSConnection` on fake connections. Reports CPU µs per
 * keystroke (process.cpuUsage, so the store's work counts) and heap per room after full GCs.
 *
 *   node --expose-gc bench/collabJs.ts [--rooms 200] [--keystrokes 300] [--repeat 3]
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type * as LoggerModuleNs from '../server/logger.ts'
import type * as RoomManagerModuleNs from '../server/collab/RoomManager.ts'
import type * as StoreModuleNs from '../server/store/SqliteStore.ts'
import { initialText } from './lib/BenchRoom.ts'
import { machineInfo } from './lib/machineInfo.ts'
import { printTable, ratio } from './lib/printTable.ts'

const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    keystrokes: { type: 'string', default: '300' },
    repeat: { type: 'string', default: '3' },
    /** Another checkout whose server/collab to measure as "base". */
    compare: { type: 'string' },
  },
})
const rooms = Number(flags.rooms)
const keystrokes = Number(flags.keystrokes)

/** One frame from one of the room's three clients (0 candidate, 1 interviewer, 2 observer). */
interface RecordedFrame {
  client: number
  frame: Uint8Array
  /** True for the frame that carries a keystroke's update. */
  keystroke: boolean
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

/** What three y-websocket clients send a server for one room's session, in order. */
function recordSession(): RecordedFrame[] {
  const frames: RecordedFrame[] = []
  const docs = [0, 1, 2].map((i) => {
    const doc = new Y.Doc()
    doc.clientID = 1000 + i
    return doc
  })
  const awareness = docs.map((doc, i) => {
    const a = new awarenessProtocol.Awareness(doc)
    a.setLocalState({ user: { name: `client ${i}`, color: '#4363d8', role: 'candidate' } })
    return a
  })
  // Relay between the simulated clients (the server's job), recording what each sends.
  docs.forEach((doc, i) => {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'relay') return
      frames.push({ client: i, frame: syncUpdateFrame(update), keystroke: frames.length > 0 })
      docs.forEach((other, j) => j !== i && Y.applyUpdate(other, update, 'relay'))
    })
  })
  awareness.forEach((a, i) => {
    a.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])]
      // The provider sends every awareness update it sees, its own and relayed ones (echoes).
      frames.push({ client: i, frame: awarenessFrame(a, changed), keystroke: false })
      if (origin === 'relay') return
      const update = awarenessProtocol.encodeAwarenessUpdate(a, changed)
      awareness.forEach((other, j) => {
        if (j !== i) awarenessProtocol.applyAwarenessUpdate(other, update, 'relay')
      })
    })
  })
  for (const a of awareness) a.setLocalStateField('online', true)
  const filePath = 'two-sum/solution.js'
  const text = new Y.Text(initialText('function twoSum(nums, target) {\n  return []\n}'))
  docs[0]?.getMap('files').set(filePath, text)
  const typeAt = (who: number, index: number, char: string): void => {
    const t = docs[who]?.getMap('files').get(filePath)
    if (!(t instanceof Y.Text)) return
    t.insert(index, char)
    const cursor = Y.createRelativePositionFromTypeIndex(t, index + 1)
    awareness[who]?.setLocalStateField('selection', { anchor: cursor, head: cursor })
  }
  let interviewerTyped = 0
  for (let k = 0; k < keystrokes; k++) {
    if (k % 10 === 9) {
      // The interviewer types a tenth as often, at the top.
      typeAt(1, 3 + interviewerTyped++, String(k % 10))
    } else {
      const t = docs[0]?.getMap('files').get(filePath) as Y.Text
      typeAt(0, t.length - 3, 'abcdefghijklmnopqrstuvwxyz'[k % 26] ?? 'x')
    }
  }
  for (const a of awareness) a.destroy()
  return frames
}

// Tandem is imported at run time from a checkout (this one, or --compare's), typed as this one.
type RoomManagerModule = typeof RoomManagerModuleNs
type StoreModule = typeof StoreModuleNs
type LoggerModule = typeof LoggerModuleNs

/** A server as this benchmark drives it: rooms of three connections taking frames. */
interface InProcessServer {
  /** Opens a room's three connections; resolves when they can take frames. */
  open(room: string): Promise<((frame: Uint8Array) => void)[]>
  close(): Promise<void>
}

async function tandemServer(root: string): Promise<InProcessServer> {
  const from = (file: string): string => `file://${path.join(root, file)}`
  const { RoomManager } = (await import(from('server/collab/RoomManager.ts'))) as RoomManagerModule
  const { openSqliteStore } = (await import(from('server/store/SqliteStore.ts'))) as StoreModule
  const { createLogger } = (await import(from('server/logger.ts'))) as LoggerModule
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-collabjs-'))
  const store = openSqliteStore(dir)
  const manager = new RoomManager({
    store,
    logger: createLogger('silent'),
    roomIdleMs: 30_000,
    docFlushMs: 200,
  })
  const roles = ['candidate', 'interviewer', 'interviewer'] as const
  return {
    async open(room) {
      const connections = roles.map((role, i) =>
        manager.connect(
          room,
          { send() {}, close() {}, readyState: 1, bufferedAmount: 0 },
          { participantId: `${room}-participant-${i}`, name: `Person ${i}`, role },
        ),
      )
      await manager.withRoom(room, () => undefined)
      await tick()
      return connections.map((connection) => (frame: Uint8Array) => connection.receive(frame))
    },
    async close() {
      await manager.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function referenceServer(): Promise<InProcessServer> {
  const utils = await import('@y/websocket-server/utils')
  /** What setupWSConnection needs of a ws WebSocket. */
  class FakeConnection extends EventEmitter {
    binaryType = 'nodebuffer'
    readyState = 1
    send(_data: Uint8Array, _options: unknown, _callback: (error?: Error) => void): void {}
    ping(): void {}
    close(): void {
      this.readyState = 3
    }
  }
  const opened: FakeConnection[] = []
  return {
    open(room) {
      const connections = [0, 1, 2].map(() => {
        const connection = new FakeConnection()
        utils.setupWSConnection(connection as never, { url: `/${room}` } as never)
        opened.push(connection)
        return connection
      })
      return Promise.resolve(
        connections.map((connection) => (frame: Uint8Array) => {
          // ws 6 with binaryType 'arraybuffer' hands out an ArrayBuffer of the message.
          connection.emit('message', frame.slice().buffer)
        }),
      )
    },
    close() {
      // Its ping intervals stop when a connection closes.
      for (const connection of opened) connection.emit('close')
      return Promise.resolve()
    },
  }
}

async function heapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: (options?: object) => void }).gc
  if (gc === undefined) throw new Error('run with node --expose-gc')
  for (let i = 0; i < 3; i++) {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    await sleep(100)
  }
  return process.memoryUsage().heapUsed
}

interface Figures {
  cpuUsPerKeystroke: number
  heapPerRoomBytes: number
}

/** Room names are never reused: the reference keeps every document it ever opened. */
let run = 0

async function measure(
  make: () => Promise<InProcessServer>,
  session: RecordedFrame[],
): Promise<Figures> {
  const server = await make()
  const prefix = `run${run++}`
  try {
    const keys = session.filter((f) => f.keystroke).length
    // Warm-up rooms, so JIT and caches are not charged to the measured ones.
    for (let r = 0; r < 20; r++) {
      const deliver = await server.open(`${prefix}-warm-${r}`)
      for (const { client, frame } of session) deliver[client]?.(frame)
    }
    await sleep(500)
    const before = await heapUsed()
    const cpu = process.cpuUsage()
    const deliveries = []
    for (let r = 0; r < rooms; r++) deliveries.push(await server.open(`${prefix}-room-${r}`))
    // Keystroke by keystroke across all rooms, yielding so write-behind timers run between.
    for (const [i, { client, frame }] of session.entries()) {
      for (const deliver of deliveries) deliver[client]?.(frame)
      if (i % 8 === 7) await tick()
    }
    await sleep(400) // the last flush tick
    const used = process.cpuUsage(cpu)
    const after = await heapUsed()
    return {
      cpuUsPerKeystroke: Math.round(((used.user + used.system) / (keys * rooms)) * 10) / 10,
      heapPerRoomBytes: Math.round((after - before) / rooms),
    }
  } finally {
    await server.close()
  }
}

const session = recordSession()
const machine = machineInfo()
console.log(
  `server JS per keystroke, in-process: ${rooms} rooms × ${keystrokes} keystrokes, ` +
    `${session.length} frames per room; load ${machine.loadAverageAtStart.join(' ')}`,
)
const servers: [string, () => Promise<InProcessServer>][] = [
  ['reference', referenceServer],
  ...(flags.compare === undefined
    ? []
    : [
        ['base', () => tandemServer(path.resolve(flags.compare ?? ''))] as [
          string,
          () => Promise<InProcessServer>,
        ],
      ]),
  ['tandem', () => tandemServer(path.resolve(import.meta.dirname, '..'))],
]
const results = new Map<string, Figures[]>()
for (let r = 0; r < Number(flags.repeat); r++) {
  for (const [label, make] of r % 2 === 0 ? servers : [...servers].reverse()) {
    const figures = await measure(make, session)
    results.set(label, [...(results.get(label) ?? []), figures])
  }
}
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const labels = servers.map(([label]) => label)
const pick = (label: string, key: keyof Figures): number =>
  median((results.get(label) ?? []).map((f) => f[key]))
printTable(
  `median of ${flags.repeat} runs`,
  ['', ...labels, 'tandem/ref'],
  [
    [
      'CPU per keystroke (µs)',
      ...labels.map((l) => pick(l, 'cpuUsPerKeystroke')),
      ratio(pick('reference', 'cpuUsPerKeystroke'), pick('tandem', 'cpuUsPerKeystroke')),
    ],
    [
      'heap per room, no sockets (KB)',
      ...labels.map((l) => pick(l, 'heapPerRoomBytes') / 1000),
      ratio(pick('reference', 'heapPerRoomBytes'), pick('tandem', 'heapPerRoomBytes')),
    ],
  ],
)
process.exit(0)
