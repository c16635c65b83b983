/**
 * Loads, shares and unloads rooms, one per document of an interview (DocRef). A room is loaded
 * from the store once, however many acquire it at the same time; every connection holds its
 * room, and so does anyone reading it (the run service). When the last hold is released the room
 * stays loaded for `roomIdleMs`, then its updates are flushed and its document freed: an
 * interview nobody has open costs no memory.
 *
 * What happens around a room is carried by lifecycle hooks (RoomHooks), each called with one
 * payload object: persistence (the write-behind DocWriter) and the timeline's joins and leaves
 * are hooks like any other the composition root adds.
 */
import { CollabCloseCode, type DocName, type DocRef } from '../../protocol/collab.ts'
import { TandemError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Store } from '../store/Store.ts'
import { CollabConnection } from './CollabConnection.ts'
import type { CollabAccess, CollabIdentity, CollabSocket } from './CollabSocket.ts'
import { defaultCollabLimits, type CollabLimits } from './collabLimits.ts'
import { DocWriter, docKey, type FinalState } from './DocWriter.ts'
import { authorOf, type DocOrigin } from './origins.ts'
import { Room, type LargeInsert } from './Room.ts'

/**
 * A bare interview id means its code document (what every caller meant before documents had
 * names); collab connections always name theirs.
 */
export type RoomTarget = string | DocRef

function toRef(target: RoomTarget): DocRef {
  return typeof target === 'string' ? { interviewId: target, doc: 'code' } : target
}

/**
 * What happens around a room, each hook with one payload object. Hooks run in the order given;
 * `afterLoad` may be async (the load waits; a throw fails it), the others must not throw.
 */
export interface RoomHooks {
  /** The stored document is in the room, before any connection sees it (seeding, read-only). */
  afterLoad?(payload: { ref: DocRef; room: Room }): void | Promise<void>
  /** Every change to the document (not the load's replay), with its typed origin. */
  onUpdate?(payload: { ref: DocRef; update: Uint8Array; origin: DocOrigin; at: number }): void
  /**
   * A peer's update inserted at least `limits.largeInsertChars` characters into one file (the
   * integrity signal the server detects itself; who wrote it is `insert.origin`).
   */
  onLargeInsert?(payload: { ref: DocRef; insert: LargeInsert; at: number }): void
  /** A connection was greeted by its room. */
  onJoin?(payload: { ref: DocRef; connection: CollabConnection; at: number }): void
  /** A connection that joined left: it closed, or the room unloaded. */
  onLeave?(payload: { ref: DocRef; connection: CollabConnection; at: number }): void
  /** The room is being freed (idle, or shutdown); `final` is its document as it was. */
  beforeUnload?(payload: { ref: DocRef; final: FinalState }): void
}

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
  /** Longest an edited document goes without a checkpoint, ms. Default 60 000. */
  checkpointEveryMs?: number
  /**
   * Called once per load, before any connection sees the document, e.g. to seed starter code
   * (`room.seedFile` is a no-op for files that exist). A throw fails the load. The same as an
   * `afterLoad` hook, with the interview id spelled out.
   */
  onLoad?: (payload: { interviewId: string; ref: DocRef; room: Room }) => void | Promise<void>
  /** More lifecycle hooks, called after persistence's own. */
  hooks?: readonly RoomHooks[]
  /**
   * The clock updates, joins, leaves and checkpoints are stamped with, Unix ms: what replay's
   * timeline reads. Default `Date.now`; tests inject one to script a session at known times.
   */
  now?: () => number
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
  readonly key: string
  readonly ref: DocRef
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
  readonly #hooks: readonly RoomHooks[]
  readonly #writer: DocWriter
  /** What updates, joins, leaves and checkpoints are stamped with (RoomManagerOptions.now). */
  readonly #now: () => number
  readonly #rooms = new Map<string, RoomEntry>()
  /**
   * Per document, the Yjs client ids whose read-only edits were refused: kept across a room's
   * unloading, since the client still holds those edits and resends them when it reconnects.
   * Small (a client id and a clock each) and bounded by the clients that ever typed read-only.
   */
  readonly #refusedClients = new Map<string, Map<number, number>>()
  #nextConnectionId = 1
  #connections = 0
  #closing = false

  constructor(options: RoomManagerOptions) {
    this.limits = Object.freeze({ ...defaultCollabLimits, ...options.limits })
    this.#logger = options.logger
    this.#roomIdleMs = options.roomIdleMs
    this.#writer = new DocWriter({
      store: options.store,
      logger: options.logger,
      flushMs: options.docFlushMs,
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
      ...(options.checkpointEveryMs === undefined
        ? {}
        : { checkpointEveryMs: options.checkpointEveryMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    this.#now = options.now ?? Date.now
    const { onLoad } = options
    this.#hooks = [
      persistenceHooks(this.#writer, options.logger),
      timelineHooks(options.store, options.logger),
      ...(onLoad === undefined
        ? []
        : [
            {
              afterLoad: ({ ref, room }: { ref: DocRef; room: Room }) =>
                onLoad({ interviewId: ref.interviewId, ref, room }),
            },
          ]),
      ...(options.hooks ?? []),
    ] satisfies RoomHooks[]
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
  isLoaded(target: RoomTarget): boolean {
    return this.#rooms.get(docKey(toRef(target)))?.room != null
  }

  /** Loads the room if needed and holds it until `release`. Rejects when the load fails. */
  async acquire(target: RoomTarget): Promise<RoomHold> {
    if (this.#closing) {
      throw new TandemError('internal', 'The collaboration service is shutting down.')
    }
    const entry = this.#hold(toRef(target))
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
  async withRoom<T>(target: RoomTarget, work: (room: Room) => T | Promise<T>): Promise<T> {
    const hold = await this.acquire(target)
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
  connect(target: RoomTarget, socket: CollabSocket, identity: CollabIdentity): CollabConnection {
    const ref = toRef(target)
    const entry = this.#closing ? null : this.#hold(ref)
    const connection = new CollabConnection({
      id: this.#nextConnectionId++,
      ref,
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
          this.#logger.error({ err: error, ...ref }, 'collab: attaching a connection failed')
          connection.close(CollabCloseCode.internal, 'internal error')
        }
      },
      () => connection.close(CollabCloseCode.internal, 'could not load the document'),
    )
    return connection
  }

  /**
   * One callback for every connection (a closure per connection cost ~100 bytes each): the entry
   * is found by document, and only released when the connection really was one of its own.
   */
  readonly #onConnectionClosed = (closed: CollabConnection): void => {
    this.#connections--
    const entry = this.#rooms.get(docKey(closed.ref))
    if (entry?.connections.delete(closed) === true) this.#release(entry)
  }

  /**
   * Closes every connection to every document of an interview with `roomClosed` (interview ended
   * or deleted); returns how many.
   */
  closeRoom(interviewId: string, reason = 'interview ended'): number {
    let closed = 0
    for (const entry of this.#entriesOf(interviewId)) {
      const connections = [...entry.connections]
      for (const connection of connections) connection.close(CollabCloseCode.roomClosed, reason)
      closed += connections.length
    }
    return closed
  }

  /**
   * The interview ended: its documents become read-only for everyone (waiting for a load in
   * progress), and candidates' connections are closed with `roomClosed`. Interviewers stay
   * connected to review the code; a room loaded later is made read-only by `onLoad`.
   */
  async endRoom(interviewId: string): Promise<void> {
    const entries = this.#entriesOf(interviewId)
    for (const entry of entries) {
      for (const connection of [...entry.connections]) {
        if (connection.identity.role === 'candidate') {
          connection.close(CollabCloseCode.roomClosed, 'interview ended')
        }
      }
    }
    const rooms = await Promise.all(entries.map((entry) => entry.ready.catch(() => null)))
    for (const room of rooms) room?.makeReadOnly()
  }

  /** Writes the interview's buffered updates to the store now (see DocWriter.flushInterview). */
  flush(interviewId: string): Promise<void> {
    return this.#writer.flushInterview(interviewId)
  }

  #entriesOf(interviewId: string): RoomEntry[] {
    return [...this.#rooms.values()].filter((entry) => entry.ref.interviewId === interviewId)
  }

  /**
   * Access changed (the editor was locked or unlocked, a participant removed): every connection
   * to each of the interview's documents gets what `accessOf` says now. `none` closes it with
   * `unauthorized` (4401).
   */
  reviewAccess(
    interviewId: string,
    accessOf: (identity: CollabIdentity, doc: DocName) => CollabAccess,
  ): void {
    for (const entry of this.#entriesOf(interviewId)) {
      for (const connection of [...entry.connections]) {
        const access = accessOf(connection.identity, entry.ref.doc)
        if (access === 'none') connection.close(CollabCloseCode.unauthorized, 'access revoked')
        else connection.readOnly = access === 'read'
      }
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
  #hold(ref: DocRef): RoomEntry {
    const key = docKey(ref)
    let entry = this.#rooms.get(key)
    if (entry === undefined) {
      const connections = new Set<CollabConnection>()
      const created: RoomEntry = {
        key,
        ref: { interviewId: ref.interviewId, doc: ref.doc },
        ready: Promise.resolve().then(() => this.#load(created)),
        room: null,
        holds: 0,
        idleTimer: null,
        connections,
      }
      // Every waiter handles the rejection; this keeps a failed load from being "unhandled".
      created.ready.catch(() => undefined)
      entry = created
      this.#rooms.set(key, entry)
    }
    entry.holds++
    if (entry.idleTimer !== null) {
      clearTimeout(entry.idleTimer)
      entry.idleTimer = null
    }
    return entry
  }

  async #load(entry: RoomEntry): Promise<Room> {
    const { ref, key } = entry
    let room: Room | null = null
    try {
      const updates = await this.#writer.load(ref)
      let refusedClients = this.#refusedClients.get(key)
      if (refusedClients === undefined) {
        refusedClients = new Map()
        this.#refusedClients.set(key, refusedClients)
      }
      room = new Room({
        ref,
        refusedClients,
        limits: this.limits,
        logger: this.#logger,
        onUpdate: (update, origin) =>
          this.#call('onUpdate', { ref, update, origin, at: this.#now() }),
        onLargeInsert: (insert) => this.#call('onLargeInsert', { ref, insert, at: this.#now() }),
        onJoin: (connection) => this.#call('onJoin', { ref, connection, at: this.#now() }),
        onLeave: (connection) => this.#call('onLeave', { ref, connection, at: this.#now() }),
      })
      room.load(updates)
      for (const hooks of this.#hooks) await hooks.afterLoad?.({ ref, room })
      entry.room = room
      return room
    } catch (error) {
      this.#logger.error({ err: error, ...ref }, 'collab: loading a document failed')
      if (this.#rooms.get(key) === entry) this.#rooms.delete(key)
      // Seeding may have written before the failure: keep what was written.
      const state = room?.encodeState() ?? null
      room?.destroy()
      this.#writer
        .detach(ref, state === null ? null : { state, at: this.#now() })
        .catch(() => undefined)
      throw error
    }
  }

  /** Calls one synchronous hook on every hook set; a throw is logged, never passed on. */
  #call<Name extends 'onUpdate' | 'onLargeInsert' | 'onJoin' | 'onLeave' | 'beforeUnload'>(
    name: Name,
    payload: Parameters<NonNullable<RoomHooks[Name]>>[0],
  ): void {
    for (const hooks of this.#hooks) {
      try {
        ;(hooks[name] as ((payload: unknown) => void) | undefined)?.(payload)
      } catch (error) {
        this.#logger.error({ err: error, ...payload.ref, hook: name }, 'collab: a room hook failed')
      }
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
    if (this.#rooms.get(entry.key) !== entry) return
    this.#rooms.delete(entry.key)
    entry.room = null
    const final = { state: room.encodeState(), at: this.#now() }
    room.destroy()
    this.#call('beforeUnload', { ref: entry.ref, final })
  }
}

/**
 * Persistence as hooks: every update goes to the write-behind log with its author and the time
 * it was received; a loaded room is snapshotted from; an unloading one is flushed and checkpointed.
 * (Loading itself is the manager's: it must finish before any hook runs.)
 */
function persistenceHooks(writer: DocWriter, logger: Logger): RoomHooks {
  return {
    afterLoad: ({ ref, room }) => writer.attach(ref, room),
    onUpdate: ({ ref, update, origin, at }) =>
      writer.push(ref, { at, update, author: authorOf(origin) }),
    beforeUnload: ({ ref, final }) => {
      writer.detach(ref, final).catch((error: unknown) => {
        logger.error({ err: error, ...ref }, 'collab: unloading failed')
      })
    },
  }
}

/** Joins and leaves of every document, as timeline events (what replay shows beside the edits). */
function timelineHooks(store: Store, logger: Logger): RoomHooks {
  const record = (
    kind: 'join' | 'leave',
    { ref, connection, at }: { ref: DocRef; connection: CollabConnection; at: number },
  ): void => {
    const { participantId, role } = connection.identity
    store.events
      .append(ref.interviewId, at, { kind, doc: ref.doc, participantId, role })
      .catch((error: unknown) => {
        // The document is unharmed; only replay loses this mark.
        logger.warn({ err: error, ...ref }, `collab: recording a ${kind} failed`)
      })
  }
  return {
    onJoin: (payload) => record('join', payload),
    onLeave: (payload) => record('leave', payload),
  }
}
