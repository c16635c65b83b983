/**
 * Room lifecycle hooks: what persistence and the timeline are built on, observed from a hook of
 * our own beside them on a real server with stock providers.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { collabRoomName, docFilesKey, type DocRef } from '../../protocol/collab.ts'
import type { DocOrigin } from '../../server/collab/origins.ts'
import type { RoomHooks } from '../../server/collab/RoomManager.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { collabScope, mainFile, whenEditable } from './collabHarness.ts'

const { setup, provider } = collabScope()

interface Seen {
  kind: 'afterLoad' | 'update' | 'join' | 'leave' | 'beforeUnload'
  doc: DocRef['doc']
  origin?: DocOrigin
  text?: string | null
}

function recorder(): { hooks: RoomHooks; seen: Seen[] } {
  const seen: Seen[] = []
  const hooks: RoomHooks = {
    afterLoad: ({ ref, room }) => {
      seen.push({ kind: 'afterLoad', doc: ref.doc, text: room.readFile(mainFile) })
    },
    onUpdate: ({ ref, origin }) => seen.push({ kind: 'update', doc: ref.doc, origin }),
    onJoin: ({ ref }) => seen.push({ kind: 'join', doc: ref.doc }),
    onLeave: ({ ref }) => seen.push({ kind: 'leave', doc: ref.doc }),
    beforeUnload: ({ ref, final }) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, final.state)
      const text = doc.getMap(docFilesKey).get(mainFile)
      seen.push({
        kind: 'beforeUnload',
        doc: ref.doc,
        text: text instanceof Y.Text ? text.toJSON() : null,
      })
    },
  }
  return { hooks, seen }
}

describe('room lifecycle hooks', () => {
  it('calls afterLoad, onUpdate with the typed origin, onJoin, onLeave and beforeUnload, in order', async () => {
    const { hooks, seen } = recorder()
    const { harness, fixture } = await setup({ hooks: [hooks] })
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'notes' }
    const notes = provider(
      harness.url,
      collabRoomName(ref.interviewId, 'notes'),
      fixture.tokens.interviewer,
    )
    const text = await whenEditable(notes)
    text.insert(0, 'asked about edge cases')
    await waitFor(() => seen.some((s) => s.origin?.source === 'peer'), 'the edit reached the hook')
    notes.destroy()
    await waitFor(() => seen.some((s) => s.kind === 'beforeUnload'), 'the room unloaded')

    const participants = await harness.store.participants.listForInterview(ref.interviewId)
    const interviewer = participants.find((p) => p.role === 'interviewer')
    expect(seen.map((s) => s.kind)).toEqual([
      'update',
      'afterLoad',
      'join',
      'update',
      'leave',
      'beforeUnload',
    ])
    // The harness seeds in its onLoad, which runs before ours: the seed is a server write.
    expect(seen[0]).toEqual({
      kind: 'update',
      doc: 'notes',
      origin: { source: 'server', reason: 'seed' },
    })
    expect(seen[1]).toEqual({ kind: 'afterLoad', doc: 'notes', text: '' })
    expect(seen[3]?.origin).toMatchObject({
      source: 'peer',
      participantId: interviewer?.id,
      role: 'interviewer',
    })
    expect(seen.at(-1)).toEqual({
      kind: 'beforeUnload',
      doc: 'notes',
      text: 'asked about edge cases',
    })
  })

  it('keeps the room and its persistence going when a hook throws', async () => {
    const throwing: RoomHooks = {
      onUpdate: () => {
        throw new Error('a broken hook')
      },
      onJoin: () => {
        throw new Error('a broken hook')
      },
    }
    const { harness, fixture } = await setup({ hooks: [throwing] })
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'code' }
    const a = provider(
      harness.url,
      collabRoomName(ref.interviewId, 'code'),
      fixture.tokens.candidate,
    )
    const b = provider(
      harness.url,
      collabRoomName(ref.interviewId, 'code'),
      fixture.tokens.interviewer,
    )
    const textA = await whenEditable(a)
    const textB = await whenEditable(b)
    textA.insert(0, 'still shared')
    await waitFor(() => textB.toJSON() === 'still shared', 'b sees the edit')
    await waitFor(async () => {
      const stored = await harness.store.docs.load(ref)
      const doc = new Y.Doc()
      for (const update of [stored.snapshot, ...stored.updates])
        if (update !== null) Y.applyUpdate(doc, update)
      const text = doc.getMap(docFilesKey).get(mainFile)
      return text instanceof Y.Text && text.toJSON() === 'still shared'
    }, 'the edit is stored')
  })
})
