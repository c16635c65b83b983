/**
 * What the collaboration room needs from a transport. The ws adapter passes a `ws` WebSocket as it
 * is (it has these members); tests and other transports pass anything shaped like this.
 */
import type { Participant } from '../../protocol/people.ts'

/** `readyState` of an open socket, the same value in ws and in browsers. */
export const socketOpen = 1

export interface CollabSocket {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
  /** Frames are only sent while this is `socketOpen`; absent means always open. */
  readonly readyState?: number
  /** Bytes queued but not yet written; a peer further behind than `maxBufferedBytes` is dropped. */
  readonly bufferedAmount?: number
}

/** Who is on the other end, as authenticated on the upgrade. */
export type CollabIdentity = Participant

/** What a peer may do with the document: edit it, only read it (updates dropped), or nothing. */
export type CollabAccess = 'write' | 'read' | 'none'
