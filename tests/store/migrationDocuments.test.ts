/**
 * Interviews stored before documents had names (one log and one snapshot per interview, no
 * authors) keep loading and editing after the migration that introduced documents, checkpoints
 * and events. The old database is built from the migration list as it was before that one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { collabRoomName, docFilesKey, type DocRef } from '../../protocol/collab.ts'
import { hashSecret, newId, newSecret } from '../../server/ids.ts'
import { migrations } from '../../server/store/migrations.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import {
  connectProvider,
  mainFile,
  readText,
  startHarness,
  whenEditable,
} from '../collab/collabHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Where the documents migration sits (found by what it creates: the lead orders migrations). */
const documentsMigration = migrations.findIndex((sql) =>
  sql.includes('CREATE TABLE doc_checkpoints'),
)

/** A Yjs update holding `main.js` with `text`, and the same document's full state. */
function oldDocument(text: string): { first: Uint8Array; later: Uint8Array; state: Uint8Array } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const file = new Y.Text()
  doc.getMap(docFilesKey).set(mainFile, file)
  file.insert(0, text)
  const state = Y.encodeStateAsUpdate(doc)
  file.insert(file.length, ' (after the snapshot)')
  return { first: Y.mergeUpdates(updates.slice(0, 2)), later: updates[2] as Uint8Array, state }
}

/** A database at the schema before the documents migration, with one interview and its code. */
function createOldDatabase(dir: string): { interviewId: string; candidateToken: string } {
  const db = new DatabaseSync(path.join(dir, 'tandem.db'))
  for (const sql of migrations.slice(0, documentsMigration)) db.exec(sql)
  db.exec(`PRAGMA user_version = ${documentsMigration}`)
  const userId = newId()
  const interviewId = newId()
  const candidateToken = newSecret()
  const now = new Date().toISOString()
  db.prepare(
    'INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(userId, 'old@example.com', 'Old Interviewer', 'x', now)
  db.prepare(
    `INSERT INTO interviews (id, title, challenge_slug, language, status, candidate_token, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(interviewId, 'Before documents', 'two-sum', 'javascript', 'open', newSecret(), userId, now)
  db.prepare(
    `INSERT INTO participants (id, interview_id, role, name, user_id, token_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(newId(), interviewId, 'candidate', 'Cam', null, hashSecret(candidateToken), now)
  const { first, later, state } = oldDocument('written before the migration')
  const insert = db.prepare('INSERT INTO doc_updates (interview_id, at, data) VALUES (?, ?, ?)')
  const firstId = Number(insert.run(interviewId, 1000, first).lastInsertRowid)
  db.prepare(
    'INSERT INTO doc_snapshots (interview_id, state, upto_id, updated_at) VALUES (?, ?, ?, ?)',
  ).run(interviewId, state, firstId, '2026-01-01T10:00:00.000Z')
  insert.run(interviewId, 2000, later)
  db.close()
  return { interviewId, candidateToken }
}

describe('the documents migration', () => {
  it('keeps an interview stored before it loading, with its text, and editable', async () => {
    expect(documentsMigration).toBeGreaterThan(0)
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-migration-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const { interviewId, candidateToken } = createOldDatabase(dir)

    const store: Store = openSqliteStore(dir)
    cleanups.push(() => store.close())
    const ref: DocRef = { interviewId, doc: 'code' }
    const expected = 'written before the migration (after the snapshot)'
    // The old rows are the code document, by an author nobody recorded then.
    const timeline = await store.docs.timeline(ref)
    expect(timeline.map(({ at, author }) => ({ at, author }))).toEqual([
      { at: 1000, author: { kind: 'unknown' } },
      { at: 2000, author: { kind: 'unknown' } },
    ])
    const loaded = await store.docs.load(ref)
    expect(loaded.snapshot).not.toBeNull()
    expect(loaded.updates).toHaveLength(1)
    // The old snapshot became the first checkpoint, at the time it was written.
    const atSnapshot = await store.docs.docAt(ref, Date.parse('2026-01-01T10:00:00.000Z'))
    expect(atSnapshot.snapshot).toEqual(loaded.snapshot)

    const harness = await startHarness({ store, onLoad: () => undefined })
    cleanups.push(() => harness.close())
    const candidate = connectProvider(
      harness.url,
      collabRoomName(interviewId, 'code'),
      candidateToken,
    )
    cleanups.push(() => candidate.destroy())
    const text = await whenEditable(candidate)
    expect(text.toJSON()).toBe(expected)
    text.insert(0, '// edited after: ')
    await waitFor(
      async () => (await store.docs.timeline(ref)).length === 3,
      'the new edit is stored',
    )
    const [, , edit] = await store.docs.timeline(ref)
    expect(edit?.author).toMatchObject({ kind: 'participant', role: 'candidate' })
    const replayed = new Y.Doc()
    const now = await store.docs.docAt(ref, Date.now())
    for (const update of [now.snapshot, ...now.updates]) {
      if (update !== null) Y.applyUpdate(replayed, update)
    }
    expect(readText(replayed)).toBe(`// edited after: ${expected}`)
  })
})
