/**
 * Every write to a room's Y.Doc carries one of these as its transaction origin, so the broadcast
 * (no echo to the writer), persistence (skip what was just loaded) and replay can tell writes apart.
 */
import type { Role } from '../../protocol/people.ts'
import type { DocAuthor } from '../store/Store.ts'

/** A write that came from one connection. The object is created once per connection. */
export interface PeerOrigin {
  readonly source: 'peer'
  readonly connId: number
  readonly participantId: string
  /** The participant's role, recorded with every update in the timeline. */
  readonly role: Role
}

/**
 * Why the server itself wrote to the document. `external`: server code wrote through `room.doc`
 * without an origin of its own.
 */
export type ServerWriteReason = 'load' | 'seed' | 'normalizeLineEndings' | 'external'

export interface ServerOrigin {
  readonly source: 'server'
  readonly reason: ServerWriteReason
}

export type DocOrigin = PeerOrigin | ServerOrigin

const serverOrigins: Record<ServerWriteReason, ServerOrigin> = {
  load: Object.freeze({ source: 'server', reason: 'load' }),
  seed: Object.freeze({ source: 'server', reason: 'seed' }),
  normalizeLineEndings: Object.freeze({ source: 'server', reason: 'normalizeLineEndings' }),
  external: Object.freeze({ source: 'server', reason: 'external' }),
}

/** The shared (frozen) origin for a server write, so origins compare by identity too. */
export function serverOrigin(reason: ServerWriteReason): ServerOrigin {
  return serverOrigins[reason]
}

/** Narrows a Yjs transaction origin (typed `any` by Yjs) to a peer write. */
export function isPeerOrigin(origin: unknown): origin is PeerOrigin {
  return (
    typeof origin === 'object' && origin !== null && 'source' in origin && origin.source === 'peer'
  )
}

/** Who the timeline says wrote an update with this origin. */
export function authorOf(origin: DocOrigin): DocAuthor {
  return origin.source === 'peer'
    ? { kind: 'participant', participantId: origin.participantId, role: origin.role }
    : { kind: 'server', reason: origin.reason }
}
