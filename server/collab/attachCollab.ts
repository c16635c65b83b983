/**
 * The WebSocket transport for collaboration, and the only file that imports `ws`. It claims HTTP
 * upgrades under `/collab/<interviewId>/<doc>` (and `/collab/<interviewId>`, the code document), checks the protocol version and authenticates them
 * *before* upgrading (a refused request is answered 426/401/403/404 with the REST error envelope
 * and never becomes a WebSocket) and leaves every other upgrade path (socket.io's `/socket.io/`)
 * to its own handler. Dead peers are found by ping/pong and dropped.
 */
import type { IncomingMessage, Server } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { z } from 'zod'
import {
  CollabCloseCode,
  CollabQuery,
  DocName,
  collabPathPrefix,
  type DocRef,
} from '../../protocol/collab.ts'
import {
  httpStatusOf,
  type ApiErrorBody,
  type ErrorCode,
  type ErrorPayload,
} from '../../protocol/errors.ts'
import { upgradeRequiredMessage } from '../../protocol/version.ts'
import type { Logger } from '../logger.ts'
import type { CollabConnection } from './CollabConnection.ts'
import type { CollabIdentity, CollabSocket } from './CollabSocket.ts'
import type { RoomManager } from './RoomManager.ts'

/**
 * The upgrade's access decision: the identity and whether the document is read-only for it, or
 * the refusal, answered with `httpStatusOf` its code and the REST error envelope.
 */
export type CollabAuthResult =
  { identity: CollabIdentity; readOnly: boolean } | { refused: ErrorPayload }

export interface AttachCollabOptions {
  manager: RoomManager
  /**
   * Decides who may open the document and how (server/access/ decides: a candidate never opens
   * `notes`); a throw answers 500.
   */
  authenticate: (request: IncomingMessage, ref: DocRef) => Promise<CollabAuthResult>
  logger: Logger
  /**
   * Largest message ws buffers, bytes; larger ones are refused by ws (close 1009) before they are
   * read whole. Default twice `manager.limits.maxFrameBytes`, so frames just over the frame cap
   * still get the room's precise `tooLarge` close.
   */
  maxPayloadBytes?: number
  /** Ping interval, ms; a peer that has not answered the previous ping is dropped. Default 30 s. */
  heartbeatMs?: number
}

export interface CollabServer {
  /** Open WebSocket connections. */
  readonly connectionCount: number
  /** Stops taking upgrades and closes every connection (1001: the provider reconnects later). */
  close(): Promise<void>
}

/** Interview ids are our own base64url ids; anything else is not a document path. */
const InterviewIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * Which upgrades are ours: `undefined` for paths outside `collabPathPrefix` (left alone), null for
 * a malformed path under it (404), else the document. The raw path is matched, never decoded or
 * normalised: `notes/../code`, `Notes` or `%6Eotes` are no document, rather than one a check
 * might have read differently from the room it opens.
 */
export function matchCollabPath(url: string | undefined): DocRef | null | undefined {
  const path = (url ?? '').split('?', 1)[0] ?? ''
  if (path !== collabPathPrefix && !path.startsWith(`${collabPathPrefix}/`)) return undefined
  const segments = path.slice(collabPathPrefix.length + 1).split('/')
  if (segments.length > 2) return null
  const interviewId = InterviewIdSchema.safeParse(segments[0])
  // No document segment: the code document, the only one before documents had names.
  const doc = DocName.safeParse(segments[1] ?? 'code')
  if (!interviewId.success || !doc.success) return null
  return { interviewId: interviewId.data, doc: doc.data }
}

export function attachCollab(server: Server, options: AttachCollabOptions): CollabServer {
  const { manager, authenticate, logger } = options
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: options.maxPayloadBytes ?? manager.limits.maxFrameBytes * 2,
  })
  /** Open sockets, their connection and whether each answered the last ping. */
  const sockets = new Map<WebSocket, SocketState>()
  const corker = new Corker()
  let closed = false

  // One timer pings a tenth of the sockets at a time, each socket once per heartbeat: pinging every
  // socket in one tick held the event loop (and every keystroke) for tens of ms at 1500 sockets.
  const heartbeatMs = options.heartbeatMs ?? 30_000
  let nextSlice = 0
  let slice = 0
  const heartbeat = setInterval(() => {
    slice = (slice + 1) % heartbeatSlices
    for (const [ws, state] of sockets) {
      if (state.slice !== slice) continue
      if (!state.alive) {
        ws.terminate()
        continue
      }
      state.alive = false
      try {
        ws.ping()
      } catch {
        ws.terminate()
      }
    }
  }, heartbeatMs / heartbeatSlices)
  heartbeat.unref()

  // One set of listeners for all sockets (ws calls them with `this` = the socket): a connection
  // costs a map entry here rather than four closures.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const connection = sockets.get(this)?.connection
    if (connection === undefined) return
    if (!isBinary) {
      connection.close(CollabCloseCode.badMessage, 'text frames are not part of the protocol')
      return
    }
    connection.receive(toBytes(data))
  }
  function onPong(this: WebSocket): void {
    const state = sockets.get(this)
    if (state !== undefined) state.alive = true
  }
  function onClose(this: WebSocket): void {
    const state = sockets.get(this)
    sockets.delete(this)
    state?.connection.transportClosed()
  }
  function onError(this: WebSocket, error: Error): void {
    // ws closes the socket itself (e.g. 1009 for an oversized message); note why.
    logger.debug({ err: error, connId: sockets.get(this)?.connection.id }, 'collab: socket error')
  }

  const onConnection = (
    ws: WebSocket,
    ref: DocRef,
    admitted: { identity: CollabIdentity; readOnly: boolean },
  ): void => {
    const connection = manager.connect(ref, new WsCollabSocket(ws, corker), admitted.identity)
    connection.readOnly = admitted.readOnly
    sockets.set(ws, { connection, alive: true, slice: nextSlice })
    nextSlice = (nextSlice + 1) % heartbeatSlices
    ws.on('message', onMessage)
    ws.on('pong', onPong)
    ws.on('close', onClose)
    ws.on('error', onError)
  }

  const handleUpgrade = async (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ref: DocRef | null,
  ): Promise<void> => {
    // Until ws takes the socket over, a reset during authentication must not crash the process.
    const onError = (error: Error): void => {
      logger.debug({ err: error }, 'collab: upgrade socket error')
    }
    socket.on('error', onError)
    if (ref === null) {
      refuse(socket, 404, 'No such document.')
      return
    }
    // A stale page is told to reload before anything else: whatever else it sends is suspect.
    if (!speaksOurProtocol(request)) {
      refuse(socket, 426, upgradeRequiredMessage)
      return
    }
    let result: CollabAuthResult
    try {
      result = await authenticate(request, ref)
    } catch (error) {
      logger.error({ err: error, ...ref }, 'collab: authenticating an upgrade failed')
      refuse(socket, 500, 'Something went wrong on the server. It has been logged.')
      return
    }
    if ('refused' in result) {
      refuse(socket, httpStatusOf[result.refused.code], result.refused)
      return
    }
    if (closed) {
      refuse(socket, 503, 'The server is shutting down.')
      return
    }
    if (socket.destroyed) return
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', onError)
      onConnection(ws, ref, result)
    })
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const ref = matchCollabPath(request.url)
    if (ref === undefined || closed) return
    void handleUpgrade(request, socket, head, ref)
  }
  server.on('upgrade', onUpgrade)

  return {
    get connectionCount() {
      return sockets.size
    },
    async close() {
      if (closed) return
      closed = true
      server.off('upgrade', onUpgrade)
      clearInterval(heartbeat)
      const closing = [...sockets.keys()].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve())
            ws.close(1001, 'server shutting down')
            // A peer that does not finish the closing handshake is cut off.
            setTimeout(() => ws.terminate(), 1000).unref()
          }),
      )
      await Promise.all(closing)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

interface SocketState {
  readonly connection: CollabConnection
  alive: boolean
  /** Which of the heartbeat's slices pings this socket. */
  readonly slice: number
}

/** The heartbeat visits its sockets in this many groups, one every `heartbeatMs / heartbeatSlices`. */
const heartbeatSlices = 10

/**
 * Frames sent to one peer in the same tick (typically an update and the cursor move that came
 * with it, or a broadcast burst) leave in one write: the TCP socket is corked on the first send
 * and uncorked once the current work is done. Halves the syscalls of a keystroke.
 */
class Corker {
  readonly #corked = new Set<Duplex>()
  readonly #uncorkAll = (): void => {
    for (const raw of this.#corked) raw.uncork()
    this.#corked.clear()
  }

  cork(raw: Duplex): void {
    if (this.#corked.has(raw)) return
    if (this.#corked.size === 0) process.nextTick(this.#uncorkAll)
    this.#corked.add(raw)
    raw.cork()
  }
}

/** A ws WebSocket as the room sees it. */
class WsCollabSocket implements CollabSocket {
  readonly #ws: WebSocket
  readonly #raw: Duplex | undefined
  readonly #corker: Corker

  constructor(ws: WebSocket, corker: Corker) {
    this.#ws = ws
    // ws keeps the TCP socket in `_socket`; without it (other versions) frames just go uncorked.
    this.#raw = (ws as unknown as { _socket?: Duplex })._socket
    this.#corker = corker
  }

  get readyState(): number {
    return this.#ws.readyState
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount
  }

  send(data: Uint8Array): void {
    if (this.#raw !== undefined && this.#ws.readyState === this.#ws.OPEN)
      this.#corker.cork(this.#raw)
    this.#ws.send(data)
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason)
  }
}

/** ws hands out a Buffer (or, for some binaryType settings, fragments or an ArrayBuffer). */
function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

/** The participant token in the upgrade's query, if it has a well-formed one. */
export function collabToken(request: IncomingMessage): string | undefined {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams
  const parsed = CollabQuery.shape.token.safeParse(query.get('token'))
  return parsed.success ? parsed.data : undefined
}

/** Whether the upgrade's query carries this server's protocol version (protocol/version.ts). */
function speaksOurProtocol(request: IncomingMessage): boolean {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams
  return CollabQuery.shape.protocolVersion.safeParse(query.get('protocolVersion')).success
}

/** The error code each refusal's body carries (the REST envelope, `ApiErrorBody`). */
const refusalCodes: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  426: 'upgrade_required',
}

/**
 * Answers an upgrade with an HTTP error and the REST error envelope; no WebSocket is established.
 * A bare message gets the status's usual code.
 */
function refuse(socket: Duplex, status: number, refusal: string | ErrorPayload): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const envelope: ApiErrorBody = {
    error:
      typeof refusal === 'string'
        ? { code: refusalCodes[status] ?? 'internal', message: refusal }
        : refusal,
  }
  const body = JSON.stringify(envelope)
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  )
}

/** Cursor colour per participant, as the server writes it into awareness states. */
export { participantColor } from '../../protocol/participantColor.ts'
