/**
 * The notes document (`/collab/<interviewId>/notes`, see collab.ts): the interviewers' private
 * notes and their line comments on the code, in one Y.Doc that a candidate's token never opens.
 * Nothing here is ever written into the code document: a comment points into the code with Yjs
 * relative positions, which are stored here, beside the comment.
 *
 * - `notes` (Y.Text): Markdown, edited together by every interviewer. Lines that start with an
 *   interview-clock stamp (`[12:34] `, see `clockStamp`) are the notes of that moment; every
 *   update is also on the timeline with its author and the time the server received it.
 * - `comments` (Y.Map of JSON values, keyed by comment id): one `NoteComment` each. A comment is
 *   replaced whole when it changes (resolved), removed when deleted.
 */
import * as buffer from 'lib0/buffer'
import * as Y from 'yjs'
import { z } from 'zod'

/** Key of the notes' Y.Text in the notes document. */
export const notesTextKey = 'notes'
/** Key of the comments' Y.Map in the notes document. */
export const notesCommentsKey = 'comments'

/** The longest comment text, characters; the pane refuses longer ones. */
export const maxCommentLength = 4000

/**
 * One line comment. Read with `NoteComment.safeParse`: entries come from any interviewer's
 * browser, and one that does not parse is skipped, never trusted.
 */
export const NoteComment = z.strictObject({
  id: z.string().min(1).max(64),
  /** Key of the commented file in the code document's `files` map. */
  path: z.string().min(1).max(300),
  /**
   * Where the comment points, as `Y.encodeRelativePosition` in base64 (`encodeAnchor`), relative
   * to that file's Y.Text in the code document: `start` sticks to the first selected character,
   * `end` to the last, so text typed just outside the selection stays outside.
   */
  anchor: z.strictObject({ start: z.string().min(1).max(200), end: z.string().min(1).max(200) }),
  /** The selected code when the comment was made: shown when the code it pointed at is gone. */
  quote: z.string().max(20_000),
  text: z.string().min(1).max(maxCommentLength),
  author: z.strictObject({ participantId: z.string().min(1), name: z.string() }),
  /** ISO time the comment was made (the author's clock; the timeline has the server's). */
  createdAt: z.iso.datetime(),
  /** Set when an interviewer marks it resolved; resolved comments keep no margin marker. */
  resolved: z
    .strictObject({ participantId: z.string().min(1), name: z.string(), at: z.iso.datetime() })
    .nullable(),
})
export type NoteComment = z.infer<typeof NoteComment>

/** The comments of a notes document that parse, oldest first. */
export function readComments(notes: Y.Doc): NoteComment[] {
  const comments: NoteComment[] = []
  for (const value of notes.getMap<unknown>(notesCommentsKey).values()) {
    const parsed = NoteComment.safeParse(value)
    if (parsed.success) comments.push(parsed.data)
  }
  return comments.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

/**
 * The anchor of `[from, to)` in `text` (offsets in UTF-16 units, as Y.Text and Monaco count). An
 * empty range stays empty.
 */
export function anchorOf(text: Y.Text, from: number, to: number): NoteComment['anchor'] {
  return {
    // assoc 0: attached to the character at `from`, so an insertion at `from` goes before it.
    start: encodeAnchor(Y.createRelativePositionFromTypeIndex(text, from, 0)),
    // assoc -1: attached to the character before `to`, so an insertion at `to` goes after it.
    end: encodeAnchor(Y.createRelativePositionFromTypeIndex(text, Math.max(from, to), -1)),
  }
}

export interface ResolvedRange {
  /** Offsets in the file's text; `from === to` when everything commented was deleted. */
  from: number
  to: number
}

/**
 * Where an anchor points in `text` now, or null when it does not point into `text` in this state
 * of the document (a document from before the comment, another file, a malformed anchor).
 */
export function resolveAnchor(text: Y.Text, anchor: NoteComment['anchor']): ResolvedRange | null {
  const doc = text.doc
  if (doc === null) return null
  const start = decodeAnchor(anchor.start)
  const end = decodeAnchor(anchor.end)
  if (start === null || end === null) return null
  const from = Y.createAbsolutePositionFromRelativePosition(start, doc)
  const to = Y.createAbsolutePositionFromRelativePosition(end, doc)
  if (from === null || to === null || from.type !== text || to.type !== text) return null
  return { from: from.index, to: Math.max(from.index, to.index) }
}

export function encodeAnchor(position: Y.RelativePosition): string {
  return buffer.toBase64(Y.encodeRelativePosition(position))
}

function decodeAnchor(encoded: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(buffer.fromBase64(encoded))
  } catch {
    return null
  }
}

/** The stamp a note starts with: the interview clock, `[m:ss]` or `[h:mm:ss]`. */
export function clockStamp(elapsedMs: number): string {
  const total = Math.max(0, Math.floor(elapsedMs / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const ss = String(total % 60).padStart(2, '0')
  return hours > 0 ? `[${hours}:${String(minutes).padStart(2, '0')}:${ss}]` : `[${minutes}:${ss}]`
}
