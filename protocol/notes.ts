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

/** Key of the notes' Y.Text in the notes document. */
export const notesTextKey = 'notes'
/** Key of the comments' Y.Map in the notes document. */
export const notesCommentsKey = 'comments'

/** The longest comment text, characters; the pane refuses longer ones. */
export const maxCommentLength = 4000

/** One line comment, as stored in `comments`. Read it with `parseNoteComment`. */
export interface NoteComment {
  id: string
  /** Key of the commented file in the code document's `files` map. */
  path: string
  /**
   * Where the comment points, as `Y.encodeRelativePosition` in base64 (`encodeAnchor`), relative
   * to that file's Y.Text in the code document: `start` sticks to the first selected character,
   * `end` to the last, so text typed just outside the selection stays outside.
   */
  anchor: { start: string; end: string }
  /** The selected code when the comment was made: shown when the code it pointed at is gone. */
  quote: string
  /** 1 to `maxCommentLength` characters. */
  text: string
  author: { participantId: string; name: string }
  /** ISO time the comment was made (the author's clock; the timeline has the server's). */
  createdAt: string
  /** Set when an interviewer marks it resolved; resolved comments keep no margin marker. */
  resolved: { participantId: string; name: string; at: string } | null
}

/**
 * A `comments` entry as a NoteComment, or null when it is none. Entries come from any
 * interviewer's browser, so each is checked field by field and one that fails is skipped, never
 * trusted. Hand-written rather than a zod schema: the room's bundle ships no zod
 * (tests/browser/bundle.test.ts), and the web reads comments too.
 */
export function parseNoteComment(value: unknown): NoteComment | null {
  if (!isRecord(value, commentKeys)) return null
  const { id, path, anchor, quote, text, author, createdAt, resolved } = value
  const valid =
    isString(id, 64) &&
    isString(path, 300) &&
    isRecord(anchor, ['start', 'end']) &&
    isString(anchor.start, 200) &&
    isString(anchor.end, 200) &&
    typeof quote === 'string' &&
    quote.length <= maxQuoteLength &&
    isString(text, maxCommentLength) &&
    isPerson(author, ['participantId', 'name']) &&
    isTime(createdAt) &&
    (resolved === null ||
      (isPerson(resolved, ['participantId', 'name', 'at']) && isTime(resolved.at)))
  return valid ? (value as unknown as NoteComment) : null
}

const commentKeys = ['id', 'path', 'anchor', 'quote', 'text', 'author', 'createdAt', 'resolved']
/** The longest quote kept with a comment, characters. */
export const maxQuoteLength = 20_000

function isRecord(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const own = Object.keys(value)
  // Strict: exactly these keys, as the protocol's schemas are.
  return own.length === keys.length && keys.every((key) => own.includes(key))
}

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max
}

function isPerson(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  return (
    isRecord(value, keys) &&
    isString(value.participantId, 64) &&
    typeof value.name === 'string' &&
    value.name.length <= 200
  )
}

function isTime(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value))
}

/** The comments of a notes document that parse, oldest first. */
export function readComments(notes: Y.Doc): NoteComment[] {
  const comments: NoteComment[] = []
  for (const value of notes.getMap<unknown>(notesCommentsKey).values()) {
    const parsed = parseNoteComment(value)
    if (parsed !== null) comments.push(parsed)
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
