/**
 * Everything live about one room for one browser: the shared Y.Doc over the collab socket
 * (y-websocket), the socket.io channel (room state, runs), presence from awareness, and the run
 * state folded by runReducer. React reads it through `subscribe`/`getSnapshot`
 * (useSyncExternalStore); nothing here knows React. `close()` tears all of it down.
 */
import { io, type Socket } from 'socket.io-client'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { RoomTicket } from '../../../protocol/api.ts'
import {
  CollabCloseCode,
  collabParams,
  collabPathPrefix,
  collabRoomName,
  docFilesKey,
} from '../../../protocol/collab.ts'
import type { Ack, ErrorPayload } from '../../../protocol/errors.ts'
import type { LanguageId } from '../../../protocol/languages.ts'
import type { Role } from '../../../protocol/people.ts'
import type {
  ClientToServerEvents,
  RoomState,
  RunStartPayload,
  ServerToClientEvents,
} from '../../../protocol/realtime.ts'
import type { Signal, SignalReport } from '../../../protocol/signals.ts'
import { PROTOCOL_VERSION } from '../../../protocol/version.ts'
import { markOnce } from '../editor/loadMonaco.ts'
import { colorFor, remoteUsers } from '../editor/remoteCursorCss.ts'
import { initialRunState, runReducer, type RunAction, type RunState } from '../run/runReducer.ts'
import { describeNotice } from './describeNotice.ts'

export type LinkStatus = 'connecting' | 'connected' | 'disconnected'

/** Why the room cannot be used any more; the screen shows a page instead of the editor. */
export interface RoomClosure {
  kind: 'ended' | 'revoked' | 'failed'
  message: string
}

export interface PresenceEntry {
  clientId: number
  name: string
  color: string
  role: Role
  /** As the server wrote it into the awareness state; undefined until it has relayed ours. */
  participantId: string | undefined
  self: boolean
}

export interface RoomSnapshot {
  collab: LinkStatus
  /** The shared document has caught up with the server at least once on this connection. */
  synced: boolean
  socket: LinkStatus
  /** Null until the server's first `room:state`. */
  roomState: RoomState | null
  run: RunState
  presence: PresenceEntry[]
  closed: RoomClosure | null
  /**
   * The server speaks another protocol version (it was updated while this page was open): both
   * channels are shut and the room asks for a reload. The editor stays, so nothing typed is lost
   * from view.
   */
  outdated: boolean
  /** Latest problem worth telling the user that does not close the room; `id` changes per notice. */
  notice: { id: number; message: string } | null
  /** Interviewers: every integrity signal of the interview, oldest first (candidates: always empty). */
  signals: readonly Signal[]
  /** Interviewers: the signal that arrived last while this page was open, for a toast. */
  latestSignal: { id: number; signal: Signal } | null
}

/** How long to wait for the server to acknowledge a request, ms. */
const ackTimeoutMs = 15_000

export class RoomConnection {
  readonly doc = new Y.Doc()
  readonly files: Y.Map<Y.Text> = this.doc.getMap<Y.Text>(docFilesKey)
  readonly provider: WebsocketProvider
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>
  readonly #listeners = new Set<() => void>()
  /** Ours: the server writes it into what it relays of our awareness, never into our own copy. */
  readonly #participantId: string
  #snapshot: RoomSnapshot = {
    collab: 'connecting',
    synced: false,
    socket: 'connecting',
    roomState: null,
    run: initialRunState,
    presence: [],
    closed: null,
    outdated: false,
    notice: null,
    signals: [],
    latestSignal: null,
  }
  #noticeId = 0
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined
  #closedByUs = false
  /** Candidates: whether this tab has focus, as last reported (see #watchFocus). */
  #focused = true
  #unwatchFocus: (() => void) | undefined

  constructor(ticket: RoomTicket, origin: string = window.location.origin) {
    const token = ticket.participantToken
    this.#participantId = ticket.participant.participantId
    this.provider = new WebsocketProvider(
      `${origin.replace(/^http/, 'ws')}${collabPathPrefix}`,
      collabRoomName(ticket.interviewId, 'code'),
      this.doc,
      // No BroadcastChannel: two tabs of one browser must sync through the server, which checks
      // every participant, never directly with each other.
      { params: collabParams(token), disableBc: true },
    )
    const { participant } = ticket
    this.provider.awareness.setLocalStateField('user', {
      name: participant.name,
      color: colorFor(participant.participantId),
      role: participant.role,
    })
    this.provider.on('status', this.#onCollabStatus)
    this.provider.on('sync', this.#onSync)
    this.provider.on('closed', this.#onCollabClosed)
    this.provider.awareness.on('change', this.#onAwareness)

    this.socket = io(origin, { auth: { token, protocolVersion: PROTOCOL_VERSION } })
    this.socket.on('connect', this.#onSocketConnect)
    this.socket.on('disconnect', this.#onSocketDisconnect)
    this.socket.on('connect_error', this.#onSocketError)
    this.socket.on('room:state', (roomState) => {
      markOnce('tandem:room-state')
      this.#set({ roomState })
      // An ended interview refuses candidates; interviewers may stay to review the code.
      if (roomState.status === 'ended' && participant.role === 'candidate') {
        this.#close({ kind: 'ended', message: 'The interviewer ended this interview.' })
      }
    })
    this.socket.on('room:notice', (notice) => this.#notify(describeNotice(notice)))
    this.socket.on('run:history', (events) => this.#dispatch({ type: 'history', events }))
    this.socket.on('run:event', (event) => this.#dispatch({ type: 'event', event }))
    this.socket.on('room:error', this.#onRoomError)
    this.socket.on('signal:history', (signals) => this.#set({ signals }))
    this.socket.on('signal', (signal) =>
      this.#set({
        signals: [...this.#snapshot.signals, signal],
        latestSignal: { id: ++this.#noticeId, signal },
      }),
    )
    this.#onAwareness()
    // Only a candidate's client reports signals; an interviewer's sends nothing.
    if (participant.role === 'candidate') this.#unwatchFocus = this.#watchFocus()
  }

  /**
   * Candidates: reports a paste or a focus change to the server, which records it and shows it
   * to the interviewers (the candidate was told so before starting). Fire and forget: socket.io
   * buffers it while disconnected, and a refusal (the rate limit) is nothing the candidate acts on.
   */
  reportSignal(report: SignalReport): void {
    if (this.#closedByUs) return
    this.socket.emit('signal:report', report, () => undefined)
  }

  /**
   * Reports the tab losing focus (hidden, or the window blurred) and regaining it, once per
   * change: a blur followed by a visibilitychange is one `lost`.
   */
  #watchFocus(): () => void {
    const check = (): void => {
      const focused = document.visibilityState === 'visible' && document.hasFocus()
      if (focused === this.#focused) return
      this.#focused = focused
      this.reportSignal({ kind: 'focus', state: focused ? 'regained' : 'lost' })
    }
    // Focus moves within the page (editor → button) blur the window for a moment: ask once the
    // event is over, when document.hasFocus() tells the truth.
    const soon = (): void => void Promise.resolve().then(check)
    document.addEventListener('visibilitychange', check)
    window.addEventListener('blur', soon)
    window.addEventListener('focus', soon)
    return () => {
      document.removeEventListener('visibilitychange', check)
      window.removeEventListener('blur', soon)
      window.removeEventListener('focus', soon)
    }
  }

  get awareness(): WebsocketProvider['awareness'] {
    return this.provider.awareness
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  getSnapshot = (): RoomSnapshot => this.#snapshot

  /**
   * Starts a run for everyone in the room. Rejects with the server's message when refused. The
   * request carries the clock of our latest edit, so the server runs the code as we see it even
   * when the edit is still on its way over the collab socket.
   */
  async startRun(payload: RunStartPayload): Promise<string> {
    const after = {
      clientId: this.doc.clientID,
      clock: Y.getState(this.doc.store, this.doc.clientID),
    }
    const ack = await this.#request(
      () =>
        // socket.io's timeout() decoration loses the ack's type; it is the Ack the contract names.
        this.socket
          .timeout(ackTimeoutMs)
          .emitWithAck('run:start', { ...payload, after }) as Promise<Ack<{ runId: string }>>,
    )
    return ack.runId
  }

  /**
   * Cancels the room's run in flight for everyone; its `exit` (verdict `cancelled`) follows as a
   * run event. A run that finished meanwhile is not an error: its exit is already on its way.
   */
  async cancelRun(runId: string): Promise<void> {
    try {
      await this.#request(
        () =>
          this.socket.timeout(ackTimeoutMs).emitWithAck('run:cancel', { runId }) as Promise<Ack>,
      )
    } catch (error) {
      if (error instanceof RoomRequestError && error.code === 'not_found') return
      throw error
    }
  }

  /** Switches the room's language for everyone; the new file arrives with `room:state`. */
  async setLanguage(language: LanguageId): Promise<void> {
    await this.#request(
      () =>
        this.socket.timeout(ackTimeoutMs).emitWithAck('language:set', { language }) as Promise<Ack>,
    )
  }

  dismissNotice(id: number): void {
    if (this.#snapshot.notice?.id === id) this.#set({ notice: null })
  }

  close(): void {
    if (this.#closedByUs) return
    this.#closedByUs = true
    this.#unwatchFocus?.()
    clearTimeout(this.#reconnectTimer)
    this.provider.awareness.off('change', this.#onAwareness)
    this.provider.off('status', this.#onCollabStatus)
    this.provider.off('sync', this.#onSync)
    this.provider.off('closed', this.#onCollabClosed)
    // destroy() sends our awareness removal, closes the socket and the awareness timer.
    this.provider.destroy()
    this.socket.removeAllListeners()
    this.socket.disconnect()
    this.doc.destroy()
    this.#listeners.clear()
  }

  async #request<T extends object>(send: () => Promise<Ack<T>>): Promise<T> {
    let ack: Ack<T>
    try {
      ack = await send()
    } catch {
      throw new Error('The server did not answer. Check the connection indicator and try again.')
    }
    if (!ack.ok) throw new RoomRequestError(ack.error)
    return ack
  }

  #set(patch: Partial<RoomSnapshot>): void {
    if (this.#closedByUs) return
    this.#snapshot = { ...this.#snapshot, ...patch }
    for (const listener of this.#listeners) listener()
  }

  #dispatch(action: RunAction): void {
    this.#set({ run: runReducer(this.#snapshot.run, action) })
  }

  #notify(message: string): void {
    this.#set({ notice: { id: ++this.#noticeId, message } })
  }

  #close(closure: RoomClosure): void {
    if (this.#snapshot.closed !== null) return
    this.#set({ closed: closure })
    clearTimeout(this.#reconnectTimer)
    this.provider.disconnect()
    this.socket.disconnect()
  }

  /**
   * The server was updated under this page: stop both channels (the collab upgrade is refused
   * too, and the provider would retry for ever) and ask for a reload.
   */
  #outdate(): void {
    if (this.#snapshot.outdated) return
    clearTimeout(this.#reconnectTimer)
    this.provider.disconnect()
    this.socket.disconnect()
    this.#set({ outdated: true, socket: 'disconnected' })
  }

  readonly #onCollabStatus = ({ status }: { status: LinkStatus }): void => {
    this.#set(status === 'connected' ? { collab: status } : { collab: status, synced: false })
  }

  readonly #onSync = (synced: boolean): void => {
    if (synced) markOnce('tandem:collab-synced')
    this.#set({ synced })
  }

  readonly #onCollabClosed = ({ code, reason }: { code: number; reason: string }): void => {
    switch (code) {
      case CollabCloseCode.roomClosed:
        this.#close({ kind: 'ended', message: reason || 'This interview has ended.' })
        return
      case CollabCloseCode.unauthorized:
        this.#close({ kind: 'revoked', message: reason || 'Your access to this room was revoked.' })
        return
      case CollabCloseCode.tooLarge:
        this.#notify(
          'Your last change was too large for the shared document and was rejected. Reload the page to continue.',
        )
        return
      default:
        // A bad frame is our bug, not the user's: try again once things settle.
        this.#notify(reason || `The editor connection was closed (${code}). Reconnecting…`)
        this.#reconnectTimer = setTimeout(() => this.provider.connect(), 2000)
    }
  }

  readonly #onAwareness = (): void => {
    const states = this.provider.awareness.getStates()
    const selfId = this.doc.clientID
    const presence: PresenceEntry[] = remoteUsers(states, -1).map((user) => {
      const self = user.clientId === selfId
      return { ...user, self, participantId: self ? this.#participantId : user.participantId }
    })
    presence.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name))
    this.#set({ presence })
  }

  readonly #onSocketConnect = (): void => this.#set({ socket: 'connected' })

  readonly #onSocketDisconnect = (reason: Socket.DisconnectReason): void => {
    this.#set({ socket: this.socket.active ? 'connecting' : 'disconnected' })
    // The server dropped us on purpose (e.g. the interview ended). Reconnecting tells us why:
    // the handshake is then refused with a reason.
    if (reason === 'io server disconnect' && this.#snapshot.closed === null) {
      this.#reconnectTimer = setTimeout(() => this.socket.connect(), 1000)
    }
  }

  readonly #onSocketError = (error: Error & { data?: unknown }): void => {
    if (this.socket.active) {
      this.#set({ socket: 'connecting' })
      return
    }
    // Refused by the server's handshake middleware: it will not get better by retrying.
    const data = error.data as { code?: unknown; message?: unknown } | undefined
    const code = typeof data?.code === 'string' ? data.code : error.message
    const message = typeof data?.message === 'string' ? data.message : error.message
    this.#set({ socket: 'disconnected' })
    if (code === 'upgrade_required') this.#outdate()
    else if (code === 'not_found') this.#close({ kind: 'ended', message })
    else if (code === 'unauthorized' || code === 'forbidden' || code === 'participant_removed')
      this.#close({ kind: 'revoked', message })
    else this.#notify(`Realtime connection refused: ${message}`)
  }

  readonly #onRoomError = (error: ErrorPayload): void => {
    if (error.code === 'not_found') this.#close({ kind: 'ended', message: error.message })
    else if (
      error.code === 'unauthorized' ||
      error.code === 'forbidden' ||
      error.code === 'participant_removed'
    ) {
      this.#close({ kind: 'revoked', message: error.message })
    } else this.#notify(error.message)
  }
}

/** A request the server refused, with its code (e.g. `run_in_progress`). */
export class RoomRequestError extends Error {
  override name = 'RoomRequestError'
  readonly code: ErrorPayload['code']

  constructor(error: ErrorPayload) {
    super(error.message)
    this.code = error.code
  }
}
