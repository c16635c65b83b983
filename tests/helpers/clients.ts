/** Real clients for tests: socket.io-client and y-websocket's stock provider, with cleanup. */
import { io, type Socket } from 'socket.io-client'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { collabParams } from '../../protocol/collab.ts'
import type { RunEvent } from '../../protocol/run.ts'
import type {
  ClientToServerEvents,
  RoomNotice,
  RoomState,
  ServerToClientEvents,
} from '../../protocol/realtime.ts'
import type { Signal } from '../../protocol/signals.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import { waitFor } from './waitFor.ts'

export type RoomClient = Socket<ServerToClientEvents, ClientToServerEvents>

/** A socket.io client that records every run event and room state it receives. */
export interface RecordingClient {
  socket: RoomClient
  events: RunEvent[]
  states: RoomState[]
  /** Every room:notice since the connection (who locked, switched the language…). */
  notices: RoomNotice[]
  history: RunEvent[][]
  /** Every `signal` received (interviewers only). */
  signals: Signal[]
  /** Every `signal:history` received (interviewers only, on join, before `run:history`). */
  signalHistory: Signal[][]
  /** Resolves with this run's events once its exit arrives. */
  runEvents(runId: string): Promise<RunEvent[]>
  close(): void
}

export async function connectRoom(url: string, token: string): Promise<RecordingClient> {
  const socket: RoomClient = io(url, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  const events: RunEvent[] = []
  const states: RoomState[] = []
  const notices: RoomNotice[] = []
  const history: RunEvent[][] = []
  const signals: Signal[] = []
  const signalHistory: Signal[][] = []
  const waiters: (() => void)[] = []
  socket.on('run:event', (event) => {
    events.push(event)
    for (const wake of waiters.splice(0)) wake()
  })
  socket.on('room:state', (state) => states.push(state))
  socket.on('room:notice', (notice) => notices.push(notice))
  socket.on('run:history', (past) => history.push(past))
  socket.on('signal', (signal) => signals.push(signal))
  socket.on('signal:history', (past) => signalHistory.push(past))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  // The first room:state follows the connection.
  await waitFor(() => states.length > 0, 'the first room:state')
  const runEvents = async (runId: string): Promise<RunEvent[]> => {
    for (;;) {
      const mine = events.filter((e) => e.runId === runId)
      if (mine.some((e) => e.type === 'exit')) return mine
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  return {
    socket,
    events,
    states,
    notices,
    history,
    signals,
    signalHistory,
    runEvents,
    close: () => socket.close(),
  }
}

/**
 * Connects and resolves with the handshake error's data (for refusal tests). `auth` is sent as
 * it is when given; else the token with this protocol version.
 */
export function refusedRoom(
  url: string,
  token: unknown,
  auth: Record<string, unknown> = { token, protocolVersion: PROTOCOL_VERSION },
): Promise<{ message: string; data: unknown }> {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close()
      reject(new Error('connected, expected a refusal'))
    })
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close()
      resolve({ message: error.message, data: error.data })
    })
  })
}

/** y-websocket's stock provider pointed at Tandem's collab endpoint. */
export function connectDoc(
  url: string,
  interviewId: string,
  token: string,
): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/collab`, interviewId, doc, {
    params: collabParams(token),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return { doc, provider }
}

export function waitForSync(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve) => {
    const onSync = (synced: boolean): void => {
      if (!synced) return
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
}

/**
 * Replaces a shared file's text through a real y-websocket provider, as a participant typing, and
 * resolves once the server holds it (another client hears it back from there). Resolves with
 * the function that disconnects the typist.
 */
export async function typeInRoom(options: {
  url: string
  interviewId: string
  token: string
  path: string
  code: string
}): Promise<() => void> {
  const { url, interviewId, token, path, code } = options
  const { doc, provider } = connectDoc(url, interviewId, token)
  await waitForSync(provider)
  const files = doc.getMap('files')
  await waitFor(() => files.has(path), `file ${path}`)
  const text = files.get(path) as Y.Text
  doc.transact(() => {
    text.delete(0, text.length)
    text.insert(0, code)
  })
  const observer = connectDoc(url, interviewId, token)
  await waitForSync(observer.provider)
  await waitFor(
    () => observer.doc.getMap('files').get(path)?.toString() === code,
    'the edit to reach the server',
  )
  observer.provider.destroy()
  observer.doc.destroy()
  return () => {
    provider.destroy()
    doc.destroy()
  }
}

/** Emits with an ack and resolves with the ack's answer. */
export function ask<T>(
  socket: RoomClient,
  event: 'run:start' | 'run:cancel' | 'language:set' | 'signal:report',
  payload: unknown,
): Promise<T> {
  return new Promise((resolve) => {
    ;(socket.emit as (e: string, p: unknown, ack: (r: T) => void) => void)(event, payload, resolve)
  })
}
