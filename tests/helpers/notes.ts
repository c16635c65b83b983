/**
 * Notes and line comments written as the notes pane writes them: over real y-websocket providers
 * with an interviewer's participant token, into the interview's notes document.
 */
import type * as Y from 'yjs'
import { collabRoomName, docFilesKey } from '../../protocol/collab.ts'
import { anchorOf, notesCommentsKey, notesTextKey, readComments } from '../../protocol/notes.ts'
import { connectDoc, waitForSync } from './clients.ts'
import { waitFor } from './waitFor.ts'

export interface TakeNotes {
  url: string
  interviewId: string
  /** An interviewer's participant token (the notes document refuses a candidate's). */
  token: string
  /** The notes' Markdown, inserted at the start. */
  note: string
  /** A comment on the first line of `path` equal to `line`. */
  comment: { path: string; line: string; text: string; author: string }
}

/** Writes the note and the comment; resolves once a second interviewer's provider has both. */
export async function takeNotes(options: TakeNotes): Promise<void> {
  const { url, interviewId, token, note, comment } = options
  const notesRoom = collabRoomName(interviewId, 'notes')
  const code = connectDoc(url, interviewId, token)
  const notes = connectDoc(url, notesRoom, token)
  const reader = connectDoc(url, notesRoom, token)
  try {
    await Promise.all([code, notes, reader].map((c) => waitForSync(c.provider)))
    const text = code.doc.getMap<Y.Text>(docFilesKey).get(comment.path)
    if (text === undefined) throw new Error(`no file ${comment.path} to comment on`)
    const from = text.toJSON().indexOf(comment.line)
    if (from === -1) throw new Error(`no line "${comment.line}" in ${comment.path}`)
    notes.doc.getText(notesTextKey).insert(0, note)
    notes.doc.getMap(notesCommentsKey).set('c-1', {
      id: 'c-1',
      path: comment.path,
      anchor: anchorOf(text, from, from + comment.line.length),
      quote: comment.line,
      text: comment.text,
      author: { participantId: 'p-notes', name: comment.author },
      createdAt: new Date().toISOString(),
      resolved: null,
    })
    await waitFor(
      () =>
        reader.doc.getText(notesTextKey).toJSON() === note && readComments(reader.doc).length === 1,
      'the notes reach the server',
    )
  } finally {
    for (const c of [code, notes, reader]) c.provider.destroy()
  }
}
