/**
 * The y-websocket wire format, parsed once at the edge into a typed frame and encoded back.
 *
 *   frame     = messageType:varUint body
 *   sync      = step:varUint payload:varUint8Array   (step1: state vector; step2 / update: update)
 *   awareness = payload:varUint8Array, payload = n:varUint (clientId:varUint clock:varUint state:varString)×n
 *   query     = (nothing)
 *
 * The reader checks every length against the frame: a lying length throws instead of reading past
 * the end. A parse failure is a `FrameError` that carries the close code for the sender.
 */
import { CollabCloseCode, CollabMessageType } from '../../protocol/collab.ts'

/** Sub-types of a sync frame (y-protocols/sync). */
export const SyncStep = { step1: 0, step2: 1, update: 2 } as const

/**
 * One client's awareness entry as it travels. The state stays undecoded bytes (a view into the
 * frame, within the size cap) until `parseAwarenessState`: most entries a server receives are
 * providers echoing states back with the clock it already has, and are dropped unread.
 */
export interface AwarenessWireEntry {
  clientId: number
  clock: number
  /** The state as UTF-8 JSON: an object, or `null` when the client left. */
  stateBytes: Uint8Array
}

/** An awareness entry ready to encode: the state is already JSON (`'null'` when removed). */
export interface AwarenessOutEntry {
  clientId: number
  clock: number
  json: string
}

export type CollabFrame =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'syncStep2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; entries: AwarenessWireEntry[] }
  | { kind: 'queryAwareness' }

export class FrameError extends Error {
  override name = 'FrameError'
  readonly closeCode: CollabCloseCode

  constructor(closeCode: CollabCloseCode, message: string) {
    super(message)
    this.closeCode = closeCode
  }
}

const bad = (message: string): FrameError => new FrameError(CollabCloseCode.badMessage, message)
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A bounds-checked cursor over one frame. */
class FrameReader {
  readonly #bytes: Uint8Array
  #pos = 0

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  varUint(): number {
    let result = 0
    let scale = 1
    for (;;) {
      const byte = this.#bytes[this.#pos++]
      if (byte === undefined) throw bad('truncated frame')
      result += (byte & 0x7f) * scale
      if (byte < 0x80) return result
      scale *= 0x80
      if (scale > Number.MAX_SAFE_INTEGER) throw bad('integer out of range')
    }
  }

  /** A view into the frame, not a copy. */
  bytes(): Uint8Array {
    const length = this.varUint()
    if (length > this.#bytes.length - this.#pos) throw bad('length past the end of the frame')
    const view = this.#bytes.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    return view
  }

  end(): void {
    if (this.#pos !== this.#bytes.length) throw bad('trailing bytes after the message')
  }
}

/**
 * Parses one frame from a peer. Throws `FrameError`. Update payloads are views into `bytes`, which
 * must own its whole buffer (the connection copies frames that do not), so nothing can read past it.
 */
export function parseCollabFrame(
  bytes: Uint8Array,
  limits: { maxAwarenessStateBytes: number },
): CollabFrame {
  const reader = new FrameReader(bytes)
  const type = reader.varUint()
  let frame: CollabFrame
  switch (type) {
    case CollabMessageType.sync: {
      const step = reader.varUint()
      const payload = reader.bytes()
      if (step === SyncStep.step1) frame = { kind: 'syncStep1', stateVector: payload }
      else if (step === SyncStep.step2) frame = { kind: 'syncStep2', update: payload }
      else if (step === SyncStep.update) frame = { kind: 'update', update: payload }
      else throw bad(`unknown sync step ${step}`)
      break
    }
    case CollabMessageType.awareness: {
      const payload = new FrameReader(reader.bytes())
      const count = payload.varUint()
      const entries: AwarenessWireEntry[] = []
      for (let i = 0; i < count; i++) {
        const clientId = payload.varUint()
        const clock = payload.varUint()
        const stateBytes = payload.bytes()
        if (stateBytes.length > limits.maxAwarenessStateBytes) {
          throw new FrameError(CollabCloseCode.tooLarge, 'awareness state too large')
        }
        entries.push({ clientId, clock, stateBytes })
      }
      payload.end()
      frame = { kind: 'awareness', entries }
      break
    }
    case CollabMessageType.queryAwareness:
      frame = { kind: 'queryAwareness' }
      break
    default:
      // Includes `auth`, which only ever travels from server to client.
      throw bad(`unexpected message type ${type}`)
  }
  reader.end()
  return frame
}

/** A JSON awareness state: an object, or null for "gone". Throws `FrameError` for anything else. */
export function parseAwarenessState(stateBytes: Uint8Array): Record<string, unknown> | null {
  let json: string
  try {
    json = utf8.decode(stateBytes)
  } catch {
    throw bad('invalid UTF-8')
  }
  let state: unknown
  try {
    state = JSON.parse(json)
  } catch {
    throw bad('awareness state is not JSON')
  }
  if (state === null) return null
  if (typeof state !== 'object' || Array.isArray(state))
    throw bad('awareness state is not an object')
  return state as Record<string, unknown>
}

const jsonNull = [0x6e, 0x75, 0x6c, 0x6c] // "null"

/** True when the bytes are the JSON `null` (with JSON whitespace around it): "this client left". */
export function isNullState(stateBytes: Uint8Array): boolean {
  let start = 0
  let end = stateBytes.length
  const space = (byte: number | undefined): boolean =>
    byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d
  while (start < end && space(stateBytes[start])) start++
  while (end > start && space(stateBytes[end - 1])) end--
  if (end - start !== jsonNull.length) return false
  return jsonNull.every((byte, i) => stateBytes[start + i] === byte)
}

function varUintSize(value: number): number {
  let size = 1
  for (let n = value; n > 0x7f; n = Math.floor(n / 0x80)) size++
  return size
}

/** Writes `value` as a varUint at `pos`; returns the position after it. */
function writeVarUint(target: Uint8Array, pos: number, value: number): number {
  let n = value
  while (n > 0x7f) {
    target[pos++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 0x80)
  }
  target[pos++] = n
  return pos
}

/** `[sync, step, payload]` in one allocation (from Buffer's pool when small): the hot path. */
function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const frame = Buffer.allocUnsafe(2 + varUintSize(payload.length) + payload.length)
  frame[0] = CollabMessageType.sync
  frame[1] = step
  frame.set(payload, writeVarUint(frame, 2, payload.length))
  return frame
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  syncFrame(SyncStep.step1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => syncFrame(SyncStep.step2, update)
export const encodeUpdate = (update: Uint8Array): Uint8Array => syncFrame(SyncStep.update, update)

/** `[awareness, payload]`, sized up front and written into one buffer (it runs per cursor move). */
export function encodeAwareness(entries: readonly AwarenessOutEntry[]): Uint8Array {
  let payloadLength = varUintSize(entries.length)
  const jsonLengths: number[] = []
  for (const entry of entries) {
    const jsonLength = Buffer.byteLength(entry.json)
    jsonLengths.push(jsonLength)
    payloadLength +=
      varUintSize(entry.clientId) + varUintSize(entry.clock) + varUintSize(jsonLength) + jsonLength
  }
  const frame = Buffer.allocUnsafe(1 + varUintSize(payloadLength) + payloadLength)
  frame[0] = CollabMessageType.awareness
  let pos = writeVarUint(frame, 1, payloadLength)
  pos = writeVarUint(frame, pos, entries.length)
  entries.forEach((entry, i) => {
    const jsonLength = jsonLengths[i] ?? 0
    pos = writeVarUint(frame, pos, entry.clientId)
    pos = writeVarUint(frame, pos, entry.clock)
    pos = writeVarUint(frame, pos, jsonLength)
    pos += frame.write(entry.json, pos, jsonLength, 'utf8')
  })
  return frame
}

export function encodeQueryAwareness(): Uint8Array {
  return Uint8Array.of(CollabMessageType.queryAwareness)
}
