import { largeInsertChars } from '../../protocol/signals.ts'

/** Limits that keep one misbehaving peer from costing the room or the process more than a bounded amount. */

export interface CollabLimits {
  /** Largest frame a peer may send, bytes; larger closes it with `tooLarge`. Default 1 MiB. */
  maxFrameBytes: number
  /** Largest document, encoded state in bytes; an update that would pass it closes the sender with `tooLarge`. Default 4 MiB. */
  maxDocBytes: number
  /** Largest awareness state, JSON characters; larger closes the sender with `tooLarge`. Default 8 KiB. */
  maxAwarenessStateBytes: number
  /** Awareness client ids one connection may publish; more are ignored. Default 4. */
  maxAwarenessClientsPerConnection: number
  /**
   * Bytes of updates Yjs may hold back waiting for missing dependencies ("pending structs"). A
   * peer whose update pushes past this is closed with `badMessage`. Default 256 KiB.
   */
  maxPendingBytes: number
  /** How long pending updates may wait for their dependencies before they are dropped, ms. Default 10 s. */
  maxPendingMs: number
  /** Bytes queued on a socket before the peer is dropped as too far behind (it may reconnect). Default 8 MiB. */
  maxBufferedBytes: number
  /** Frames a connection may send while its room is loading. Default 64. */
  maxQueuedFrames: number
  /** Sync requests (sync step 1) a connection may send in a burst; refilled at one per second. Default 20. */
  syncRequestBurst: number
  /**
   * Characters one peer update must insert into one file to be reported as a large insertion
   * (an integrity signal; not a limit on the peer). Default `largeInsertChars` (400).
   */
  largeInsertChars: number
}

export const defaultCollabLimits: Readonly<CollabLimits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  maxDocBytes: 4 * 1024 * 1024,
  maxAwarenessStateBytes: 8 * 1024,
  maxAwarenessClientsPerConnection: 4,
  maxPendingBytes: 256 * 1024,
  maxPendingMs: 10_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxQueuedFrames: 64,
  syncRequestBurst: 20,
  largeInsertChars,
})
