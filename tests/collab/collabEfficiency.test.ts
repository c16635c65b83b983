/**
 * Behaviour the performance work relies on: awareness entries that cannot change anything are
 * dropped without being decoded, and a flush writes every dirty document however many there are.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { CollabCloseCode } from '../../protocol/collab.ts'
import type { CollabSocket } from '../../server/collab/CollabSocket.ts'
import { RoomManager } from '../../server/collab/RoomManager.ts'
import { openMemoryStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import { logger, mainFile, collabScope } from './collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const { defer } = collabScope()

function startManager(): { manager: RoomManager; store: Store } {
  const store = openMemoryStore()
  const manager = new RoomManager({ store, logger, roomIdleMs: 0, docFlushMs: 10 })
  defer(async () => {
    await manager.close()
    await store.close()
  })
  return { manager, store }
}

/** An in-memory socket that records what the room sends and how it was closed. */
function recordingSocket(): {
  socket: CollabSocket
  frames: Uint8Array[]
  closedWith: () => number | null
} {
  const frames: Uint8Array[] = []
  let closedWith: number | null = null
  return {
    socket: {
      send: (frame) => frames.push(frame),
      close: (code) => {
        closedWith = code
      },
    },
    frames,
    closedWith: () => closedWith,
  }
}

/** An awareness frame with one entry whose state is `state` as it is (not necessarily JSON). */
function awarenessFrame(clientId: number, clock: number, state: string): Uint8Array {
  const payload = encoding.createEncoder()
  encoding.writeVarUint(payload, 1)
  encoding.writeVarUint(payload, clientId)
  encoding.writeVarUint(payload, clock)
  encoding.writeVarString(payload, state)
  const frame = encoding.createEncoder()
  encoding.writeVarUint(frame, 1)
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(payload))
  return encoding.toUint8Array(frame)
}

/** The states in the awareness frames a socket received, as [clientId, clock, state JSON]. */
function awarenessEntries(frames: Uint8Array[]): [number, number, string][] {
  const entries: [number, number, string][] = []
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== 1) continue
    const payload = decoding.createDecoder(decoding.readVarUint8Array(decoder))
    const count = decoding.readVarUint(payload)
    for (let i = 0; i < count; i++) {
      entries.push([
        decoding.readVarUint(payload),
        decoding.readVarUint(payload),
        decoding.readVarString(payload),
      ])
    }
  }
  return entries
}

describe('collaboration efficiency', () => {
  it("drops a provider's echo of a state the room already holds, unread, and still rejects a new state that is not JSON", async () => {
    const { manager } = startManager()
    const hold = await manager.acquire('echo-room')
    defer(() => hold.release())
    const owner = recordingSocket()
    const peer = recordingSocket()
    const ownerConnection = manager.connect('echo-room', owner.socket, {
      participantId: 'p-owner',
      name: 'Owner',
      role: 'candidate',
    })
    const peerConnection = manager.connect('echo-room', peer.socket, {
      participantId: 'p-peer',
      name: 'Peer',
      role: 'interviewer',
    })
    await new Promise((resolve) => setImmediate(resolve))

    ownerConnection.receive(awarenessFrame(11, 1, '{"selection":1}'))
    expect(awarenessEntries(peer.frames).map(([id, clock]) => [id, clock])).toEqual([[11, 1]])

    // The peer's provider echoes what it received (same clock): nothing changes, nothing is sent,
    // and the bytes are not even decoded — an echo carrying anything else is dropped just the same.
    const sentToOwner = owner.frames.length
    peerConnection.receive(awarenessFrame(11, 1, '{"selection":2}'))
    peerConnection.receive(awarenessFrame(11, 1, 'not json'))
    expect(owner.frames.length).toBe(sentToOwner)
    expect(peer.closedWith()).toBeNull()
    const state = manager.isLoaded('echo-room') ? hold.room.awarenessStates().get(11) : undefined
    expect(state).toMatchObject({ selection: 1 })

    // A removal at the same clock is a real change (y-protocols' "this client left").
    ownerConnection.receive(awarenessFrame(11, 1, ' null '))
    expect(awarenessEntries(peer.frames).at(-1)).toEqual([11, 1, 'null'])

    // A newer clock must be read, and a state that is not a JSON object closes its sender.
    ownerConnection.receive(awarenessFrame(11, 2, 'not json'))
    expect(owner.closedWith()).toBe(CollabCloseCode.badMessage)
    expect(peer.closedWith()).toBeNull()
  })

  it('writes every dirty document in a flush, however many rooms changed at once', async () => {
    const { manager, store } = startManager()
    const ids = Array.from({ length: 70 }, (_, i) => `flush-room-${i}`)
    const holds = await Promise.all(ids.map((id) => manager.acquire(id)))
    defer(() => {
      for (const hold of holds) hold.release()
    })
    // Seeding writes to every room in the same tick: more documents than one transaction takes.
    holds.forEach((hold, i) => hold.room.seedFile(mainFile, `room ${i}\n`))
    // The rooms stay loaded: what reaches the store comes from the flush tick.
    const stored = async (id: string): Promise<boolean> => {
      const doc = await store.docs.load({ interviewId: id, doc: 'code' })
      return doc.updates.length > 0 || doc.snapshot !== null
    }
    await waitFor(
      async () => (await Promise.all(ids.map(stored))).every(Boolean),
      'every room written',
    )
    expect(ids.every((id) => manager.isLoaded(id))).toBe(true)
    expect(manager.stats().unwrittenDocs).toBe(0)
  })
})
