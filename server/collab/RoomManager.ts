/**
 * Loads, shares and unloads rooms. A room is loaded from the store once, however many acquire it
 * at the same time; every connection holds its room, and so does anyone reading it (the run
 * service). When the last hold is released the room stays loaded for `roomIdleMs`, then its
 * updates are flushed and its document freed: an interview nobody has open costs no memory.
 */
import { CollabCloseCode } from '../../protocol/collab.ts'
import { TandemError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Store } from '../store/Store.ts'
import { CollabConnection } from './CollabConnection.ts'
import type { CollabAccess, CollabIdentity, CollabSocket } from './CollabSocket.ts'
import { defaultCollabLimits, type CollabLimits } from './collabLimits.ts'
import { DocWriter } from './DocWriter.ts'
import { Room } from './Room.ts'

/** WebSocket close code for "server going away": the provider reconnects. */
const goingAway = 1001

export interface RoomManagerOptions {
  store: Store
  logger: Logger
  /** How long a room stays loaded after its last hold is released, ms (config ROOM_IDLE_MS). */
  roomIdleMs: number
  /** Longest an update waits before it is written to the store, ms (config DOC_FLUSH_MS, ≤ 500). */
  docFlushMs: number
  /** Overrides of `defaultCollabLimits`. */
  limits?: Partial<CollabLimits>
  /** Rows in the update log after the last snapshot that trigger a new snapshot. Default 100. */
  snapshotEvery?: number
  /**
   * Called once per load, before any connection sees the document, e.g. to seed starter code
   * (`room.seedFile` is a no-op for files that exist). A throw fails the load.
   */
  onLoad?: (payload: { interviewId: string; room: Room }) => void | Promise<void>
}

/** A claim on a loaded room; the room is not unloaded while any hold is unreleased. */
export interface RoomHold {
  readonly room: Room
  /** Idempotent. */
  release(): void
}

export interface CollabStats {
  /** Rooms loaded in memory. */
  rooms: number
  /** Rooms being loaded from the store. */
  loading: number
  /** Open connections, including those waiting for their room to load. */
  connections: number
  /** Documents with updates not yet written to the store. */
  unwrittenDocs: number
}

interface RoomEntry {
  readonly interviewId: string
  readonly ready: Promise<Room>
  room: Room | null
  holds: number
  idleTimer: NodeJS.Timeout | null
  /** Every connection to this room, including those waiting for the load. */
  readonly connections: Set<CollabConnection>
}

export class RoomManager {
  readonly limits: Readonly<CollabLimits>
  readonly #logger: Logger
  readonly #roomIdleMs: number
  readonly #onLoad: RoomManagerOptions['onLoad']
  readonly #writer: DocWriter
  readonly #rooms = new Map<string, RoomEntry>()
  #nextConnectionId = 1
  #connections = 0
  #closing = false

  constructor(options: RoomManagerOptions) {
    this.limits = Object.freeze({ ...defaultCollabLimits, ...options.limits })
    this.#logger = options.logger
    this.#roomIdleMs = options.roomIdleMs
    this.#onLoad = options.onLoad
    this.#writer = new DocWriter({
      store: options.store,
      logger: options.logger,
      flushMs: options.docFlushMs,
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
    })
  }

  stats(): CollabStats {
    let rooms = 0
    for (const entry of this.#rooms.values()) if (entry.room !== null) rooms++
    return {
      rooms,
      loading: this.#rooms.size - rooms,
      connections: this.#connections,
      unwrittenDocs: this.#writer.unwrittenDocs,
    }
  }

  /** True when the room is loaded (for tests and the health endpoint). */
  isLoaded(interviewId: string): boolean {
    return this.#rooms.get(interviewId)?.room != null
  }

  /** Loads the room if needed and holds it until `release`. Rejects when the load fails. */
  async acquire(interviewId: string): Promise<RoomHold> {
    if (this.#closing) {
      throw new TandemError('internal', 'The collaboration service is shutting down.')
    }
    const entry = this.#hold(interviewId)
    let room: Room
    try {
      room = await entry.ready
    } catch (error) {
      this.#release(entry)
      throw error
    }
    let released = false
    return {
      room,
      release: () => {
        if (released) return
        released = true
        this.#release(entry)
      },
    }
  }

  /** Runs `work` with the room held, e.g. `withRoom(id, (room) => room.readFile(path))`. */
  async withRoom<T>(interviewId: string, work: (room: Room) => T | Promise<T>): Promise<T> {
    const hold = await this.acquire(interviewId)
    try {
      return await work(hold.room)
    } finally {
      hold.release()
    }
  }

  /**
   * A new connection from the transport. Frames it sends before the room has loaded are queued;
   * the room greets it (sync step 1, awareness) once loaded. The transport forwards frames to
   * `receive` and its closing to `transportClosed`.
   */
  connect(interviewId: string, socket: CollabSocket, identity: CollabIdentity): CollabConnection {
    const entry = this.#closing ? null : this.#hold(interviewId)
    const connection = new CollabConnection({
      id: this.#nextConnectionId++,
      interviewId,
      socket,
      identity,
      limits: this.limits,
      onClosed: this.#onConnectionClosed,
    })
    this.#connections++
    if (entry === null) {
      connection.close(goingAway, 'server shutting down')
      return connection
    }
    entry.connections.add(connection)
    entry.ready.then(
      (room) => {
        try {
          room.attach(connection)
        } catch (error) {
          this.#logger.error({ err: error, interviewId }, 'collab: attaching a connection failed')
          connection.close(CollabCloseCode.internal, 'internal error')
        }
      },
      () => connection.close(CollabCloseCode.internal, 'could not load the document'),
    )
    return connection
  }

  /**
   * One callback for every connection (a closure per connection cost ~100 bytes each): the entry
   * is found by interview id, and only released when the connection really was one of its own.
   */
  readonly #onConnectionClosed = (closed: CollabConnection): void => {
    this.#connections--
    const entry = this.#rooms.get(closed.interviewId)
    if (entry?.connections.delete(closed) === true) this.#release(entry)
  }

  /** Closes every connection to a room with `roomClosed` (interview ended or deleted). */
  closeRoom(interviewId: string, reason = 'interview ended'): number {
    const entry = this.#rooms.get(interviewId)
    if (entry === undefined) return 0
    const connections = [...entry.connections]
    for (const connection of connections) connection.close(CollabCloseCode.roomClosed, reason)
    return connections.length
  }

  /**
   * The interview ended: its document becomes read-only for everyone (waiting for a load in
   * progress), and candidates' connections are closed with `roomClosed`. Interviewers stay
   * connected to review the code; a room loaded later is made read-only by `onLoad`.
   */
  async endRoom(interviewId: string): Promise<void> {
    const entry = this.#rooms.get(interviewId)
    if (entry === undefined) return
    for (const connection of [...entry.connections]) {
      if (connection.identity.role === 'candidate') {
        connection.close(CollabCloseCode.roomClosed, 'interview ended')
      }
    }
    const room = await entry.ready.catch(() => null)
    room?.makeReadOnly()
  }

  /**
   * Access changed (the editor was locked or unlocked, a participant removed): every connection
   * to the room gets what `accessOf` says now. `none` closes it with `unauthorized` (4401).
   */
  reviewAccess(interviewId: string, accessOf: (identity: CollabIdentity) => CollabAccess): void {
    const entry = this.#rooms.get(interviewId)
    if (entry === undefined) return
    for (const connection of [...entry.connections]) {
      const access = accessOf(connection.identity)
      if (access === 'none') connection.close(CollabCloseCode.unauthorized, 'access revoked')
      else connection.readOnly = access === 'read'
    }
  }

  /** Server shutdown: closes every connection, unloads every room and writes everything buffered. */
  async close(): Promise<void> {
    if (this.#closing) return
    this.#closing = true
    const entries = [...this.#rooms.values()]
    for (const entry of entries) {
      if (entry.idleTimer !== null) clearTimeout(entry.idleTimer)
      entry.idleTimer = null
      for (const connection of [...entry.connections]) {
        connection.close(goingAway, 'server shutting down')
      }
    }
    const unloads = entries.map(async (entry) => {
      await entry.ready.catch(() => undefined)
      this.#unload(entry, true)
    })
    await Promise.all(unloads)
    await this.#writer.close()
  }

  /** Counts a hold on the room, creating (and starting to load) it when needed. */
  #hold(interviewId: string): RoomEntry {
    let entry = this.#rooms.get(interviewId)
    if (entry === undefined) {
      const connections = new Set<CollabConnection>()
      const created: RoomEntry = {
        interviewId,
        ready: Promise.resolve().then(() => this.#load(created)),
        room: null,
        holds: 0,
        idleTimer: null,
        connections,
      }
      // Every waiter handles the rejection; this keeps a failed load from being "unhandled".
      created.ready.catch(() => undefined)
      entry = created
      this.#rooms.set(interviewId, entry)
    }
    entry.holds++
    if (entry.idleTimer !== null) {
      clearTimeout(entry.idleTimer)
      entry.idleTimer = null
    }
    return entry
  }

  async #load(entry: RoomEntry): Promise<Room> {
    const { interviewId } = entry
    let room: Room | null = null
    try {
      const updates = await this.#writer.load(interviewId)
      room = new Room({
        interviewId,
        limits: this.limits,
        logger: this.#logger,
        onUpdate: (update) => this.#writer.push(interviewId, update),
      })
      room.load(updates)
      await this.#onLoad?.({ interviewId, room })
      this.#writer.attach(interviewId, room)
      entry.room = room
      return room
    } catch (error) {
      this.#logger.error({ err: error, interviewId }, 'collab: loading a document failed')
      if (this.#rooms.get(interviewId) === entry) this.#rooms.delete(interviewId)
      // Seeding may have written before the failure: keep what was written.
      const state = room?.encodeState() ?? null
      room?.destroy()
      this.#writer.detach(interviewId, state).catch(() => undefined)
      throw error
    }
  }

  #release(entry: RoomEntry): void {
    entry.holds--
    if (entry.holds > 0 || this.#closing) return
    if (this.#roomIdleMs === 0) {
      this.#unloadWhenLoaded(entry)
      return
    }
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null
      this.#unloadWhenLoaded(entry)
    }, this.#roomIdleMs)
  }

  #unloadWhenLoaded(entry: RoomEntry): void {
    if (entry.room !== null) {
      this.#unload(entry, false)
      return
    }
    entry.ready.then(
      () => this.#unload(entry, false),
      () => undefined,
    )
  }

  /** Frees a room nobody holds (or every room, on shutdown); its writes finish in the background. */
  #unload(entry: RoomEntry, force: boolean): void {
    const room = entry.room
    if (room === null || (entry.holds > 0 && !force)) return
    if (this.#rooms.get(entry.interviewId) !== entry) return
    this.#rooms.delete(entry.interviewId)
    entry.room = null
    const finalState = room.encodeState()
    room.destroy()
    this.#writer.detach(entry.interviewId, finalState).catch((error: unknown) => {
      this.#logger.error({ err: error, interviewId: entry.interviewId }, 'collab: unloading failed')
    })
  }
}
