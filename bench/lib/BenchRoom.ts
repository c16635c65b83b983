/**
 * One interview room as the generator drives it: a candidate, an interviewer and an observer, each
 * a real y-websocket `WebsocketProvider` with its own Y.Doc, all in this process so a keystroke is
 * timed on one clock from the writer's insert to each reader's transaction that integrates it.
 *
 * The file is laid out so every writer's keystrokes land in its own region and the final text is
 * known exactly (lost and duplicated characters are counted from it):
 *
 *   // <interviewer's digits>
 *   <the challenge's reference solution, so runs pass>
 *   /* <candidate's letters>*\/
 *
 * Every keystroke inserts one character (one Yjs clock of its writer) and moves the writer's cursor
 * in awareness, as y-monaco does (`selection` as relative positions).
 */
import { performance } from 'node:perf_hooks'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { collabParams } from '../../protocol/collab.ts'
import type { Histogram } from './Histogram.ts'
import { Typist, candidatePace, interviewerPace, seededRandom } from './Typist.ts'

export type BenchRole = 'candidate' | 'interviewer' | 'observer'

/** Everything a generator needs to open one room. */
export interface RoomSpec {
  /** Position of the room in the run; seeds its typists. */
  index: number
  /** The provider's server URL: `ws://host:port/collab` (Tandem) or `ws://host:port` (reference). */
  serverUrl: string
  /** The provider's room name: an interview id (Tandem) or a document name (reference). */
  name: string
  /** Participant tokens per role (Tandem), or null where the server takes anyone (reference). */
  tokens: Record<BenchRole, string> | null
  /** The Y.Text's key in `doc.getMap('files')`. */
  filePath: string
  /** The code between the two typing regions. */
  body: string
}

/** Where a window's samples go: histograms by window id (0 = not measured). */
export interface WindowSink {
  readonly current: number
  histogram(window: number): Histogram
  countKeystroke(window: number): void
}

const candidateAlphabet = 'abcdefghijklmnopqrstuvwxyz'
const interviewerAlphabet = '0123456789'
const interviewerPrefix = '// '
const candidateSuffix = '*/\n'

export function initialText(body: string): string {
  return `${interviewerPrefix}\n${body}\n/* ${candidateSuffix}`
}

export function expectedText(
  body: string,
  interviewerTyped: string,
  candidateTyped: string,
): string {
  return `${interviewerPrefix}${interviewerTyped}\n${body}\n/* ${candidateTyped}${candidateSuffix}`
}

interface BenchClient {
  role: BenchRole
  doc: Y.Doc
  provider: WebsocketProvider
  /** Connections lost after the first sync (the provider reconnects on its own). */
  drops: number
}

/** A writer's keystrokes: when each was sent and in which window. Index = clock - `base`. */
interface Keystrokes {
  clientId: number
  base: number
  sentAt: number[]
  windowOf: number[]
  typed: string[]
}

/** One reader's progress through one writer's keystrokes. */
interface Tracker {
  keys: Keystrokes
  next: number
}

export class BenchRoom {
  readonly spec: RoomSpec
  readonly #clients: Record<BenchRole, BenchClient>
  readonly #sink: WindowSink
  readonly #keys = new Map<BenchRole, Keystrokes>()
  readonly #trackers = new Map<BenchRole, Tracker[]>()
  readonly #typists = new Map<'candidate' | 'interviewer', Typist>()
  readonly #timers = new Set<NodeJS.Timeout>()
  #typing = false

  constructor(spec: RoomSpec, sink: WindowSink) {
    this.spec = spec
    this.#sink = sink
    this.#clients = {
      candidate: connectClient(spec, 'candidate'),
      interviewer: connectClient(spec, 'interviewer'),
      observer: connectClient(spec, 'observer'),
    }
  }

  /** Connections lost after the first sync, all three clients together. */
  get drops(): number {
    return Object.values(this.#clients).reduce((sum, c) => sum + c.drops, 0)
  }

  /** Waits for every client to sync and the layout to be in place (the candidate writes it). */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    await Promise.all(Object.values(this.#clients).map((c) => synced(c.provider, deadline)))
    const layout = initialText(this.spec.body)
    const candidate = this.#clients.candidate.doc
    candidate.transact(() => {
      const files = candidate.getMap<Y.Text>('files')
      const existing = files.get(this.spec.filePath)
      if (existing instanceof Y.Text) {
        existing.delete(0, existing.length)
        existing.insert(0, layout)
      } else {
        files.set(this.spec.filePath, new Y.Text(layout))
      }
    })
    for (const client of Object.values(this.#clients)) {
      await until(() => this.#text(client.role)?.toJSON() === layout, deadline, 'layout')
    }
  }

  /** Starts both typists (or resumes them after `stopTyping`); the observer only watches. */
  startTyping(): void {
    if (this.#typing) return
    this.#typing = true
    if (this.#typists.size === 0) this.#setUpTyping()
    for (const [role, typist] of this.#typists) this.#schedule(role, typist)
  }

  /** Pauses both typists; keystrokes already sent are still tracked. */
  stopTyping(): void {
    this.#typing = false
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
  }

  #setUpTyping(): void {
    const random = seededRandom(0x5eed + this.spec.index * 7919)
    for (const role of ['candidate', 'interviewer'] as const) {
      const doc = this.#clients[role].doc
      const keys: Keystrokes = {
        clientId: doc.clientID,
        base: Y.getState(doc.store, doc.clientID),
        sentAt: [],
        windowOf: [],
        typed: [],
      }
      this.#keys.set(role, keys)
      for (const reader of Object.values(this.#clients)) {
        if (reader.role === role) continue
        const trackers = this.#trackers.get(reader.role) ?? []
        trackers.push({ keys, next: 0 })
        this.#trackers.set(reader.role, trackers)
      }
      this.#typists.set(
        role,
        new Typist(role === 'candidate' ? candidatePace : interviewerPace, random),
      )
    }
    for (const client of Object.values(this.#clients)) {
      const trackers = this.#trackers.get(client.role) ?? []
      client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (transaction.local) return
        const now = performance.now()
        for (const tracker of trackers) this.#observe(tracker, transaction, now)
      })
    }
  }

  #schedule(role: 'candidate' | 'interviewer', typist: Typist): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      if (!this.#typing) return
      const keys = this.#keys.get(role)
      if (keys !== undefined) this.#press(role, keys)
      this.#schedule(role, typist)
    }, typist.nextDelayMs())
    this.#timers.add(timer)
  }

  /**
   * Window `window` is over: keystrokes sent in it that a reader has not seen yet are recorded
   * with their age now (a lower bound), so a slow tail is never dropped. Returns how many.
   */
  censor(window: number): number {
    const now = performance.now()
    let censored = 0
    for (const trackers of this.#trackers.values()) {
      for (const tracker of trackers) {
        const { sentAt, windowOf } = tracker.keys
        while (tracker.next < sentAt.length && (windowOf[tracker.next] ?? 0) <= window) {
          if (windowOf[tracker.next] === window) {
            this.#sink.histogram(window).record((now - (sentAt[tracker.next] ?? now)) * 1000)
            censored++
          }
          tracker.next++
        }
      }
    }
    return censored
  }

  /** True when every reader has every keystroke. */
  converged(): boolean {
    for (const [role, trackers] of this.#trackers) {
      const doc = this.#clients[role].doc
      for (const { keys } of trackers) {
        if (Y.getState(doc.store, keys.clientId) < keys.base + keys.sentAt.length) return false
      }
    }
    return true
  }

  /** The text every replica should hold now. */
  expected(): string {
    const typed = (role: BenchRole): string => this.#keys.get(role)?.typed.join('') ?? ''
    return expectedText(this.spec.body, typed('interviewer'), typed('candidate'))
  }

  /** Each client's text (null when the file is missing). */
  texts(): (string | null)[] {
    return Object.values(this.#clients).map((c) => this.#text(c.role)?.toJSON() ?? null)
  }

  close(): void {
    this.stopTyping()
    for (const client of Object.values(this.#clients)) {
      client.provider.destroy()
      client.doc.destroy()
    }
  }

  #text(role: BenchRole): Y.Text | null {
    const text = this.#clients[role].doc.getMap('files').get(this.spec.filePath)
    return text instanceof Y.Text ? text : null
  }

  #press(role: 'candidate' | 'interviewer', keys: Keystrokes): void {
    const client = this.#clients[role]
    const text = this.#text(role)
    if (text === null) return
    const n = keys.typed.length
    const alphabet = role === 'candidate' ? candidateAlphabet : interviewerAlphabet
    const char = alphabet[n % alphabet.length] ?? 'x'
    const index =
      role === 'candidate' ? text.length - candidateSuffix.length : interviewerPrefix.length + n
    const window = this.#sink.current
    keys.sentAt.push(performance.now())
    keys.windowOf.push(window)
    keys.typed.push(char)
    this.#sink.countKeystroke(window)
    // The provider sends the update inside insert(); the cursor move follows, as in y-monaco.
    text.insert(index, char)
    const cursor = Y.createRelativePositionFromTypeIndex(text, index + 1)
    client.provider.awareness.setLocalStateField('selection', { anchor: cursor, head: cursor })
  }

  #observe(tracker: Tracker, transaction: Y.Transaction, now: number): void {
    const { keys } = tracker
    const after = transaction.afterState.get(keys.clientId)
    if (after === undefined) return
    const end = Math.min(after - keys.base, keys.sentAt.length)
    for (; tracker.next < end; tracker.next++) {
      const window = keys.windowOf[tracker.next] ?? 0
      if (window === 0) continue
      this.#sink.histogram(window).record((now - (keys.sentAt[tracker.next] ?? now)) * 1000)
    }
  }
}

function connectClient(spec: RoomSpec, role: BenchRole): BenchClient {
  const doc = new Y.Doc()
  const token = spec.tokens?.[role]
  const provider = new WebsocketProvider(spec.serverUrl, spec.name, doc, {
    connect: false,
    // The reference server ignores the query; Tandem checks both the token and the version.
    params: token === undefined ? {} : collabParams(token),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  // What the web app publishes; Tandem overwrites `user` with the participant it authenticated.
  provider.awareness.setLocalState({
    user: { name: `${role} ${spec.index}`, color: '#4363d8', role },
  })
  const client: BenchClient = { role, doc, provider, drops: 0 }
  let wasSynced = false
  provider.on('sync', (isSynced: boolean) => {
    if (isSynced) wasSynced = true
  })
  provider.on('connection-close', () => {
    if (wasSynced) client.drops++
  })
  provider.connect()
  return client
}

function synced(provider: WebsocketProvider, deadline: number): Promise<void> {
  return until(() => provider.synced, deadline, 'sync')
}

async function until(condition: () => boolean, deadline: number, what: string): Promise<void> {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Characters missing from `actual` and characters in excess, by count per character. */
export function compareChars(
  expected: string,
  actual: string,
): { lost: number; duplicated: number } {
  const counts = new Map<string, number>()
  for (const char of expected) counts.set(char, (counts.get(char) ?? 0) + 1)
  for (const char of actual) counts.set(char, (counts.get(char) ?? 0) - 1)
  let lost = 0
  let duplicated = 0
  for (const n of counts.values()) {
    if (n > 0) lost += n
    else duplicated -= n
  }
  return { lost, duplicated }
}
