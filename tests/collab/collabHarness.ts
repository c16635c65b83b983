/**
 * A real collaboration server for tests: http.Server on port 0, a real SQLite store in a temp dir,
 * the RoomManager and the ws adapter, with an `authenticate` that looks participant tokens up in
 * the store the way the app does. Plus stock y-websocket providers and raw ws clients.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as encoding from 'lib0/encoding'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { collabParams, collabPathPrefix, docFilesKey } from '../../protocol/collab.ts'
import { AccessGate } from '../../server/access/AccessGate.ts'
import { AuthService } from '../../server/auth/AuthService.ts'
import { attachCollab, type CollabServer } from '../../server/collab/attachCollab.ts'
import type { CollabLimits } from '../../server/collab/collabLimits.ts'
import type { Room } from '../../server/collab/Room.ts'
import { RoomManager, type RoomHooks } from '../../server/collab/RoomManager.ts'
import { hashSecret, newId, newSecret } from '../../server/ids.ts'
import { createLogger } from '../../server/logger.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import { waitFor } from '../helpers/waitFor.ts'

export const logger = createLogger('silent')

/** Two interviews; tokens for an interviewer and a candidate of the first, one of the second. */
export interface Fixture {
  interviewId: string
  otherInterviewId: string
  tokens: { interviewer: string; candidate: string; other: string }
}

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tandem-collab-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export async function createFixture(store: Store): Promise<Fixture> {
  const user = await store.users.create({
    email: `${newId()}@example.com`,
    name: 'Ada Interviewer',
    passwordHash: 'x',
  })
  const interview = async (): Promise<string> => {
    const id = newId()
    await store.interviews.create({
      id,
      title: 'Collab test',
      challengeSlug: 'two-sum',
      challengeVersion: null,
      language: 'javascript',
      status: 'open',
      candidateToken: newSecret(),
      createdBy: user.id,
      createdAt: new Date().toISOString(),
      endedAt: null,
      plannedMinutes: 60,
    })
    return id
  }
  const participant = async (
    interviewId: string,
    role: 'interviewer' | 'candidate',
    name: string,
  ): Promise<string> => {
    const token = newSecret()
    await store.participants.create({
      id: newId(),
      interviewId,
      role,
      name,
      userId: null,
      tokenHash: hashSecret(token),
      createdAt: new Date().toISOString(),
    })
    return token
  }
  const interviewId = await interview()
  const otherInterviewId = await interview()
  return {
    interviewId,
    otherInterviewId,
    tokens: {
      interviewer: await participant(interviewId, 'interviewer', 'Ada Interviewer'),
      candidate: await participant(interviewId, 'candidate', 'Cam Candidate'),
      other: await participant(otherInterviewId, 'candidate', 'Olly Other'),
    },
  }
}

export interface Harness {
  /** `ws://127.0.0.1:<port>/collab`, the provider's server URL. */
  url: string
  port: number
  store: Store
  manager: RoomManager
  collab: CollabServer
  server: http.Server
  /** Closes the adapter, the manager (flushing), the http server and, if it opened it, the store. */
  close(): Promise<void>
}

export interface HarnessOptions {
  store: Store
  roomIdleMs?: number
  docFlushMs?: number
  limits?: Partial<CollabLimits>
  snapshotEvery?: number
  checkpointEveryMs?: number
  heartbeatMs?: number
  /** Lifecycle hooks beside the manager's own (persistence, timeline events). */
  hooks?: readonly RoomHooks[]
  /** Default: seeds `main.js` with an empty text, so clients have a file to edit. */
  onLoad?: (payload: { interviewId: string; room: Room }) => void | Promise<void>
}

export const mainFile = 'main.js'

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const { store } = options
  const access = new AccessGate({ store, auth: new AuthService(store) })
  const manager = new RoomManager({
    store,
    logger,
    roomIdleMs: options.roomIdleMs ?? 50,
    docFlushMs: options.docFlushMs ?? 50,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.checkpointEveryMs === undefined
      ? {}
      : { checkpointEveryMs: options.checkpointEveryMs }),
    onLoad:
      options.onLoad ??
      (({ room }) => {
        room.seedFile(mainFile, '')
      }),
  })
  const server = http.createServer((_request, response) => response.writeHead(404).end())
  const collab = attachCollab(server, {
    manager,
    logger,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    // The app's own access policy (server/access/), on the interview and participant as stored.
    authenticate: async (request, ref) => {
      const token = new URL(request.url ?? '', 'http://localhost').searchParams.get('token')
      const admitted = await access.admitToDoc(token ?? undefined, ref.interviewId, ref.doc)
      if ('refused' in admitted) return admitted
      const { participant } = admitted
      return {
        identity: { participantId: participant.id, name: participant.name, role: participant.role },
        readOnly: admitted.access === 'read',
      }
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}${collabPathPrefix}`,
    port,
    store,
    manager,
    collab,
    server,
    async close() {
      await collab.close()
      await manager.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A harness on a fresh SQLite store in a temp dir, with the fixture; `close` removes it all. */
export async function startWithFixture(
  options: Omit<HarnessOptions, 'store'> = {},
): Promise<{ harness: Harness; fixture: Fixture; dataDir: string; close: () => Promise<void> }> {
  const temp = await makeTempDir()
  const store = openSqliteStore(temp.dir)
  const fixture = await createFixture(store)
  const harness = await startHarness({ ...options, store })
  return {
    harness,
    fixture,
    dataDir: temp.dir,
    close: async () => {
      await harness.close()
      await store.close()
      await temp.remove()
    },
  }
}

/** The stock y-websocket provider, as the browser uses it (BroadcastChannel off: Node shares it). */
export function connectProvider(
  serverUrl: string,
  interviewId: string,
  token: string,
  doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(serverUrl, interviewId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: collabParams(token),
    disableBc: true,
    maxBackoffTime: 100,
  })
}

export function fileText(doc: Y.Doc, filePath = mainFile): Y.Text | null {
  const text = doc.getMap(docFilesKey).get(filePath)
  return text instanceof Y.Text ? text : null
}

export function readText(doc: Y.Doc, filePath = mainFile): string | null {
  return fileText(doc, filePath)?.toJSON() ?? null
}

/** Waits for the provider to have synced and to see the seeded file. */
export async function whenEditable(
  provider: WebsocketProvider,
  filePath = mainFile,
): Promise<Y.Text> {
  await waitFor(
    () => provider.synced && fileText(provider.doc, filePath) !== null,
    'provider synced',
  )
  return fileText(provider.doc, filePath) as Y.Text
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A raw ws client that records every frame and the close. */
export interface RawClient {
  ws: WebSocket
  frames: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  send(frame: Uint8Array): void
}

export function connectRaw(
  serverUrl: string,
  interviewId: string,
  token: string,
  options: { autoPong?: boolean } = {},
): RawClient {
  const ws = new WebSocket(
    `${serverUrl}/${interviewId}?${new URLSearchParams(collabParams(token)).toString()}`,
    options,
  )
  const frames: Uint8Array[] = []
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  ws.on('error', () => undefined)
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    )
  })
  opened.catch(() => undefined)
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  return { ws, frames, opened, closed, send: (frame) => ws.send(frame) }
}

/** A y-protocols update frame, encoded by y-protocols itself. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** Sync sub-type of a frame (0 step 1, 1 step 2, 2 update), or null for non-sync frames. */
export function syncKind(frame: Uint8Array): number | null {
  return frame[0] === 0 ? (frame[1] ?? null) : null
}

/** mulberry32: a small seeded PRNG, so random tests replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What one test opened; closed after it, newest first (see `collabScope`). */
export interface CollabScope {
  /** Runs `cleanup` after the current test. */
  defer: (cleanup: () => Promise<void> | void) => void
  /** `startWithFixture`, closed after the test. */
  setup: (options?: Parameters<typeof startWithFixture>[0]) => ReturnType<typeof startWithFixture>
  /** `connectProvider`, destroyed after the test. */
  provider: (...args: Parameters<typeof connectProvider>) => WebsocketProvider
  /** `connectRaw`, terminated after the test. */
  raw: (...args: Parameters<typeof connectRaw>) => RawClient
}

/**
 * Servers, providers and sockets that close themselves after each test. Call once at the top of a
 * test file: it registers the file's `afterEach`.
 */
export function collabScope(): CollabScope {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const defer = (cleanup: () => Promise<void> | void): void => {
    cleanups.push(cleanup)
  }
  return {
    defer,
    setup: async (options = {}) => {
      const started = await startWithFixture(options)
      defer(started.close)
      return started
    },
    provider: (...args) => {
      const created = connectProvider(...args)
      defer(() => created.destroy())
      return created
    },
    raw: (...args) => {
      const client = connectRaw(...args)
      defer(() => client.ws.terminate())
      return client
    },
  }
}
