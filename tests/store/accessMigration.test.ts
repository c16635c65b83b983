/**
 * Interviews stored before the access state existed keep loading (issue 14 B.2): a database at the
 * schema before the migration that adds `locked`, `runs_disabled` and `removed_at` opens with
 * every interview unlocked, runs on, and every participant still in.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../server/store/migrations.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the access-state migration', () => {
  it('opens an older database with its interviews unlocked, runs on and participants in', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-access-migration-'))
    dirs.push(dataDir)
    const before = migrations.findIndex((sql) => sql.includes('runs_disabled'))
    expect(before).toBeGreaterThan(0)

    // The database as a server without the migration left it.
    const db = new DatabaseSync(path.join(dataDir, 'tandem.db'))
    for (const sql of migrations.slice(0, before)) db.exec(sql)
    db.exec(`PRAGMA user_version = ${before}`)
    db.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at)
        VALUES ('u1', 'ada@example.com', 'Ada', 'hash', '2026-11-01T10:00:00.000Z');
      INSERT INTO interviews (id, title, challenge_slug, language, status, candidate_token, created_by, created_at)
        VALUES ('i1', 'Two sum', 'two-sum', 'python', 'open', 'link-token', 'u1', '2026-11-01T10:00:00.000Z');
      INSERT INTO participants (id, interview_id, role, name, user_id, token_hash, created_at)
        VALUES ('p1', 'i1', 'candidate', 'Grace', NULL, 'hash-of-token', '2026-11-01T10:05:00.000Z');
    `)
    db.close()

    const store = openSqliteStore(dataDir)
    try {
      expect(await store.interviews.byId('i1')).toMatchObject({
        id: 'i1',
        status: 'open',
        locked: false,
        runsDisabled: false,
      })
      expect(await store.participants.byId('p1')).toMatchObject({ name: 'Grace', removedAt: null })
      // And the new state is stored from then on.
      await store.interviews.setLocked('i1', true)
      expect((await store.interviews.byId('i1'))?.locked).toBe(true)
    } finally {
      await store.close()
    }
  })
})
