/**
 * Line comments as the report and replay show them: each interviewer comment of the notes
 * document resolved against one state of the code document, to the lines and the code it points
 * at then. Pure: the caller picks the states (live rooms, or `store.docs.docAt` for a moment).
 */
import * as Y from 'yjs'
import { docFilesKey, type DocName } from '../../protocol/collab.ts'
import { readComments, resolveAnchor, type NoteComment } from '../../protocol/notes.ts'
import type { Store, StoredDoc } from '../store/Store.ts'

export interface ResolvedComment {
  comment: NoteComment
  /**
   * `anchored`: the commented code is there, at `lines`. `deleted`: everything it pointed at was
   * deleted; `lines` is where it stood. `absent`: the file or the anchor does not exist in this
   * state of the code (a moment before the comment, or a language switched away); no lines.
   */
  status: 'anchored' | 'deleted' | 'absent'
  /** 1-based, inclusive; null when `absent`. */
  lines: { start: number; end: number } | null
  /** The code between the anchors now (empty unless `anchored`); `comment.quote` is what it was. */
  excerpt: string
}

/** Every parseable comment of `notes`, oldest first, resolved against `code`. */
export function resolveComments(docs: { notes: Y.Doc; code: Y.Doc }): ResolvedComment[] {
  const files = docs.code.getMap<unknown>(docFilesKey)
  return readComments(docs.notes).map((comment) => {
    const text = files.get(comment.path)
    const range = text instanceof Y.Text ? resolveAnchor(text, comment.anchor) : null
    if (!(text instanceof Y.Text) || range === null) {
      return { comment, status: 'absent', lines: null, excerpt: '' }
    }
    const content = text.toJSON()
    const excerpt = content.slice(range.from, range.to)
    // A range ending just after a newline ends on that line, not on the next one.
    const last = Math.max(range.from, range.to - 1)
    return {
      comment,
      status: excerpt.length === 0 ? 'deleted' : 'anchored',
      lines: { start: lineAt(content, range.from), end: lineAt(content, last) },
      excerpt,
    }
  })
}

/**
 * The comments as they resolve at `at` (Unix ms): the notes and the code documents both rebuilt
 * from the store as they stood then (a comment made later is not there yet).
 */
export async function resolveCommentsAt(
  store: Store,
  where: { interviewId: string; at: number },
): Promise<ResolvedComment[]> {
  const load = async (doc: DocName): Promise<Y.Doc> =>
    docOf(await store.docs.docAt({ interviewId: where.interviewId, doc }, where.at))
  const [notes, code] = await Promise.all([load('notes'), load('code')])
  try {
    return resolveComments({ notes, code })
  } finally {
    notes.destroy()
    code.destroy()
  }
}

function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc({ gc: false })
  if (stored.snapshot !== null) Y.applyUpdate(doc, stored.snapshot)
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}

/** 1-based line of `offset` in `content`. */
function lineAt(content: string, offset: number): number {
  let line = 1
  for (let index = content.indexOf('\n'); index !== -1 && index < offset;) {
    line += 1
    index = content.indexOf('\n', index + 1)
  }
  return line
}
