/**
 * One shared document of an interview (DocRef) and the connections editing it. The room does not know its
 * transport: it speaks y-protocols (sync + awareness) to `CollabConnection`s over `CollabSocket`s.
 *
 * - Every frame is handled in its own try/catch: a bad frame closes that connection only.
 * - An update is broadcast to every other connection, never echoed to its sender. A peer's update
 *   that applies cleanly is forwarded as the very frame it came in (no re-encoding); anything else
 *   (server writes, updates that complete or park pending structs) is encoded once from the doc.
 * - Every write carries a typed origin (origins.ts), and `onUpdate` hands each change to
 *   persistence. The Y.Doc is private so no write can bypass broadcast and persistence.
 * - Peer text is kept LF: carriage returns a peer inserts are removed in a server transaction.
 * - Updates waiting for missing dependencies ("pending structs", which a crafted update can grow
 *   without end) are bounded in size and age and never leave the server.
 */
import * as Y from 'yjs'
import { CollabCloseCode, docFilesKey, type DocRef } from '../../protocol/collab.ts'
import type { Logger } from '../logger.ts'
import type { CollabConnection, ConnectionHost } from './CollabConnection.ts'
import type { CollabLimits } from './collabLimits.ts'
import {
  FrameError,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  parseCollabFrame,
} from './collabFrames.ts'
import { serverOrigin, type DocOrigin, type PeerOrigin, type ServerWriteReason } from './origins.ts'
import { RoomAwareness } from './RoomAwareness.ts'

export interface RoomOptions {
  ref: DocRef
  limits: CollabLimits
  logger: Logger
  /** Every change to the document, except what is replayed from the store on load. */
  onUpdate: (update: Uint8Array, origin: DocOrigin) => void
  /**
   * A peer's update inserted at least `limits.largeInsertChars` characters into one file: the
   * "very large single insertion" integrity signal (protocol/signals.ts), seen by the server.
   */
  onLargeInsert?: (insert: LargeInsert) => void
  /** A connection was greeted and takes part from now on. */
  onJoin?: (connection: CollabConnection) => void
  /** A connection that joined left (closed, or the room unloaded). */
  onLeave?: (connection: CollabConnection) => void
  /**
   * Yjs client ids whose read-only edits were refused, with the clock those edits reached; kept
   * by the room manager so it outlives this room's unloading (see Room's #refusedClients).
   */
  refusedClients?: Map<number, number>
}

/** One peer update's insertion into one file, as `onLargeInsert` reports it. */
export interface LargeInsert {
  origin: PeerOrigin
  /** The file's key in the `files` map. */
  path: string
  /** Characters (UTF-16 units) the update inserted into the file and did not delete again. */
  chars: number
  /** Lines the inserted text spans. */
  lines: number
  /** 1-based line of the file where the first inserted character now is. */
  line: number
  /** `sync`: it came as a sync step 2 (a client's catch-up on connecting); `edit`: an update. */
  via: 'edit' | 'sync'
}

/** Pending structs and who contributed to them since they appeared. */
interface PendingState {
  since: number
  contributors: Set<CollabConnection>
}

export class Room implements ConnectionHost {
  readonly ref: DocRef
  readonly #doc: Y.Doc
  readonly #files: Y.Map<unknown>
  readonly #limits: CollabLimits
  readonly #logger: Logger
  readonly #onUpdate: (update: Uint8Array, origin: DocOrigin) => void
  readonly #onJoin: RoomOptions['onJoin']
  readonly #onLargeInsert: RoomOptions['onLargeInsert']
  readonly #onLeave: RoomOptions['onLeave']
  readonly #connections = new Set<CollabConnection>()
  readonly #awareness: RoomAwareness
  /** Encoded document size, counted up from the load; recounted exactly near the cap. */
  #approxBytes = 0
  /** Texts a peer transaction inserted carriage returns into. */
  #textsWithCr: Set<Y.Text> | null = null
  #pending: PendingState | null = null
  #destroyed = false
  /** Set once the interview has ended: peers' document updates are dropped from then on. */
  #readOnly = false
  /**
   * Yjs client ids whose edits were dropped (made while read-only for them), with the clock their
   * dropped edits reached. Their client still holds those edits and resends them on its next sync
   * (after an unlock, say), and every later edit of theirs builds on them: nothing more from such
   * a client id is applied. A page that reloads gets a new client id and edits as usual.
   */
  readonly #refusedClients: Map<number, number>

  constructor(options: RoomOptions) {
    this.#refusedClients = options.refusedClients ?? new Map<number, number>()
    this.ref = options.ref
    this.#limits = options.limits
    this.#logger = options.logger
    this.#onUpdate = options.onUpdate
    this.#onJoin = options.onJoin
    this.#onLargeInsert = options.onLargeInsert
    this.#onLeave = options.onLeave
    this.#awareness = new RoomAwareness(options.limits.maxAwarenessClientsPerConnection)
    this.#doc = new Y.Doc({ guid: `${options.ref.interviewId}/${options.ref.doc}` })
    // Defined before any peer update, so a peer cannot make `files` a different root type.
    this.#files = this.#doc.getMap(docFilesKey)
  }

  get interviewId(): string {
    return this.ref.interviewId
  }

  get connectionCount(): number {
    return this.#connections.size
  }

  /** True while Yjs holds updates back for missing dependencies (they never leave the server). */
  get hasPendingUpdates(): boolean {
    return this.#doc.store.pendingStructs !== null || this.#doc.store.pendingDs !== null
  }

  /** True once the interview has ended (`makeReadOnly`). */
  get readOnly(): boolean {
    return this.#readOnly
  }

  /**
   * The interview ended: from now on no peer's update is applied, stored or forwarded, whoever
   * sends it. The connection stays open (the interviewer reviews the code, cursors still move);
   * closing it instead would make the provider reconnect and resend its edit, again and again.
   */
  makeReadOnly(): void {
    this.#readOnly = true
  }

  /** Applies the stored document (snapshot and updates, oldest first) before anyone connects. */
  load(updates: Uint8Array[]): void {
    if (updates.length === 0) return
    const origin = serverOrigin('load')
    try {
      const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates)
      Y.applyUpdate(this.#doc, merged, origin)
      this.#approxBytes = merged.length
    } catch (error) {
      // One bad row should not lose the rest: apply what applies (updates are idempotent).
      this.#logger.error(
        { err: error, ...this.ref },
        'collab: stored document did not merge; applying updates one by one',
      )
      for (const update of updates) {
        try {
          Y.applyUpdate(this.#doc, update, origin)
        } catch (err) {
          this.#logger.error(
            { err, ...this.ref },
            'collab: skipped a stored update that does not apply',
          )
        }
      }
      this.#approxBytes = this.encodeState().length
    }
    // The store only holds integrated updates; anything pending here has no sender to complete it.
    this.#dropPending()
  }

  /**
   * Creates a file with starter content, once: when the path already exists (seeded before, or
   * restored from the store) nothing changes. Line endings are normalised to LF. True when created.
   */
  seedFile(path: string, content: string): boolean {
    if (this.#files.has(path)) return false
    const text = new Y.Text(content.replace(/\r\n?/g, '\n'))
    this.#serverWrite('seed', () => this.#files.set(path, text))
    return true
  }

  /** Every file under `folder` (`''`: all), sorted by path. */
  readFolder(folder: string): { path: string; content: string }[] {
    const prefix = folder === '' ? '' : `${folder}/`
    const files: { path: string; content: string }[] = []
    this.#files.forEach((text, path) => {
      if (text instanceof Y.Text && path.startsWith(prefix)) {
        files.push({ path, content: text.toJSON() })
      }
    })
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  /** The current text of a file, or null when there is no such file. */
  readFile(path: string): string | null {
    const text = this.#files.get(path)
    return text instanceof Y.Text ? text.toJSON() : null
  }

  /**
   * Resolves true once the document holds `clientId`'s edits up to `clock` (Yjs clocks count a
   * client's inserted items), or false after `timeoutMs` or when the room is destroyed.
   */
  waitForClock(clientId: number, clock: number, timeoutMs: number): Promise<boolean> {
    const reached = (): boolean => Y.getState(this.#doc.store, clientId) >= clock
    if (reached()) return Promise.resolve(true)
    if (this.#destroyed) return Promise.resolve(false)
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer)
        this.#doc.off('afterTransaction', onTransaction)
        this.#doc.off('destroy', onDestroy)
        resolve(ok)
      }
      const onTransaction = (): void => {
        if (reached()) finish(true)
      }
      const onDestroy = (): void => finish(false)
      const timer = setTimeout(() => finish(false), timeoutMs)
      this.#doc.on('afterTransaction', onTransaction)
      this.#doc.on('destroy', onDestroy)
    })
  }

  /** Paths of every file in the document. */
  filePaths(): string[] {
    return [...this.#files.keys()].filter((path) => this.#files.get(path) instanceof Y.Text)
  }

  /** The document as one update, without anything pending: for snapshots and joiners. */
  encodeState(stateVector?: Uint8Array): Uint8Array {
    const store = this.#doc.store
    const { pendingStructs, pendingDs } = store
    if (pendingStructs === null && pendingDs === null) {
      return Y.encodeStateAsUpdate(this.#doc, stateVector)
    }
    // Yjs appends pending structs to encoded state; they must not reach peers or the store.
    store.pendingStructs = null
    store.pendingDs = null
    try {
      return Y.encodeStateAsUpdate(this.#doc, stateVector)
    } finally {
      store.pendingStructs = pendingStructs
      store.pendingDs = pendingDs
    }
  }

  /** Decoded awareness states by client id. */
  awarenessStates(): Map<number, unknown> {
    return this.#awareness.states()
  }

  /** Greets a connection (sync step 1, current awareness) and starts taking its frames. */
  attach(connection: CollabConnection): void {
    if (this.#destroyed || connection.closed) return
    this.#connections.add(connection)
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.#doc)))
    const awareness = this.#awareness.encodeAll()
    if (awareness !== null) connection.send(awareness)
    this.#onJoin?.(connection)
    connection.attach(this)
  }

  detach(connection: CollabConnection): void {
    if (!this.#connections.delete(connection)) return
    this.#pending?.contributors.delete(connection)
    const removal = this.#awareness.removeConnection(connection)
    if (removal !== null) this.#broadcast(removal, connection)
    this.#onLeave?.(connection)
  }

  /** Closes every connection, e.g. with `roomClosed` when the interview ends. */
  closeConnections(code: number, reason: string): void {
    for (const connection of [...this.#connections]) connection.close(code, reason)
  }

  /** Frees the document. The room is unusable afterwards. */
  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.closeConnections(1001, 'room unloaded')
    this.#doc.destroy()
    this.#awareness.clear()
    this.#pending = null
  }

  receive(connection: CollabConnection, data: Uint8Array): void {
    try {
      const frame = parseCollabFrame(data, this.#limits)
      switch (frame.kind) {
        case 'syncStep1':
          if (!connection.allowSyncRequest(Date.now())) {
            throw new FrameError(CollabCloseCode.badMessage, 'too many sync requests')
          }
          connection.send(encodeSyncStep2(this.encodeState(frame.stateVector)))
          break
        case 'syncStep2':
          if (this.#refusesEdits(connection, frame.update)) break
          this.#applyPeerUpdate(connection, frame.update, null)
          break
        case 'update':
          if (this.#refusesEdits(connection, frame.update)) break
          // An update frame is exactly what the others need: it can go out as it came in.
          this.#applyPeerUpdate(connection, frame.update, data)
          break
        case 'awareness': {
          const forward = this.#awareness.apply(connection, frame.entries)
          if (forward !== null) this.#broadcast(forward, connection)
          break
        }
        case 'queryAwareness': {
          const all = this.#awareness.encodeAll()
          if (all !== null) connection.send(all)
          break
        }
      }
    } catch (error) {
      const code = error instanceof FrameError ? error.closeCode : CollabCloseCode.badMessage
      this.#logger.warn(
        { err: error, ...this.ref, connId: connection.id, code },
        'collab: closing a connection that sent a bad frame',
      )
      connection.close(code, error instanceof FrameError ? error.message : 'bad update')
    }
  }

  /**
   * Whether a peer's update is dropped because the room (ended) or the document for this peer
   * (locked) is read-only, or because it comes from a client id whose read-only edits were
   * refused (see #refusedClients). Dropped, not answered with a close: the web client is
   * read-only by then, and anything else sending edits is stale.
   */
  #refusesEdits(connection: CollabConnection, update: Uint8Array): boolean {
    if (!this.#readOnly && !connection.readOnly) {
      // The common case, every keystroke: no client was ever refused, nothing to parse.
      if (this.#refusedClients.size === 0) return false
      const { from } = Y.parseUpdateMeta(update)
      if (![...from.keys()].some((client) => this.#refusedClients.has(client))) return false
      this.#logger.debug(
        { ...this.ref, connId: connection.id },
        'collab: dropped an update from a client whose read-only edits were refused',
      )
      return true
    }
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      this.#refusedClients.set(client, Math.max(clock, this.#refusedClients.get(client) ?? 0))
    }
    this.#logger.debug(
      { ...this.ref, connId: connection.id },
      'collab: dropped an update to a read-only document',
    )
    return true
  }

  /** `frame`: the update frame as received, to forward unchanged; null to encode one. */
  #applyPeerUpdate(
    connection: CollabConnection,
    update: Uint8Array,
    frame: Uint8Array | null,
  ): void {
    const limit = this.#limits.maxDocBytes
    if (this.#approxBytes + update.length > limit) {
      // The running count only grows; recount before refusing (deletions shrink a document).
      this.#approxBytes = this.encodeState().length
      if (this.#approxBytes + update.length > limit) {
        throw new FrameError(CollabCloseCode.tooLarge, 'document too large')
      }
    }
    const hadPending = this.hasPendingUpdates
    const origin = connection.origin
    // The outer transaction hands us Yjs's transaction; the update joins it (remote, like Yjs's own).
    const { transaction, failure } = Y.transact(
      this.#doc,
      (tr) => {
        try {
          Y.applyUpdate(this.#doc, update, origin)
          return { transaction: tr, failure: null }
        } catch (error) {
          return {
            transaction: tr,
            failure: error instanceof Error ? error : new Error(String(error)),
          }
        }
      },
      origin,
      false,
    )
    const hasPending = this.hasPendingUpdates
    if (changedDocument(transaction)) {
      if (!hadPending && !hasPending && failure === null) {
        // Everything in the update applied, and nothing else did: pass it on as it is.
        this.#publish(update, frame ?? encodeUpdate(update), origin, connection)
      } else {
        // It completed or parked pending structs, or failed halfway: send what really changed,
        // to everyone (the sender lacks the structs it completed).
        const changed = this.encodeState(Y.encodeStateVector(transaction.beforeState))
        this.#publish(changed, encodeUpdate(changed), origin, null)
      }
      this.#findCarriageReturns(transaction)
      if (this.#onLargeInsert !== undefined) {
        const insert = this.#largestInsert(transaction)
        if (insert !== null && insert.chars >= this.#limits.largeInsertChars) {
          this.#onLargeInsert({ ...insert, origin, via: frame === null ? 'sync' : 'edit' })
        }
      }
    }
    const pendingFailure = hadPending || hasPending ? this.#checkPending(connection) : null
    if (this.#textsWithCr !== null) this.#removeCarriageReturns()
    if (failure !== null) throw failure
    if (pendingFailure !== null) throw pendingFailure
  }

  /** A write by the server itself: its updates are captured, persisted and sent to everyone. */
  #serverWrite(reason: ServerWriteReason, write: () => void): void {
    const updates: Uint8Array[] = []
    const collect = (update: Uint8Array): void => {
      updates.push(update)
    }
    // Listening only around server writes spares Yjs encoding every peer transaction.
    this.#doc.on('update', collect)
    try {
      this.#doc.transact(write, serverOrigin(reason))
    } finally {
      this.#doc.off('update', collect)
    }
    for (const update of updates)
      this.#publish(update, encodeUpdate(update), serverOrigin(reason), null)
  }

  /** Persists a change and sends its frame to every connection but `except`. */
  #publish(
    update: Uint8Array,
    frame: Uint8Array,
    origin: DocOrigin,
    except: CollabConnection | null,
  ): void {
    this.#approxBytes += update.length
    this.#onUpdate(update, origin)
    for (const connection of this.#connections) {
      if (connection !== except) connection.send(frame)
    }
  }

  /**
   * Finds peer-inserted strings containing '\r' among the structs this transaction added (they may
   * have been merged into the item on their left by now: only their new part is searched).
   */
  #findCarriageReturns(transaction: Y.Transaction): void {
    const clients = this.#doc.store.clients
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after === before) continue
      const structs = clients.get(client)
      if (structs === undefined) continue
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]
        if (
          struct instanceof Y.Item &&
          !struct.deleted &&
          struct.content instanceof Y.ContentString &&
          struct.parent instanceof Y.Text &&
          !(struct.parent instanceof Y.XmlText) &&
          // Clocks count UTF-16 units, like string indices.
          struct.content.str.indexOf('\r', before - struct.id.clock) !== -1
        ) {
          ;(this.#textsWithCr ??= new Set()).add(struct.parent)
        }
      }
    }
  }

  /**
   * The file this transaction inserted the most text into, with how much and where. Clocks count
   * inserted units, so a transaction whose clocks moved less than the threshold (every keystroke)
   * is skipped without looking at a struct.
   */
  #largestInsert(transaction: Y.Transaction): Omit<LargeInsert, 'origin' | 'via'> | null {
    let grown = 0
    for (const [client, after] of transaction.afterState) {
      grown += after - (transaction.beforeState.get(client) ?? 0)
    }
    if (grown < this.#limits.largeInsertChars) return null
    const byText = new Map<Y.Text, { chars: number; breaks: number; first: Y.ID }>()
    const clients = this.#doc.store.clients
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      const structs = after === before ? undefined : clients.get(client)
      if (structs === undefined) continue
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]
        if (
          !(struct instanceof Y.Item) ||
          struct.deleted ||
          !(struct.content instanceof Y.ContentString) ||
          !(struct.parent instanceof Y.Text) ||
          struct.parent._item?.parent !== this.#files
        ) {
          continue
        }
        // Only the part this transaction added (the item may have merged into an older one).
        const skip = Math.max(0, before - struct.id.clock)
        const added = struct.content.str.slice(skip)
        const seen = byText.get(struct.parent)
        const breaks = added.split('\n').length - 1
        if (seen === undefined) {
          byText.set(struct.parent, {
            chars: added.length,
            breaks,
            first: Y.createID(client, struct.id.clock + skip),
          })
        } else {
          seen.chars += added.length
          seen.breaks += breaks
        }
      }
    }
    let largest: [Y.Text, { chars: number; breaks: number; first: Y.ID }] | null = null
    for (const entry of byText)
      if (largest === null || entry[1].chars > largest[1].chars) largest = entry
    if (largest === null) return null
    const [text, { chars, breaks, first }] = largest
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON({ item: first }),
      this.#doc,
    )
    const before = text.toJSON().slice(0, position?.index ?? 0)
    return {
      path: text._item?.parentSub ?? '',
      chars,
      lines: breaks + 1,
      line: before.split('\n').length,
    }
  }

  #removeCarriageReturns(): void {
    const texts = this.#textsWithCr
    this.#textsWithCr = null
    if (texts === null || this.#destroyed) return
    this.#serverWrite('normalizeLineEndings', () => {
      for (const text of texts) {
        if (text.doc === null || text._item?.deleted === true) continue
        const content = text.toJSON()
        // Delete runs of '\r' from the end, so earlier indices stay valid.
        let end = content.length
        for (;;) {
          const last = content.lastIndexOf('\r', end - 1)
          if (last < 0) break
          let first = last
          while (first > 0 && content[first - 1] === '\r') first--
          text.delete(first, last - first + 1)
          end = first
        }
      }
    })
  }

  /**
   * Legitimate pending structs are short-lived (an edit that overtook its sync step 2, or another
   * tab's edit that has not arrived yet). Past the size cap the sender is closed; past the age cap
   * they are dropped and the contributors asked to resync, which resends anything real.
   */
  #checkPending(connection: CollabConnection): FrameError | null {
    const store = this.#doc.store
    const bytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0)
    if (bytes === 0) {
      this.#pending = null
      return null
    }
    const now = Date.now()
    const pending = (this.#pending ??= { since: now, contributors: new Set() })
    pending.contributors.add(connection)
    if (bytes > this.#limits.maxPendingBytes) {
      this.#resyncContributors(connection)
      return new FrameError(
        CollabCloseCode.badMessage,
        'update depends on content that never arrived',
      )
    }
    if (now - pending.since > this.#limits.maxPendingMs) this.#resyncContributors(null)
    return null
  }

  /** Drops pending structs and sends sync step 1 to every contributor but `except`. */
  #resyncContributors(except: CollabConnection | null): void {
    const contributors = this.#pending?.contributors
    this.#dropPending()
    if (contributors === undefined) return
    const request = encodeSyncStep1(Y.encodeStateVector(this.#doc))
    for (const contributor of contributors) {
      if (contributor !== except) contributor.send(request)
    }
  }

  #dropPending(): void {
    this.#doc.store.pendingStructs = null
    this.#doc.store.pendingDs = null
    this.#pending = null
  }

  #broadcast(frame: Uint8Array, except: CollabConnection): void {
    for (const connection of this.#connections) {
      if (connection !== except) connection.send(frame)
    }
  }
}

/** Whether a transaction added structs or deleted anything. */
function changedDocument(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true
  }
  return false
}
