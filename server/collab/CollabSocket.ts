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

/**
 * Who is on the other end and what they may do with the document, as decided on the upgrade.
 * A `read` connection is synced and sees everyone's cursors, but any edit it sends closes it
 * with `readOnly` (4403) and is never applied.
 */
export interface CollabIdentity extends Participant {
  readonly access: 'write' | 'read'
}
