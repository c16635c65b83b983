import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CollabCloseCode, docFilesKey } from '../../protocol/collab.ts'
import type { Room } from '../../server/collab/Room.ts'
import { RoomManager } from '../../server/collab/RoomManager.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import {
  connectProvider,
  connectRaw,
  createFixture,
  logger,
  mainFile,
  makeTempDir,
  readText,
  sleep,
  startHarness,
  startWithFixture,
  syncKind,
  updateFrame,
  whenEditable,
  collabScope,
} from './collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const { defer, provider } = collabScope()

/** The document as replay would rebuild it from the store's update log. */
async function textInTimeline(store: Store, interviewId: string): Promise<string | null> {
  const doc = new Y.Doc()
  for (const { update } of await store.docs.timeline({ interviewId: interviewId, doc: 'code' }))
    Y.applyUpdate(doc, update)
  const text = doc.getMap(docFilesKey).get(mainFile)
  return text instanceof Y.Text ? text.toJSON() : null
}

const starter = 'function solve(input) {\n  // your code\n}\n'
const seedStarter = ({ room }: { room: Room }): void => {
  room.seedFile(mainFile, starter)
}

describe('collaboration persistence', () => {
  it('keeps the document across a restart without duplicating the starter or the text', async () => {
    const temp = await makeTempDir()
    defer(temp.remove)
    let store = openSqliteStore(temp.dir)
    const fixture = await createFixture(store)
    let harness = await startHarness({ store, onLoad: seedStarter })
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const textA = await whenEditable(a)
    await whenEditable(b)
    textA.insert(0, '// before restart\n')
    await waitFor(() => readText(b.doc) === textA.toJSON(), 'b synced')

    // Restart: close the adapter, the manager (which flushes) and the store; reopen on the same dir.
    await harness.close()
    await store.close()
    textA.insert(textA.length, '// typed while the server was down\n')
    store = openSqliteStore(temp.dir)
    harness = await startHarness({ store, onLoad: seedStarter })
    const restarted = harness
    const reopened = store
    defer(async () => {
      await restarted.close()
      await reopened.close()
    })
    // The providers keep retrying the old address; point them at the new one.
    a.serverUrl = harness.url
    b.serverUrl = harness.url

    const expected = `// before restart\n${starter}// typed while the server was down\n`
    await waitFor(() => readText(a.doc) === expected && readText(b.doc) === expected, 'resynced')
    const c = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(c)
    await waitFor(() => readText(c.doc) === expected, 'latecomer')
    const onServer = await harness.manager.withRoom(fixture.interviewId, (room) => {
      expect(room.seedFile(mainFile, starter)).toBe(false)
      return room.readFile(mainFile)
    })
    expect(onServer).toBe(expected)
    expect(onServer?.split('your code')).toHaveLength(2)
  })

  it('writes updates to the store within the flush interval while the room stays loaded', async () => {
    const started = await startWithFixture({ docFlushMs: 50, roomIdleMs: 60_000 })
    defer(started.close)
    const { harness, fixture } = started
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const text = await whenEditable(a)
    text.insert(0, 'persist me')
    await waitFor(
      async () => (await textInTimeline(harness.store, fixture.interviewId)) === 'persist me',
      'update in the store',
    )
    expect(harness.manager.isLoaded(fixture.interviewId)).toBe(true)
  })

  it('unloads a room after the grace period once everyone left, and not while someone holds it', async () => {
    const started = await startWithFixture({ roomIdleMs: 100 })
    defer(started.close)
    const { harness, fixture } = started
    const a = connectProvider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const text = await whenEditable(a)
    text.insert(0, 'held')
    const hold = await harness.manager.acquire(fixture.interviewId)
    a.destroy()
    await waitFor(() => harness.manager.stats().connections === 0, 'connection gone')
    await sleep(500)
    expect(harness.manager.isLoaded(fixture.interviewId)).toBe(true)
    await waitFor(() => hold.room.readFile(mainFile) === 'held', 'edit reached the room')

    hold.release()
    hold.release() // idempotent: must not release someone else's hold
    await waitFor(() => !harness.manager.isLoaded(fixture.interviewId), 'room unloaded')
    await waitFor(() => harness.manager.stats().unwrittenDocs === 0, 'writes done')
    expect(harness.manager.stats()).toEqual({
      rooms: 0,
      loading: 0,
      connections: 0,
      unwrittenDocs: 0,
    })
    expect(await textInTimeline(harness.store, fixture.interviewId)).toBe('held')
    // Unloading wrote a snapshot, so the next load reads one blob.
    const stored = await harness.store.docs.load({ interviewId: fixture.interviewId, doc: 'code' })
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates).toHaveLength(0)
  })

  it('queues frames that arrive while the document loads and applies them after', async () => {
    const temp = await makeTempDir()
    defer(temp.remove)
    const real = openSqliteStore(temp.dir)
    const fixture = await createFixture(real)
    // The real store, with loads held until `release` is called.
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: Store = {
      ...real,
      docs: { ...real.docs, load: async (id) => gate.then(() => real.docs.load(id)) },
    }
    const harness = await startHarness({
      store: slow,
      onLoad: ({ room }) => {
        room.seedFile(mainFile, '')
        room.seedFile('early.js', '')
      },
    })
    defer(async () => {
      await harness.close()
      await real.close()
    })
    const early = connectRaw(harness.url, fixture.interviewId, fixture.tokens.candidate)
    defer(() => early.ws.terminate())
    await early.opened
    // Nothing is said before the load, but the client may already speak: it creates a file.
    expect(early.frames).toHaveLength(0)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getMap(docFilesKey).set('queued.js', new Y.Text('sent while loading'))
    early.send(updateFrame(updates[0] as Uint8Array))
    release()

    const b = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    await whenEditable(b)
    await waitFor(
      () => readText(b.doc, 'queued.js') === 'sent while loading',
      'queued frame applied',
    )
    expect(syncKind(early.frames[0] as Uint8Array)).toBe(0)
  })

  it('loads a room once for concurrent acquires', async () => {
    const temp = await makeTempDir()
    defer(temp.remove)
    const store = openSqliteStore(temp.dir)
    let loads = 0
    const manager = new RoomManager({
      store,
      logger,
      roomIdleMs: 0,
      docFlushMs: 20,
      onLoad: () => {
        loads++
      },
    })
    defer(async () => {
      await manager.close()
      await store.close()
    })
    const holds = await Promise.all(Array.from({ length: 10 }, () => manager.acquire('same-room')))
    expect(loads).toBe(1)
    expect(new Set(holds.map((hold) => hold.room)).size).toBe(1)
    for (const hold of holds) hold.release()
    expect(manager.stats().rooms).toBe(0)
  })

  it('retries a failing store without losing buffered updates', async () => {
    const temp = await makeTempDir()
    defer(temp.remove)
    const real = openSqliteStore(temp.dir)
    const fixture = await createFixture(real)
    // The real store, with appends failing while `failing` is set.
    let failing = true
    let failures = 0
    const flaky: Store = {
      ...real,
      docs: {
        ...real.docs,
        append: (interviewId, updates) => {
          if (failing) {
            failures++
            return Promise.reject(new Error('disk full'))
          }
          return real.docs.append(interviewId, updates)
        },
        appendMany: (batches) => {
          if (failing) {
            failures++
            return Promise.reject(new Error('disk full'))
          }
          return real.docs.appendMany(batches)
        },
      },
    }
    const harness = await startHarness({ store: flaky, docFlushMs: 10, roomIdleMs: 60_000 })
    defer(async () => {
      await harness.close()
      await real.close()
    })
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    const text = await whenEditable(a)
    await whenEditable(b)
    text.insert(0, 'first ')
    await waitFor(() => failures >= 2, 'appends failed and were retried')
    text.insert(text.length, 'second')
    await waitFor(() => readText(b.doc) === 'first second', 'editing goes on')

    failing = false
    await waitFor(
      async () => (await textInTimeline(real, fixture.interviewId)) === 'first second',
      'buffered updates written once the store recovers',
    )
  })

  it('writes a snapshot once enough updates piled up, and keeps the update log', async () => {
    const started = await startWithFixture({ docFlushMs: 10, roomIdleMs: 60_000, snapshotEvery: 3 })
    defer(started.close)
    const { harness, fixture } = started
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    const text = await whenEditable(a)
    for (let i = 0; i < 6; i++) {
      text.insert(text.length, `${i}`)
      const count = (
        await harness.store.docs.timeline({ interviewId: fixture.interviewId, doc: 'code' })
      ).length
      await waitFor(
        async () =>
          (await harness.store.docs.timeline({ interviewId: fixture.interviewId, doc: 'code' }))
            .length > count,
        'flushed',
      )
    }
    const stored = await harness.store.docs.load({ interviewId: fixture.interviewId, doc: 'code' })
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(3)
    const fromSnapshot = new Y.Doc()
    Y.applyUpdate(fromSnapshot, Y.mergeUpdates([stored.snapshot as Uint8Array, ...stored.updates]))
    expect(readText(fromSnapshot)).toBe('012345')
    expect(await textInTimeline(harness.store, fixture.interviewId)).toBe('012345')
  })

  it('closes every connection of a closed room with roomClosed, and nothing leaks on shutdown', async () => {
    const started = await startWithFixture()
    const { harness, fixture } = started
    const a = provider(harness.url, fixture.interviewId, fixture.tokens.interviewer)
    await whenEditable(a)
    const closed = new Promise<number>((resolve) => a.on('closed', ({ code }) => resolve(code)))
    expect(harness.manager.closeRoom(fixture.interviewId)).toBe(1)
    expect(await closed).toBe(CollabCloseCode.roomClosed)

    const b = provider(harness.url, fixture.interviewId, fixture.tokens.candidate)
    await whenEditable(b)
    await started.close()
    expect(harness.collab.connectionCount).toBe(0)
    expect(harness.manager.stats()).toEqual({
      rooms: 0,
      loading: 0,
      connections: 0,
      unwrittenDocs: 0,
    })
  })
})
