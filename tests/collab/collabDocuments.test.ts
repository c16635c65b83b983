/**
 * Several documents per interview (`code`, `notes`), each its own Y.Doc, store log and awareness;
 * who may open which; read-only connections; and the timeline (authors, times, checkpoints,
 * events) that replay will read. Real server, real SQLite, stock y-websocket providers.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  CollabCloseCode,
  collabParams,
  collabRoomName,
  docFilesKey,
  type DocName,
  type DocRef,
} from '../../protocol/collab.ts'
import { AccessGate } from '../../server/access/AccessGate.ts'
import { AuthService } from '../../server/auth/AuthService.ts'
import type { DocAuthor, Store, StoredDoc } from '../../server/store/Store.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { collabScope, mainFile, readText, whenEditable } from './collabHarness.ts'

const { setup, provider, raw } = collabScope()

/**
 * Sends a WebSocket upgrade for `path` exactly as written (a WebSocket client would normalise
 * `..` and `.` segments first) and reports 'open' or the HTTP status it was refused with.
 */
function attempt(port: number, path: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    })
    request.once('upgrade', (_response, socket) => {
      socket.destroy()
      resolve('open')
    })
    request.once('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.once('error', reject)
    request.end()
  })
}

const query = (token: string): string => new URLSearchParams(collabParams(token)).toString()

/** The text of `main.js` in a stored document state (what replay would show). */
function textOf(stored: StoredDoc): string | null {
  const doc = new Y.Doc()
  for (const update of [...(stored.snapshot === null ? [] : [stored.snapshot]), ...stored.updates])
    Y.applyUpdate(doc, update)
  const text = doc.getMap(docFilesKey).get(mainFile)
  return text instanceof Y.Text ? text.toJSON() : null
}

async function storedText(store: Store, ref: DocRef): Promise<string | null> {
  return textOf(await store.docs.load(ref))
}

/** Waits until the store holds `expected` as the document's text (what a restart would load). */
async function stored(store: Store, ref: DocRef, expected: string): Promise<void> {
  await waitFor(async () => (await storedText(store, ref)) === expected, `stored: ${expected}`)
}

describe('documents of an interview', () => {
  it('keeps the code and notes documents apart: text, store rows and cursors', async () => {
    const { harness, fixture } = await setup()
    const id = fixture.interviewId
    const room = (doc: DocName): string => collabRoomName(id, doc)
    const interviewerCode = provider(harness.url, room('code'), fixture.tokens.interviewer)
    const interviewerNotes = provider(harness.url, room('notes'), fixture.tokens.interviewer)
    const candidateCode = provider(harness.url, room('code'), fixture.tokens.candidate)
    const code = await whenEditable(interviewerCode)
    const notes = await whenEditable(interviewerNotes)
    await whenEditable(candidateCode)

    code.insert(0, 'function solve() {}')
    notes.insert(0, 'Strong on edge cases; ask about complexity')
    interviewerNotes.awareness.setLocalStateField('selection', { inNotes: true })
    await waitFor(
      () => readText(candidateCode.doc) === 'function solve() {}',
      'code reaches the candidate',
    )
    // Each document has its own log in the store.
    await stored(harness.store, { interviewId: id, doc: 'code' }, 'function solve() {}')
    await stored(
      harness.store,
      { interviewId: id, doc: 'notes' },
      'Strong on edge cases; ask about complexity',
    )

    // The candidate's replica of `code` never holds the notes, nor their cursor.
    expect(candidateCode.doc.getMap(docFilesKey).size).toBe(1)
    expect(JSON.stringify(candidateCode.doc.getMap(docFilesKey).toJSON())).not.toContain(
      'edge cases',
    )
    const seenByCandidate = [...candidateCode.awareness.getStates().values()]
    expect(seenByCandidate.some((state) => JSON.stringify(state).includes('inNotes'))).toBe(false)
    // The bare interview path is still the code document (pages loaded before names existed).
    const legacy = provider(harness.url, id, fixture.tokens.candidate)
    await waitFor(() => readText(legacy.doc) === 'function solve() {}', 'legacy path is code')
  })

  it('refuses a candidate the notes document by every spelling, before any WebSocket exists', async () => {
    const { harness, fixture } = await setup()
    const { port } = harness
    const id = fixture.interviewId
    const candidate = query(fixture.tokens.candidate)
    expect(await attempt(port, `/collab/${id}/notes?${candidate}`)).toBe(403)
    // Tricks that a decoding or normalising check might read as another document than it opens.
    for (const path of [
      `/collab/${id}/notes/../code`,
      `/collab/${id}/code/../notes`,
      `/collab/${id}/Notes`,
      `/collab/${id}/NOTES`,
      `/collab/${id}/%6Eotes`,
      `/collab/${id}/notes%2F..%2Fcode`,
      `/collab/${id}%2Fnotes`,
      `/collab/${id}/notes/`,
      `/collab/${id}//notes`,
      `/collab/${id}/notes%00`,
      `/collab/${id}/./notes`,
    ]) {
      expect({ path, status: await attempt(port, `${path}?${candidate}`) }).toEqual({
        path,
        status: 404,
      })
    }
    // A query parameter does not pick the document.
    expect(await attempt(port, `/collab/${id}/notes?${candidate}&doc=code`)).toBe(403)
    expect(harness.manager.stats()).toMatchObject({ connections: 0, rooms: 0, loading: 0 })
    // The interviewer opens it, and the candidate still opens the code.
    expect(await attempt(port, `/collab/${id}/notes?${query(fixture.tokens.interviewer)}`)).toBe(
      'open',
    )
    expect(await attempt(port, `/collab/${id}/code?${candidate}`)).toBe('open')
  })

  it('drops a read-only connection’s edits: never applied, stored or forwarded, and it stays connected', async () => {
    // The policy makes the interviewer of an ended interview a reader of its code. The harness
    // does not make the room itself read-only (the app does, on load), so this is the
    // connection's own flag at work, as for a locked candidate.
    const { harness, fixture } = await setup()
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'code' }
    const name = collabRoomName(ref.interviewId, 'code')
    const writer = provider(harness.url, name, fixture.tokens.candidate)
    const text = await whenEditable(writer)
    text.insert(0, 'base')
    await stored(harness.store, ref, 'base')
    await harness.store.interviews.end(ref.interviewId, new Date().toISOString())

    const reader = provider(harness.url, name, fixture.tokens.interviewer)
    const closes: number[] = []
    reader.on('connection-close', (event) => {
      if (event !== null) closes.push(event.code)
    })
    const readerText = await whenEditable(reader)
    expect(readerText.toJSON()).toBe('base')
    readerText.insert(4, ' + forged')
    // The writer keeps editing and never sees the forged text; the store never gets it.
    text.insert(4, ' and more')
    await waitFor(() => readerText.toJSON().includes(' and more'), 'the reader still syncs')
    await stored(harness.store, ref, 'base and more')
    expect(text.toJSON()).toBe('base and more')
    expect(closes).toEqual([])
    const authors = (await harness.store.docs.timeline(ref)).map((row) => row.author)
    expect(authors.some((a) => a.kind === 'participant' && a.role === 'interviewer')).toBe(false)
    // A fresh replica reads the server's text, without the dropped edit.
    const fresh = provider(harness.url, name, fixture.tokens.interviewer)
    await waitFor(() => readText(fresh.doc) === 'base and more', 'a fresh reader syncs')
  })

  it('reviews access on every document of the interview: a lock makes the candidate’s code read-only, never the interviewers’ notes', async () => {
    const { harness, fixture } = await setup()
    const id = fixture.interviewId
    const gate = new AccessGate({ store: harness.store, auth: new AuthService(harness.store) })
    const candidate = provider(harness.url, collabRoomName(id, 'code'), fixture.tokens.candidate)
    const notes = provider(harness.url, collabRoomName(id, 'notes'), fixture.tokens.interviewer)
    const code = await whenEditable(candidate)
    const notesText = await whenEditable(notes)

    await harness.store.interviews.setLocked(id, true)
    harness.manager.reviewAccess(id, await gate.docAccessOf(id))
    code.insert(0, 'typed under the lock')
    notesText.insert(0, 'noted under the lock')
    await stored(harness.store, { interviewId: id, doc: 'notes' }, 'noted under the lock')
    expect(await storedText(harness.store, { interviewId: id, doc: 'code' })).toBe('')
    expect(candidate.wsconnected && notes.wsconnected).toBe(true)
  })

  // The collab and access slices both left this as a known limit: a client that typed under the
  // lock (not the web client, which goes read-only) kept those edits in its own copy, and its next
  // sync after the unlock (a reconnect is enough) sent them again, and then they were applied.
  it('never applies text typed under a lock, not even when the client resends it after the unlock', async () => {
    const { harness, fixture } = await setup()
    const id = fixture.interviewId
    const ref: DocRef = { interviewId: id, doc: 'code' }
    const gate = new AccessGate({ store: harness.store, auth: new AuthService(harness.store) })
    const name = collabRoomName(id, 'code')
    const candidate = provider(harness.url, name, fixture.tokens.candidate)
    const code = await whenEditable(candidate)
    code.insert(0, 'before ')
    await stored(harness.store, ref, 'before ')

    const interviewer = provider(harness.url, name, fixture.tokens.interviewer)
    await whenEditable(interviewer)

    await harness.store.interviews.setLocked(id, true)
    harness.manager.reviewAccess(id, await gate.docAccessOf(id))
    code.insert(7, 'typed under the lock')
    // Frames of one socket are handled in order: once the interviewer sees this awareness
    // change, the server has had (and dropped) the edit before it.
    candidate.awareness.setLocalStateField('probe', 'after the edit')
    await waitFor(
      () =>
        [...interviewer.awareness.getStates().values()].some(
          (state) => (state as { probe?: unknown }).probe === 'after the edit',
        ),
      'the frame after the edit reached the server',
    )
    await harness.store.interviews.setLocked(id, false)
    harness.manager.reviewAccess(id, await gate.docAccessOf(id))
    // The reconnect's sync sends everything the server lacks: the edit made under the lock.
    candidate.disconnect()
    candidate.connect()
    await waitFor(() => candidate.synced, 'the candidate resynced')
    candidate.awareness.setLocalStateField('probe', 'after the resync')
    await waitFor(
      () =>
        [...interviewer.awareness.getStates().values()].some(
          (state) => (state as { probe?: unknown }).probe === 'after the resync',
        ),
      'the frames after the resync reached the server',
    )
    expect(readText(interviewer.doc)).toBe('before ')
    // A page that reloads (a new Yjs client) edits as usual.
    const reloaded = provider(harness.url, name, fixture.tokens.candidate)
    const fresh = await whenEditable(reloaded)
    fresh.insert(fresh.length, 'after')
    await waitFor(() => readText(interviewer.doc) === 'before after', 'the reloaded edit arrives')
    await stored(harness.store, ref, 'before after')
  })

  it('keeps frame validation on every document: garbage on notes closes that socket only', async () => {
    const { harness, fixture } = await setup()
    const id = fixture.interviewId
    const code = provider(harness.url, collabRoomName(id, 'code'), fixture.tokens.candidate)
    const text = await whenEditable(code)
    const bad = raw(harness.url, collabRoomName(id, 'notes'), fixture.tokens.interviewer)
    await bad.opened
    bad.send(Uint8Array.from([0, 2, 200, 1, 2, 3]))
    expect((await bad.closed).code).toBe(CollabCloseCode.badMessage)
    text.insert(0, 'still editing')
    await stored(harness.store, { interviewId: id, doc: 'code' }, 'still editing')
  })
})

describe('the timeline', () => {
  it('records every update with its author and when the server received it', async () => {
    const { harness, fixture } = await setup()
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'code' }
    const name = collabRoomName(ref.interviewId, 'code')
    const candidate = provider(harness.url, name, fixture.tokens.candidate)
    const interviewer = provider(harness.url, name, fixture.tokens.interviewer)
    const candidateText = await whenEditable(candidate)
    const interviewerText = await whenEditable(interviewer)
    const participants = await harness.store.participants.listForInterview(ref.interviewId)
    const idOf = (role: string): string => participants.find((p) => p.role === role)?.id ?? ''

    const before = Date.now()
    candidateText.insert(0, 'candidate wrote this')
    await waitFor(() => interviewerText.toJSON() === 'candidate wrote this', 'synced')
    interviewerText.insert(interviewerText.length, '; interviewer added this')
    await waitFor(() => candidateText.toJSON().endsWith('added this'), 'synced back')
    await stored(harness.store, ref, 'candidate wrote this; interviewer added this')
    const after = Date.now()

    const rows = await harness.store.docs.timeline(ref)
    const authors = rows.map((row) => row.author)
    const expected: DocAuthor[] = [
      { kind: 'server', reason: 'seed' },
      { kind: 'participant', participantId: idOf('candidate'), role: 'candidate' },
      { kind: 'participant', participantId: idOf('interviewer'), role: 'interviewer' },
    ]
    expect(authors).toEqual(expected)
    const [, byCandidate, byInterviewer] = rows
    expect(byCandidate?.at).toBeGreaterThanOrEqual(before)
    expect(byInterviewer?.at).toBeGreaterThanOrEqual(byCandidate?.at ?? Infinity)
    expect(byInterviewer?.at).toBeLessThanOrEqual(after)
  })

  it('gives the document as it was at a time, across checkpoints and an unload', async () => {
    const { harness, fixture } = await setup({ snapshotEvery: 2 })
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'code' }
    const name = collabRoomName(ref.interviewId, 'code')
    const beforeAll = Date.now() - 1
    const editor = provider(harness.url, name, fixture.tokens.candidate)
    const text = await whenEditable(editor)

    const moments: { at: number; text: string }[] = []
    for (const word of ['one', ' two', ' three', ' four']) {
      text.insert(text.length, word)
      await stored(harness.store, ref, text.toJSON())
      moments.push({ at: Date.now(), text: text.toJSON() })
      // Distinct milliseconds between edits, so each moment is its own point in time.
      await waitFor(() => Date.now() > (moments.at(-1)?.at ?? 0), 'the clock moved')
    }
    // Unloading writes a checkpoint holding everything; earlier times must not see later text.
    editor.destroy()
    await waitFor(() => !harness.manager.isLoaded(ref), 'room unloaded')
    await waitFor(
      async () => (await harness.store.docs.pendingSinceSnapshot(ref)) === 0,
      'checkpoint written',
    )

    expect(textOf(await harness.store.docs.docAt(ref, beforeAll))).toBeNull()
    for (const moment of moments) {
      expect(textOf(await harness.store.docs.docAt(ref, moment.at))).toBe(moment.text)
    }
    expect(textOf(await harness.store.docs.docAt(ref, Date.now()))).toBe('one two three four')
  })

  it('checkpoints a document being edited after a while, however few rows it gained', async () => {
    // Few rows and a checkpoint due after 1 ms: the next flush writes one (the default is 60 s).
    const { harness, fixture } = await setup({ snapshotEvery: 1000, checkpointEveryMs: 1 })
    const ref: DocRef = { interviewId: fixture.interviewId, doc: 'code' }
    const editor = provider(
      harness.url,
      collabRoomName(ref.interviewId, 'code'),
      fixture.tokens.candidate,
    )
    const text = await whenEditable(editor)
    text.insert(0, 'slow typist')
    await stored(harness.store, ref, 'slow typist')
    await waitFor(
      async () => (await harness.store.docs.pendingSinceSnapshot(ref)) === 0,
      'a checkpoint while the room is loaded',
    )
    expect(harness.manager.isLoaded(ref)).toBe(true)
    expect(textOf(await harness.store.docs.docAt(ref, Date.now()))).toBe('slow typist')
  })

  it('records joins and leaves of each document with who they were', async () => {
    const { harness, fixture } = await setup()
    const id = fixture.interviewId
    const notes = provider(harness.url, collabRoomName(id, 'notes'), fixture.tokens.interviewer)
    const code = provider(harness.url, collabRoomName(id, 'code'), fixture.tokens.candidate)
    await whenEditable(notes)
    await whenEditable(code)
    code.destroy()
    const kinds = async (): Promise<string[]> =>
      (await harness.store.events.list(id)).map(({ event }) =>
        event.kind === 'join' || event.kind === 'leave'
          ? `${event.kind} ${event.doc} ${event.role}`
          : event.kind,
      )
    await waitFor(async () => (await kinds()).includes('leave code candidate'), 'leave recorded')
    const recorded = await kinds()
    expect(recorded).toContain('join notes interviewer')
    expect(recorded.indexOf('join code candidate')).toBeLessThan(
      recorded.indexOf('leave code candidate'),
    )
  })
})
