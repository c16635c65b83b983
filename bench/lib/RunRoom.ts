/**
 * One interview as the runs benchmark drives it: the candidate's socket.io client and real
 * y-websocket provider, and the interviewer's socket.io client, all in this process so a run is
 * timed on one clock. A run is: the candidate puts the code into the shared document, asks for a
 * run of the tests (`after` its edit, as the web client does), and the run ends when its `exit`
 * reaches the interviewer.
 */
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { collabParams } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { RunSummary } from '../../protocol/run.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/realtime.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface RunRoomOptions {
  /** Tandem's HTTP origin. */
  httpUrl: string
  /** `ws://host:port/collab`. */
  collabUrl: string
  interviewId: string
  candidateToken: string
  interviewerToken: string
  /** The Y.Text's key in `doc.getMap('files')`. */
  filePath: string
}

/** One timed run. */
export interface RunOutcome {
  /** From the edit (or the request, when the code is unchanged) to the interviewer's exit, ms. */
  ms: number
  summary: RunSummary
}

async function connectSocket(httpUrl: string, token: string): Promise<RoomSocket> {
  const socket: RoomSocket = io(httpUrl, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

export class RunRoom {
  readonly #candidate: RoomSocket
  readonly #interviewer: RoomSocket
  readonly #doc: Y.Doc
  readonly #provider: WebsocketProvider
  readonly #text: Y.Text
  /** Exits seen at the interviewer, by run id, until their run claims them. */
  readonly #exits = new Map<string, { at: number; summary: RunSummary }>()
  readonly #waiters = new Map<string, () => void>()
  /** Aborted when either socket closes: a run waiting on it would otherwise wait forever. */
  readonly #lost = new AbortController()

  private constructor(options: {
    candidate: RoomSocket
    interviewer: RoomSocket
    doc: Y.Doc
    provider: WebsocketProvider
    text: Y.Text
  }) {
    this.#candidate = options.candidate
    this.#interviewer = options.interviewer
    this.#doc = options.doc
    this.#provider = options.provider
    this.#text = options.text
    for (const [who, socket] of [
      ['candidate', this.#candidate],
      ['interviewer', this.#interviewer],
    ] as const) {
      socket.on('disconnect', (reason) => {
        this.#lost.abort(
          new Error(`the ${who}'s socket closed (${reason}); the server log says why`),
        )
      })
    }
    this.#interviewer.on('run:event', (event) => {
      if (event.type !== 'exit') return
      this.#exits.set(event.runId, { at: performance.now(), summary: event.summary })
      this.#waiters.get(event.runId)?.()
    })
  }

  static async open(options: RunRoomOptions): Promise<RunRoom> {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(options.collabUrl, options.interviewId, doc, {
      params: collabParams(options.candidateToken),
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    await new Promise<void>((resolve) => {
      if (provider.synced) resolve()
      else provider.once('sync', () => resolve())
    })
    // The benchmark's interviews start empty (no starter code): the candidate creates the file.
    const files = doc.getMap<Y.Text>('files')
    let text = files.get(options.filePath)
    if (text === undefined) {
      text = new Y.Text()
      files.set(options.filePath, text)
    }
    const [candidate, interviewer] = await Promise.all([
      connectSocket(options.httpUrl, options.candidateToken),
      connectSocket(options.httpUrl, options.interviewerToken),
    ])
    return new RunRoom({ candidate, interviewer, doc, provider, text })
  }

  /**
   * Puts `code` into the document (unless it is there already) and runs the tests; resolves when
   * the interviewer has the run's exit.
   */
  async run(code: string): Promise<RunOutcome> {
    const start = performance.now()
    if (this.#text.toJSON() !== code) {
      this.#doc.transact(() => {
        this.#text.delete(0, this.#text.length)
        this.#text.insert(0, code)
      })
    }
    const after = {
      clientId: this.#doc.clientID,
      clock: Y.getState(this.#doc.store, this.#doc.clientID),
    }
    const answer = await this.#unlessLost(
      new Promise<Ack<{ runId: string }>>((resolve) => {
        this.#candidate.emit('run:start', { mode: 'tests', after }, resolve)
      }),
    )
    if (!answer.ok) throw new Error(`run refused: ${answer.error.code} ${answer.error.message}`)
    const { runId } = answer
    if (!this.#exits.has(runId)) {
      await this.#unlessLost(new Promise<void>((resolve) => this.#waiters.set(runId, resolve)))
      this.#waiters.delete(runId)
    }
    const exit = this.#exits.get(runId)
    this.#exits.delete(runId)
    if (exit === undefined) throw new Error(`no exit for run ${runId}`)
    return { ms: exit.at - start, summary: exit.summary }
  }

  /** `promise`, or a rejection as soon as a socket is lost (or at once if one already was). */
  #unlessLost<T>(promise: Promise<T>): Promise<T> {
    const { signal } = this.#lost
    const lost = (): Error =>
      signal.reason instanceof Error ? signal.reason : new Error('a socket closed')
    if (signal.aborted || !this.#candidate.connected || !this.#interviewer.connected) {
      return Promise.reject(signal.aborted ? lost() : new Error('a socket closed before the run'))
    }
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(lost()), { once: true })
      }),
    ])
  }

  close(): void {
    this.#candidate.close()
    this.#interviewer.close()
    this.#provider.destroy()
    this.#doc.destroy()
  }
}
