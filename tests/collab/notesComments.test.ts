/**
 * Line comments: kept in the interviewers' notes document, anchored into the code document with
 * Yjs relative positions, and resolved by the server (server/notes/resolveComments.ts) to the
 * lines and code they point at. Real server, real SQLite, stock y-websocket providers; the last
 * case runs the whole Tandem server and reads every channel a candidate has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { collabRoomName, docFilesKey, solutionPath } from '../../protocol/collab.ts'
import {
  anchorOf,
  notesCommentsKey,
  notesTextKey,
  readComments,
  type NoteComment,
} from '../../protocol/notes.ts'
import { resolveComments, resolveCommentsAt } from '../../server/notes/resolveComments.ts'
import { openInterview, setUpInterviewer } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, waitForSync } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { collabScope, mainFile, readText, whenEditable } from './collabHarness.ts'

const { setup, provider } = collabScope()

const source = 'function add(a, b) {\n  return a + b\n}\n'

/** A comment on `[from, to)` of `text`, as the notes pane writes it. */
function comment(text: Y.Text, range: { from: number; to: number }, body: string): NoteComment {
  return {
    id: `c-${body.length}-${range.from}`,
    path: mainFile,
    anchor: anchorOf(text, range.from, range.to),
    quote: text.toJSON().slice(range.from, range.to),
    text: body,
    author: { participantId: 'p-ada', name: 'Ada Interviewer' },
    createdAt: new Date().toISOString(),
    resolved: null,
  }
}

async function openRooms() {
  const { harness, fixture } = await setup()
  const id = fixture.interviewId
  const { interviewer, candidate } = fixture.tokens
  // The commenting interviewer has both documents open, as in the room; the other reads both.
  const adaCode = provider(harness.url, collabRoomName(id, 'code'), interviewer)
  const adaNotes = provider(harness.url, collabRoomName(id, 'notes'), interviewer)
  const bobCode = provider(harness.url, collabRoomName(id, 'code'), interviewer)
  const bobNotes = provider(harness.url, collabRoomName(id, 'notes'), interviewer)
  const typist = provider(harness.url, collabRoomName(id, 'code'), candidate)
  const typed = await whenEditable(typist)
  typed.insert(0, source)
  await waitFor(() => readText(adaCode.doc) === source, 'the code reaches the interviewer')
  await Promise.all([whenEditable(bobCode), whenEditable(adaNotes), whenEditable(bobNotes)])
  return { harness, id, adaCode, adaNotes, bobCode, bobNotes, typed }
}

function commentsOf(notes: WebsocketProvider): Y.Map<unknown> {
  return notes.doc.getMap(notesCommentsKey)
}

describe('line comments', () => {
  it('stay on the commented code while another client inserts and deletes before and inside it', async () => {
    const { adaCode, adaNotes, bobCode, bobNotes, typed } = await openRooms()
    const code = adaCode.doc.getMap<Y.Text>(docFilesKey).get(mainFile) as Y.Text
    const from = source.indexOf('return')
    const made = comment(code, { from, to: from + 'return a + b'.length }, 'no overflow check')
    commentsOf(adaNotes).set(made.id, made)

    // The candidate edits around and inside it: a line above, a word inside, text just before
    // and just after the selection (which stays outside it), and a deletion of its first word.
    typed.insert(0, '// adds two numbers\n')
    typed.insert(typed.toJSON().indexOf('return a') + 'return a'.length, ' * 2')
    typed.insert(typed.toJSON().indexOf('return'), 'x;')
    typed.insert(typed.toJSON().indexOf('+ b') + '+ b'.length, ';')
    typed.delete(typed.toJSON().indexOf('return '), 'return '.length)
    const expected = '// adds two numbers\nfunction add(a, b) {\n  x;a * 2 + b;\n}\n'
    await waitFor(() => readText(bobCode.doc) === expected, 'the edits reach the other interviewer')
    await waitFor(() => readComments(bobNotes.doc).length === 1, 'the comment reaches them')

    const [resolved] = resolveComments({ notes: bobNotes.doc, code: bobCode.doc })
    expect(resolved).toMatchObject({
      status: 'anchored',
      lines: { start: 3, end: 3 },
      excerpt: 'a * 2 + b',
    })
    expect(resolved?.comment.quote).toBe('return a + b')
    // The code document holds code only: no comment, no anchor, no quote.
    const codeBytes = Buffer.from(Y.encodeStateAsUpdate(bobCode.doc)).toString('latin1')
    expect(codeBytes).not.toContain('no overflow check')
    expect([...bobCode.doc.share.keys()]).toEqual([docFilesKey])
  })

  it('spans the lines it was made on, and keeps where it stood when all of it is deleted', async () => {
    const { adaCode, adaNotes, bobCode, bobNotes, typed } = await openRooms()
    const code = adaCode.doc.getMap<Y.Text>(docFilesKey).get(mainFile) as Y.Text
    // The whole body, newline included: a selection ending at a line start ends on the line before.
    const from = source.indexOf('{') + 1
    const spanning = comment(code, { from, to: source.indexOf('}') }, 'body is one line')
    const inner = source.indexOf('a + b')
    const gone = comment(code, { from: inner, to: inner + 'a + b'.length }, 'sum')
    commentsOf(adaNotes).set(spanning.id, spanning)
    commentsOf(adaNotes).set(gone.id, gone)

    typed.delete(typed.toJSON().indexOf('a + b'), 'a + b'.length)
    typed.insert(typed.toJSON().indexOf('return ') + 'return '.length, 'b + a')
    await waitFor(() => readText(bobCode.doc)?.includes('b + a') === true, 'the rewrite arrives')
    await waitFor(() => readComments(bobNotes.doc).length === 2, 'both comments arrive')

    const byText = new Map(
      resolveComments({ notes: bobNotes.doc, code: bobCode.doc }).map((r) => [r.comment.text, r]),
    )
    expect(byText.get('body is one line')).toMatchObject({
      status: 'anchored',
      lines: { start: 1, end: 2 },
      excerpt: '\n  return b + a\n',
    })
    // Inserted where the deleted text stood, the new code is not what was commented on.
    expect(byText.get('sum')).toMatchObject({ status: 'deleted', lines: { start: 2, end: 2 } })
    expect(byText.get('sum')?.comment.quote).toBe('a + b')
  })

  it('resolve at a moment from the store: absent before the comment was made, on its lines after', async () => {
    const { harness, id, adaCode, adaNotes, typed } = await openRooms()
    const code = adaCode.doc.getMap<Y.Text>(docFilesKey).get(mainFile) as Y.Text
    await waitFor(async () => {
      const stored = await harness.store.docs.load({ interviewId: id, doc: 'code' })
      return stored.updates.length > 0
    }, 'the code is stored')
    const before = Date.now()
    await waitFor(() => Date.now() > before, 'the clock to move on')
    const from = source.indexOf('return')
    const made = comment(code, { from, to: from + 'return'.length }, 'early return')
    commentsOf(adaNotes).set(made.id, made)
    adaNotes.doc.getText(notesTextKey).insert(0, '[0:42] reads the task twice\n')
    typed.insert(0, '\n\n')
    await waitFor(async () => {
      const resolved = await resolveCommentsAt(harness.store, { interviewId: id, at: Date.now() })
      return resolved[0]?.lines?.start === 4
    }, 'the comment and the later edit are stored')

    expect(await resolveCommentsAt(harness.store, { interviewId: id, at: before })).toEqual([])
    const now = await resolveCommentsAt(harness.store, { interviewId: id, at: Date.now() })
    expect(now).toMatchObject([{ status: 'anchored', excerpt: 'return', lines: { start: 4 } }])
  })

  it('skips an entry another browser wrote that is no comment, and resolves the rest', async () => {
    const { adaCode, adaNotes, bobCode, bobNotes } = await openRooms()
    const code = adaCode.doc.getMap<Y.Text>(docFilesKey).get(mainFile) as Y.Text
    commentsOf(adaNotes).set('junk', { id: 'junk', text: 42 })
    commentsOf(adaNotes).set('bad-anchor', {
      ...comment(code, { from: 0, to: 8 }, 'bad anchor'),
      id: 'bad-anchor',
      anchor: { start: '!!!', end: 'AAAA' },
    })
    const good = comment(code, { from: 0, to: 'function'.length }, 'naming')
    commentsOf(adaNotes).set(good.id, good)
    await waitFor(() => commentsOf(bobNotes).size === 3, 'all three entries arrive')

    const resolved = resolveComments({ notes: bobNotes.doc, code: bobCode.doc })
    expect(resolved.map((r) => [r.comment.text, r.status])).toEqual([
      ['bad anchor', 'absent'],
      ['naming', 'anchored'],
    ])
  })
})

describe('notes and comments on the candidate’s channels', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.cleanup()
  })

  it('never reach the candidate: not in the code document, not in any socket.io event', async () => {
    const { api } = await setUpInterviewer(server.url)
    const { interview, interviewer, candidate } = await openInterview(api, 'two-sum', 'javascript')
    const marker = 'qznote-'
    const watcher = await connectRoom(server.url, candidate.participantToken)
    const candidateCode = connectDoc(
      server.url,
      collabRoomName(interview.id, 'code'),
      candidate.participantToken,
    )
    const code = connectDoc(
      server.url,
      collabRoomName(interview.id, 'code'),
      interviewer.participantToken,
    )
    const notes = connectDoc(
      server.url,
      collabRoomName(interview.id, 'notes'),
      interviewer.participantToken,
    )
    try {
      await Promise.all([candidateCode, code, notes].map((d) => waitForSync(d.provider)))
      const path = solutionPath('two-sum', 'javascript')
      const files = code.doc.getMap<Y.Text>(docFilesKey)
      await waitFor(() => files.has(path), 'the seeded solution')
      const text = files.get(path) as Y.Text
      notes.provider.awareness.setLocalStateField('selection', { note: `${marker}caret` })
      notes.doc.getText(notesTextKey).insert(0, `[1:05] ${marker}note hesitates on maps\n`)
      const made = { ...comment(text, { from: 0, to: 8 }, `${marker}comment`), path }
      notes.doc.getMap(notesCommentsKey).set(made.id, made)
      const observer = connectDoc(
        server.url,
        collabRoomName(interview.id, 'notes'),
        interviewer.participantToken,
      )
      await waitForSync(observer.provider)
      await waitFor(
        () => readComments(observer.doc).length === 1,
        'the notes reach the server and another interviewer',
      )
      observer.provider.destroy()
      // Something the candidate does hear after the notes were written: a language switch.
      expect(await ask(watcher.socket, 'language:set', { language: 'python' })).toMatchObject({
        ok: true,
      })
      await waitFor(
        () => watcher.states.some((state) => state.language === 'python'),
        'the candidate hears the switch',
      )

      const heard = JSON.stringify({
        states: watcher.states,
        notices: watcher.notices,
        events: watcher.events,
        history: watcher.history,
      })
      expect(heard).not.toContain(marker)
      const replica = Buffer.from(Y.encodeStateAsUpdate(candidateCode.doc)).toString('latin1')
      expect(replica).not.toContain(marker)
      const presence = JSON.stringify([...candidateCode.provider.awareness.getStates().values()])
      expect(presence).not.toContain(marker)
    } finally {
      watcher.close()
      for (const { provider: opened } of [candidateCode, code, notes]) opened.destroy()
    }
  })
})
