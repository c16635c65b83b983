import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CollabCloseCode } from '../../protocol/collab.ts'
import type { CollabSocket } from '../../server/collab/CollabSocket.ts'
import { RoomManager } from '../../server/collab/RoomManager.ts'
import { openMemoryStore } from '../../server/store/SqliteStore.ts'
import {
  fileText,
  logger,
  mainFile,
  readText,
  seededRandom,
  updateFrame,
  whenEditable,
  collabScope,
} from './collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const { defer, provider, raw, setup } = collabScope()

/** Two synced providers A and B; returns a check that A's edits still reach B. */
async function twoEditors(
  url: string,
  interviewId: string,
  tokens: { interviewer: string; candidate: string },
) {
  const a = provider(url, interviewId, tokens.interviewer)
  const b = provider(url, interviewId, tokens.candidate)
  const textA = await whenEditable(a)
  await whenEditable(b)
  let n = 0
  return {
    a,
    b,
    async stillSyncing(): Promise<void> {
      const mark = `<${++n}>`
      textA.insert(textA.length, mark)
      await waitFor(() => readText(b.doc)?.includes(mark) === true, `edit ${mark} reaches b`)
    },
  }
}

/**
 * An update whose items hang off content the server has never seen (client 424242's), so Yjs
 * parks it as "pending structs" forever. Growing that buffer was a memory leak in the reference
 * server; here it is bounded.
 */
function orphanUpdate(size: number): Uint8Array {
  const ghost = new Y.Doc()
  ghost.clientID = 424242
  ghost.getMap('files').set('ghost.js', new Y.Text('ghost'))
  const orphan = new Y.Doc()
  Y.applyUpdate(orphan, Y.encodeStateAsUpdate(ghost))
  const before = Y.encodeStateVector(orphan)
  ;(orphan.getMap('files').get('ghost.js') as Y.Text).insert(5, 'x'.repeat(size))
  return Y.encodeStateAsUpdate(orphan, before)
}

describe('collaboration robustness', () => {
  it('closes only the socket that sends garbage bytes, with badMessage, while others keep syncing', async () => {
    const { harness, fixture } = await setup()
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)
    const garbage = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await garbage.opened
    // A sync update whose length field points past the end of the frame.
    garbage.send(Uint8Array.of(0, 2, 50, 1, 2, 3))
    expect((await garbage.closed).code).toBe(CollabCloseCode.badMessage)
    await editors.stillSyncing()
  })

  it('closes a socket whose update Yjs rejects, with badMessage', async () => {
    const { harness, fixture } = await setup()
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)
    const bad = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await bad.opened
    // One struct of client 5 whose content is cut off: a well-formed frame Yjs cannot read.
    bad.send(updateFrame(Uint8Array.of(1, 1, 5, 0, 15)))
    expect((await bad.closed).code).toBe(CollabCloseCode.badMessage)
    await editors.stillSyncing()
  })

  it('closes a socket that sends a frame over the size cap with tooLarge', async () => {
    const { harness, fixture } = await setup()
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)
    const big = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await big.opened
    const frame = new Uint8Array(harness.manager.limits.maxFrameBytes + 100)
    frame.set([0, 2])
    big.send(frame)
    expect((await big.closed).code).toBe(CollabCloseCode.tooLarge)
    await editors.stillSyncing()
  })

  it('drops a peer that stops answering pings, and keeps the others', async () => {
    const { harness, fixture } = await setup({ heartbeatMs: 50 })
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)
    const silent = raw(harness.url, fixture.interviewId, fixture.tokens.candidate, {
      autoPong: false,
    })
    await silent.opened
    // Terminated without a closing handshake: the client sees an abnormal close.
    expect((await silent.closed).code).toBe(1006)
    await editors.stillSyncing()
  })

  it('closes a socket that floods sync requests (each costs a whole-document encode)', async () => {
    const { harness, fixture } = await setup()
    const flood = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await flood.opened
    for (let i = 0; i <= harness.manager.limits.syncRequestBurst; i++) {
      flood.send(Uint8Array.of(0, 0, 0))
    }
    expect((await flood.closed).code).toBe(CollabCloseCode.badMessage)
  })

  it('closes a socket that sends a text frame with badMessage', async () => {
    const { harness, fixture } = await setup()
    const text = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await text.opened
    text.ws.send('hello')
    expect((await text.closed).code).toBe(CollabCloseCode.badMessage)
  })

  it('refuses an edit that would grow the document past its cap, and keeps the room working', async () => {
    const { harness, fixture } = await setup({ limits: { maxDocBytes: 32 * 1024 } })
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)
    const greedy = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const text = await whenEditable(greedy)
    const closed = new Promise<number>((resolve) =>
      greedy.on('closed', ({ code }) => resolve(code)),
    )
    text.insert(0, 'y'.repeat(40 * 1024))
    expect(await closed).toBe(CollabCloseCode.tooLarge)
    await editors.stillSyncing()
    expect(readText(editors.b.doc)).not.toContain('yyyy')
  })

  it('bounds updates waiting for content that never arrives (pending structs) and never passes them on', async () => {
    const { harness, fixture } = await setup()
    const editors = await twoEditors(harness.url, fixture.interviewId, fixture.tokens)

    // A small orphan is held back, but neither broadcast nor sent to a peer that joins later.
    const small = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await small.opened
    small.send(updateFrame(orphanUpdate(10)))
    await editors.stillSyncing()
    const held = await harness.manager.withRoom(
      fixture.interviewId,
      (room) => room.hasPendingUpdates,
    )
    expect(held).toBe(true)
    const latecomer = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(latecomer)
    expect(latecomer.doc.store.pendingStructs).toBeNull()
    expect(fileText(latecomer.doc, 'ghost.js')).toBeNull()

    // A large one closes its sender; the room drops it and goes on.
    const large = raw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await large.opened
    large.send(updateFrame(orphanUpdate(harness.manager.limits.maxPendingBytes)))
    expect((await large.closed).code).toBe(CollabCloseCode.badMessage)
    await editors.stillSyncing()
    const pending = await harness.manager.withRoom(
      fixture.interviewId,
      (room) => room.hasPendingUpdates,
    )
    expect(pending).toBe(false)
  })
})

describe('collaboration room under random frames', () => {
  it('closes each connection that sends a bad frame and nothing else (seeded fuzz, no transport)', async () => {
    const store = openMemoryStore()
    const manager = new RoomManager({ store, logger, roomIdleMs: 0, docFlushMs: 10 })
    defer(async () => {
      await manager.close()
      await store.close()
    })
    const interviewId = 'fuzz-room'
    const hold = await manager.acquire(interviewId)
    hold.room.seedFile(mainFile, 'seed\n')
    defer(() => hold.release())

    /** An in-memory socket: the room does not know its transport. */
    const socket = () => {
      const state = { closedWith: null as number | null, frames: 0 }
      const collabSocket: CollabSocket = {
        send: () => {
          state.frames++
        },
        close: (code) => {
          state.closedWith = code
        },
      }
      return { state, collabSocket }
    }
    const identity = { participantId: 'p1', name: 'Fuzzer', role: 'candidate' as const }
    const random = seededRandom(7)
    const byte = (): number => Math.floor(random() * 256)
    const bytes = (length: number): number[] => Array.from({ length }, byte)
    /** Random bytes, mostly behind a plausible header so they reach the deeper decoders. */
    const randomFrame = (): Uint8Array => {
      const body = bytes(1 + Math.floor(random() * 40))
      switch (Math.floor(random() * 4)) {
        case 0:
          return Uint8Array.from(body)
        case 1: // sync step 1, 2 or update with a matching length
          return Uint8Array.from([0, Math.floor(random() * 3), body.length, ...body])
        case 2: // awareness with one entry of random bytes
          return Uint8Array.from([1, body.length + 1, 1, ...body])
        default: // awareness with a well-formed entry whose state is random text
          return Uint8Array.from([1, body.length + 4, 1, 7, 1, body.length, ...body])
      }
    }
    let closedCount = 0
    for (let i = 0; i < 2000; i++) {
      const { state, collabSocket } = socket()
      const connection = manager.connect(interviewId, collabSocket, identity)
      await new Promise((resolve) => setImmediate(resolve))
      expect(state.frames).toBeGreaterThan(0)
      connection.receive(randomFrame())
      if (state.closedWith !== null) {
        expect([CollabCloseCode.badMessage, CollabCloseCode.tooLarge]).toContain(state.closedWith)
        closedCount++
      }
      connection.transportClosed()
    }
    expect(closedCount).toBeGreaterThan(1000)
    // The room survived: a fresh peer still gets the document and the text is intact.
    expect(hold.room.readFile(mainFile)).toMatch(/^seed\n/)
    expect(manager.stats().connections).toBe(0)
  })
})
