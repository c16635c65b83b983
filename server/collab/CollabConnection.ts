/**
 * One peer in a room, whatever its transport. It enforces the frame size cap, queues frames that
 * arrive while the room is still loading, and releases its hold on the room exactly once when it
 * closes — whether the server closed it or the transport went away.
 */
import type { AwarenessState, DocRef } from '../../protocol/collab.ts'
import { CollabCloseCode } from '../../protocol/collab.ts'
import { socketOpen, type CollabIdentity, type CollabSocket } from './CollabSocket.ts'
import type { CollabLimits } from './collabLimits.ts'
import type { PeerOrigin } from './origins.ts'
import { participantColor } from '../../protocol/participantColor.ts'

/** What a connection is attached to once its room has loaded (the Room). */
export interface ConnectionHost {
  receive(connection: CollabConnection, frame: Uint8Array): void
  detach(connection: CollabConnection): void
}

export interface CollabConnectionOptions {
  id: number
  /** The document this connection opened. */
  ref: DocRef
  socket: CollabSocket
  identity: CollabIdentity
  limits: CollabLimits
  /** Called once, when the connection closes for any reason (one function for all connections). */
  onClosed: (connection: CollabConnection) => void
}

export class CollabConnection {
  readonly id: number
  readonly ref: DocRef
  readonly identity: CollabIdentity
  /** The `user` field the server writes into every awareness state this connection publishes. */
  readonly user: AwarenessState['user']
  /** The transaction origin of every write this connection makes. */
  readonly origin: PeerOrigin
  /**
   * The document is read-only for this peer (a locked editor for a candidate): the room drops its
   * updates. Set from the upgrade's access decision and again whenever access changes.
   */
  readOnly = false

  readonly #socket: CollabSocket
  readonly #limits: CollabLimits
  #onClosed: ((connection: CollabConnection) => void) | null
  #host: ConnectionHost | null = null
  /** Frames received before the room loaded (created on the first); unused once attached. */
  #queue: Uint8Array[] | null = null
  #closed = false
  /**
   * Awareness client ids this connection owns (removed for the others when it closes): at most
   * `maxAwarenessClientsPerConnection`, so a small array, created with the first (a Set cost each
   * connection ~230 bytes of heap).
   */
  #awarenessClients: number[] | null = null
  #syncTokens: number
  #syncRefilledAt = 0

  constructor(options: CollabConnectionOptions) {
    this.id = options.id
    this.ref = options.ref
    this.identity = options.identity
    this.#socket = options.socket
    this.#limits = options.limits
    this.#onClosed = options.onClosed
    this.#syncTokens = options.limits.syncRequestBurst
    const { participantId, name, role } = options.identity
    this.user = { name, color: participantColor(participantId), role, participantId }
    this.origin = Object.freeze({ source: 'peer', connId: options.id, participantId, role })
  }

  get interviewId(): string {
    return this.ref.interviewId
  }

  get closed(): boolean {
    return this.#closed
  }

  /**
   * From the transport: one binary frame arrived. The connection keeps the bytes (updates are
   * forwarded and buffered for the store as views into them): the transport must not reuse them.
   */
  receive(data: Uint8Array): void {
    if (this.#closed) return
    if (data.length > this.#limits.maxFrameBytes) {
      this.close(CollabCloseCode.tooLarge, 'frame too large')
      return
    }
    // Transports hand out views into larger (pooled) buffers. Decoders that trust a length field
    // (Yjs's among them) would then read neighbouring bytes instead of failing, so own the bytes.
    const frame =
      data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()
    if (this.#host !== null) {
      this.#host.receive(this, frame)
    } else {
      // No host and not closed: the room has not attached this connection yet.
      const queue = (this.#queue ??= [])
      if (queue.length >= this.#limits.maxQueuedFrames) {
        this.close(CollabCloseCode.tooLarge, 'too many frames while the document loads')
        return
      }
      queue.push(frame)
    }
  }

  /** From the transport: the socket is gone. */
  transportClosed(): void {
    if (this.#closed) return
    this.#closed = true
    this.#finish()
  }

  /** Closes the socket with a code from `CollabCloseCode` (or 1001 on shutdown). Idempotent. */
  close(code: number, reason: string): void {
    if (this.#closed) return
    this.#closed = true
    try {
      this.#socket.close(code, reason)
    } catch {
      // The transport is already gone; nothing left to tell the peer.
    }
    this.#finish()
  }

  /** Sends one frame; a peer too far behind is dropped (it reconnects and resyncs). */
  send(frame: Uint8Array): void {
    if (this.#closed) return
    const socket = this.#socket
    if (socket.readyState !== undefined && socket.readyState !== socketOpen) return
    if (
      socket.bufferedAmount !== undefined &&
      socket.bufferedAmount > this.#limits.maxBufferedBytes
    ) {
      this.close(CollabCloseCode.internal, 'connection too far behind')
      return
    }
    try {
      socket.send(frame)
    } catch {
      this.close(CollabCloseCode.internal, 'send failed')
    }
  }

  /** Called by the room once it has greeted this connection: replays what arrived meanwhile. */
  attach(host: ConnectionHost): void {
    if (this.#closed) return
    this.#host = host
    const queued = this.#queue
    this.#queue = null
    if (queued === null) return
    for (const frame of queued) {
      // A queued frame may close the connection (`closed` rather than `#closed`, which TS narrows).
      if (this.closed) return
      host.receive(this, frame)
    }
  }

  /** A token bucket for sync requests: each one makes the server encode the whole document. */
  allowSyncRequest(now: number): boolean {
    const burst = this.#limits.syncRequestBurst
    const refill = Math.floor((now - this.#syncRefilledAt) / 1000)
    if (refill > 0) {
      this.#syncTokens = Math.min(burst, this.#syncTokens + refill)
      this.#syncRefilledAt = now
    }
    if (this.#syncTokens <= 0) return false
    this.#syncTokens--
    return true
  }

  /** How many awareness client ids this connection owns. */
  get awarenessClientCount(): number {
    return this.#awarenessClients?.length ?? 0
  }

  ownAwarenessClient(clientId: number): void {
    const clients = (this.#awarenessClients ??= [])
    if (!clients.includes(clientId)) clients.push(clientId)
  }

  releaseAwarenessClient(clientId: number): void {
    const clients = this.#awarenessClients
    const at = clients?.indexOf(clientId) ?? -1
    if (clients !== null && at !== -1) clients.splice(at, 1)
  }

  /** The awareness client ids this connection owned; it owns none afterwards. */
  takeAwarenessClients(): readonly number[] {
    const clients = this.#awarenessClients ?? []
    this.#awarenessClients = null
    return clients
  }

  #finish(): void {
    this.#queue = null
    const host = this.#host
    this.#host = null
    host?.detach(this)
    const onClosed = this.#onClosed
    this.#onClosed = null
    onClosed?.(this)
  }
}
