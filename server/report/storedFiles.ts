/**
 * The code document's files as the store holds them: now, or as they stood at a moment (from the
 * nearest checkpoint and the updates after it, never the whole session).
 */
import * as Y from 'yjs'
import { docFilesKey, type DocRef } from '../../protocol/collab.ts'
import type { ReportFile } from '../../protocol/report.ts'
import type { Store, StoredDoc } from '../store/Store.ts'

/** A stored document as a Y.Doc: its snapshot, then the updates after it. The caller destroys it. */
export function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc()
  if (stored.snapshot !== null) Y.applyUpdate(doc, stored.snapshot)
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}

/** Every file of a stored document, by path. */
export function filesOf(stored: StoredDoc): ReportFile[] {
  const doc = docOf(stored)
  const files = doc.getMap<Y.Text>(docFilesKey)
  const out = [...files.entries()]
    .map(([path, text]) => ({ path, content: text.toJSON() }))
    .sort((a, b) => a.path.localeCompare(b.path))
  doc.destroy()
  return out
}

/** The code document's files now, or at `at` (Unix ms) when given. */
export async function storedFiles(
  store: Pick<Store, 'docs'>,
  interviewId: string,
  at?: number,
): Promise<ReportFile[]> {
  const ref: DocRef = { interviewId, doc: 'code' }
  return filesOf(at === undefined ? await store.docs.load(ref) : await store.docs.docAt(ref, at))
}
