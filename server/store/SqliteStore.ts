/**
 * The embedded store: one SQLite file under DATA_DIR, through Node's built-in node:sqlite (no
 * native addon to build, no service to start). Calls are synchronous underneath and short; the
 * async interface is for the PostgreSQL store that scale-out uses.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import type { InterviewStatus } from '../../protocol/api.ts'
import type { DocRef } from '../../protocol/collab.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { Role } from '../../protocol/people.ts'
import type { RunEvent, RunInfo, RunSummary } from '../../protocol/run.ts'
import type { WebhookDeliveryStatus, WebhookEventType } from '../../protocol/webhooks.ts'
import type { Scorecard } from '../../protocol/scorecards.ts'
import { newId } from '../ids.ts'
import { migrations } from './migrations.ts'
import type {
  ApiTokenRecord,
  ChallengeVersionRecord,
  DocAuthor,
  DocUpdateRow,
  InterviewRecord,
  InviteRecord,
  ParticipantRecord,
  RunRecordRow,
  ScorecardRecord,
  SessionRecord,
  Store,
  StoredDoc,
  TimelineEvent,
  UserRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from './Store.ts'
import { StoreConflict } from './StoreConflict.ts'

type Row = Record<string, SQLInputValue>

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true })
  return new SqliteStore(new DatabaseSync(path.join(dataDir, 'tandem.db')))
}

/** An in-memory store, for tests that do not restart. */
export function openMemoryStore(): Store {
  return new SqliteStore(new DatabaseSync(':memory:'))
}

class SqliteStore implements Store {
  readonly #db: DatabaseSync
  /** Prepared once per SQL text: preparing costs more than running these short statements. */
  readonly #statements = new Map<string, StatementSync>()

  constructor(db: DatabaseSync) {
    this.#db = db
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec('PRAGMA busy_timeout = 5000')
    this.#migrate()
  }

  #migrate(): void {
    const version = Number((this.#db.prepare('PRAGMA user_version').get() as Row).user_version)
    migrations.slice(version).forEach((sql, i) => {
      this.#transaction(() => {
        this.#db.exec(sql)
        this.#db.exec(`PRAGMA user_version = ${version + i + 1}`)
      })
    })
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      this.#db.exec('COMMIT')
      return result
    } catch (error) {
      this.#db.exec('ROLLBACK')
      throw error
    }
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  #get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#prepare(sql).get(...params)
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#prepare(sql).all(...params)
  }

  #run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.#prepare(sql).run(...params).changes)
  }

  #appendUpdates({ interviewId, doc }: DocRef, updates: DocUpdateRow[]): number {
    const insert = this.#prepare(
      'INSERT INTO doc_updates (interview_id, doc, at, data, author) VALUES (?, ?, ?, ?, ?)',
    )
    let lastId = 0
    for (const { at, update, author } of updates) {
      const stored = author.kind === 'unknown' ? null : JSON.stringify(author)
      lastId = Number(insert.run(interviewId, doc, at, update, stored).lastInsertRowid)
    }
    return lastId
  }

  /** A checkpoint row (or none) and the update rows after it, as a StoredDoc. */
  #storedDoc(checkpoint: Row | undefined, rowsAfter: (uptoId: number) => Row[]): StoredDoc {
    const upto = checkpoint === undefined ? 0 : Number(checkpoint.upto_id)
    const rows = rowsAfter(upto)
    const last = rows.at(-1)
    return {
      snapshot: checkpoint === undefined ? null : (checkpoint.state as Uint8Array),
      updates: rows.map((row) => row.data as Uint8Array),
      lastUpdateId: last === undefined ? upto : Number(last.id),
    }
  }

  #insertUser(user: Omit<UserRecord, 'id' | 'createdAt'>): UserRecord {
    if (this.#get('SELECT 1 FROM users WHERE email = ?', user.email) !== undefined) {
      throw new StoreConflict('email_taken')
    }
    const record: UserRecord = { ...user, id: newId(), createdAt: new Date().toISOString() }
    this.#run(
      'INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      record.id,
      record.email,
      record.name,
      record.passwordHash,
      record.createdAt,
    )
    return record
  }

  users: Store['users'] = rejectOnThrow({
    count: () => Promise.resolve(Number(this.#get('SELECT COUNT(*) AS n FROM users')?.n)),
    createFirst: (user) =>
      Promise.resolve(
        this.#transaction(() => {
          if (this.#get('SELECT 1 FROM users LIMIT 1') !== undefined) {
            throw new StoreConflict('already_set_up')
          }
          return this.#insertUser(user)
        }),
      ),
    create: (user) => Promise.resolve(this.#transaction(() => this.#insertUser(user))),
    byEmail: (email) =>
      Promise.resolve(toUser(this.#get('SELECT * FROM users WHERE email = ?', email))),
    byId: (id) => Promise.resolve(toUser(this.#get('SELECT * FROM users WHERE id = ?', id))),
  })

  sessions: Store['sessions'] = rejectOnThrow({
    create: (s) => {
      this.#run(
        'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        s.idHash,
        s.userId,
        s.createdAt,
        s.expiresAt,
      )
      return Promise.resolve()
    },
    get: (idHash, now) => {
      const row = this.#get(
        'SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?',
        idHash,
        now.toISOString(),
      )
      return Promise.resolve(row === undefined ? null : toSession(row))
    },
    delete: (idHash) => {
      this.#run('DELETE FROM sessions WHERE id_hash = ?', idHash)
      return Promise.resolve()
    },
  })

  invites: Store['invites'] = rejectOnThrow({
    create: (invite) => {
      this.#run(
        'INSERT INTO invites (token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)',
        invite.tokenHash,
        invite.createdBy,
        invite.createdAt,
        invite.expiresAt,
      )
      return Promise.resolve()
    },
    get: (tokenHash) => {
      const row = this.#get('SELECT * FROM invites WHERE token_hash = ?', tokenHash)
      return Promise.resolve(row === undefined ? null : toInvite(row))
    },
    accept: (tokenHash, user, now) =>
      Promise.resolve(
        this.#transaction(() => {
          const row = this.#get('SELECT * FROM invites WHERE token_hash = ?', tokenHash)
          const invite = row === undefined ? null : toInvite(row)
          if (invite === null || invite.usedAt !== null || invite.expiresAt <= now.toISOString()) {
            throw new StoreConflict('invite_unusable')
          }
          const created = this.#insertUser(user)
          this.#run(
            'UPDATE invites SET used_at = ?, used_by = ? WHERE token_hash = ?',
            now.toISOString(),
            created.id,
            tokenHash,
          )
          return created
        }),
      ),
  })

  apiTokens: Store['apiTokens'] = rejectOnThrow({
    create: (t) => {
      this.#run(
        'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
        t.id,
        t.userId,
        t.name,
        t.tokenHash,
        t.createdAt,
      )
      return Promise.resolve()
    },
    byHash: (tokenHash) => {
      const row = this.#get('SELECT * FROM api_tokens WHERE token_hash = ?', tokenHash)
      return Promise.resolve(row === undefined ? null : toApiToken(row))
    },
    listForUser: (userId) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC',
          userId,
        ).map(toApiToken),
      ),
    revoke: (id, userId) =>
      Promise.resolve(
        this.#run('DELETE FROM api_tokens WHERE id = ? AND user_id = ?', id, userId) > 0,
      ),
    touch: (id, at) => {
      this.#run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', at, id)
      return Promise.resolve()
    },
  })

  interviews: Store['interviews'] = rejectOnThrow({
    create: (i) => {
      this.#run(
        `INSERT INTO interviews (id, title, challenge_slug, challenge_version, language, status, candidate_token, created_by, created_at, planned_minutes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        i.id,
        i.title,
        i.challengeSlug,
        i.challengeVersion,
        i.language,
        i.status,
        i.candidateToken,
        i.createdBy,
        i.createdAt,
        i.plannedMinutes,
      )
      return Promise.resolve()
    },
    byId: (id) =>
      Promise.resolve(toInterview(this.#get('SELECT * FROM interviews WHERE id = ?', id))),
    byCandidateToken: (token) =>
      Promise.resolve(
        toInterview(this.#get('SELECT * FROM interviews WHERE candidate_token = ?', token)),
      ),
    list: (limit) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM interviews ORDER BY created_at DESC, rowid DESC LIMIT ?',
          limit,
        ).map((row) => toInterview(row) as InterviewRecord),
      ),
    setLanguage: (id, language) => {
      this.#run('UPDATE interviews SET language = ? WHERE id = ?', language, id)
      return Promise.resolve()
    },
    end: (id, at) => {
      this.#run("UPDATE interviews SET status = 'ended', ended_at = ? WHERE id = ?", at, id)
      return Promise.resolve()
    },
    pinUnversioned: (slug, version) =>
      Promise.resolve(
        this.#run(
          'UPDATE interviews SET challenge_version = ? WHERE challenge_slug = ? AND challenge_version IS NULL',
          version,
          slug,
        ),
      ),
    setLocked: (id, locked) => {
      this.#run('UPDATE interviews SET locked = ? WHERE id = ?', locked ? 1 : 0, id)
      return Promise.resolve()
    },
    setRunsDisabled: (id, disabled) => {
      this.#run('UPDATE interviews SET runs_disabled = ? WHERE id = ?', disabled ? 1 : 0, id)
      return Promise.resolve()
    },
    markStarted: (id, at) =>
      Promise.resolve(
        this.#run(
          'UPDATE interviews SET started_at = ? WHERE id = ? AND started_at IS NULL',
          at,
          id,
        ) === 1,
      ),
  })

  challengeVersions: Store['challengeVersions'] = rejectOnThrow({
    save: (v) => {
      this.#run(
        `INSERT INTO challenge_versions (slug, version, files, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (slug, version) DO NOTHING`,
        v.slug,
        v.version,
        JSON.stringify(v.files),
        v.createdAt,
      )
      return Promise.resolve()
    },
    get: (slug, version) => {
      const row = this.#get(
        'SELECT * FROM challenge_versions WHERE slug = ? AND version = ?',
        slug,
        version,
      )
      return Promise.resolve(row === undefined ? null : toChallengeVersion(row))
    },
    list: (slug) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM challenge_versions WHERE slug = ? ORDER BY created_at, rowid',
          slug,
        ).map(toChallengeVersion),
      ),
  })

  participants: Store['participants'] = rejectOnThrow({
    create: (p) => {
      this.#run(
        `INSERT INTO participants (id, interview_id, role, name, user_id, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        p.id,
        p.interviewId,
        p.role,
        p.name,
        p.userId,
        p.tokenHash,
        p.createdAt,
      )
      return Promise.resolve()
    },
    byId: (id) => {
      const row = this.#get('SELECT * FROM participants WHERE id = ?', id)
      return Promise.resolve(row === undefined ? null : toParticipant(row))
    },
    byTokenHash: (tokenHash) => {
      const row = this.#get('SELECT * FROM participants WHERE token_hash = ?', tokenHash)
      return Promise.resolve(row === undefined ? null : toParticipant(row))
    },
    listForInterview: (interviewId) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM participants WHERE interview_id = ? ORDER BY created_at',
          interviewId,
        ).map(toParticipant),
      ),
    remove: (id, at) => {
      // The first removal's time stays; removing again is not an error.
      this.#run(
        'UPDATE participants SET removed_at = ? WHERE id = ? AND removed_at IS NULL',
        at,
        id,
      )
      return Promise.resolve(this.#get('SELECT 1 FROM participants WHERE id = ?', id) !== undefined)
    },
  })

  docs: Store['docs'] = rejectOnThrow({
    load: ({ interviewId, doc }) =>
      Promise.resolve(
        this.#storedDoc(
          this.#get(
            `SELECT state, upto_id FROM doc_checkpoints WHERE interview_id = ? AND doc = ?
             ORDER BY id DESC LIMIT 1`,
            interviewId,
            doc,
          ),
          (upto) =>
            this.#all(
              `SELECT id, data FROM doc_updates WHERE interview_id = ? AND doc = ? AND id > ?
               ORDER BY id`,
              interviewId,
              doc,
              upto,
            ),
        ),
      ),
    append: (ref, updates) =>
      Promise.resolve(this.#transaction(() => this.#appendUpdates(ref, updates))),
    appendMany: (batches) =>
      Promise.resolve(
        this.#transaction(() =>
          batches.map(({ ref, updates }) => this.#appendUpdates(ref, updates)),
        ),
      ),
    saveSnapshot: ({ interviewId, doc }, checkpoint) => {
      this.#run(
        'INSERT INTO doc_checkpoints (interview_id, doc, at, upto_id, state) VALUES (?, ?, ?, ?, ?)',
        interviewId,
        doc,
        checkpoint.at,
        checkpoint.uptoUpdateId,
        checkpoint.state,
      )
      return Promise.resolve()
    },
    timeline: ({ interviewId, doc }) =>
      Promise.resolve(
        this.#all(
          'SELECT id, at, data, author FROM doc_updates WHERE interview_id = ? AND doc = ? ORDER BY id',
          interviewId,
          doc,
        ).map((row) => ({
          id: Number(row.id),
          at: Number(row.at),
          update: row.data as Uint8Array,
          author:
            row.author === null ? { kind: 'unknown' } : (JSON.parse(text(row.author)) as DocAuthor),
        })),
      ),
    docAt: ({ interviewId, doc }, at) =>
      Promise.resolve(
        this.#storedDoc(
          this.#get(
            `SELECT state, upto_id FROM doc_checkpoints WHERE interview_id = ? AND doc = ? AND at <= ?
             ORDER BY at DESC, id DESC LIMIT 1`,
            interviewId,
            doc,
            at,
          ),
          // Rows the checkpoint may already hold are applied again: Yjs updates are idempotent.
          (upto) =>
            this.#all(
              `SELECT id, data FROM doc_updates WHERE interview_id = ? AND doc = ? AND id > ?
                 AND at <= ? ORDER BY id`,
              interviewId,
              doc,
              upto,
              at,
            ),
        ),
      ),
    pendingSinceSnapshot: ({ interviewId, doc }) => {
      const row = this.#get(
        `SELECT COUNT(*) AS n FROM doc_updates WHERE interview_id = ? AND doc = ?
           AND id > COALESCE((SELECT upto_id FROM doc_checkpoints WHERE interview_id = ? AND doc = ?
             ORDER BY id DESC LIMIT 1), 0)`,
        interviewId,
        doc,
        interviewId,
        doc,
      )
      return Promise.resolve(Number(row?.n ?? 0))
    },
  })

  events: Store['events'] = rejectOnThrow({
    append: (interviewId, at, event) => {
      this.#run(
        'INSERT INTO events (interview_id, at, event) VALUES (?, ?, ?)',
        interviewId,
        at,
        JSON.stringify(event),
      )
      return Promise.resolve()
    },
    list: (interviewId) =>
      Promise.resolve(
        this.#all(
          'SELECT id, at, event FROM events WHERE interview_id = ? ORDER BY id',
          interviewId,
        ).map((row) => ({
          id: Number(row.id),
          at: Number(row.at),
          event: JSON.parse(text(row.event)) as TimelineEvent,
        })),
      ),
  })

  runs: Store['runs'] = rejectOnThrow({
    create: (info) => {
      this.#run(
        `INSERT INTO runs (id, interview_id, participant_id, language, mode, info, created_at,
           replay_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        info.runId,
        info.interviewId,
        info.requestedBy.participantId,
        info.language,
        info.mode,
        JSON.stringify(info),
        info.createdAt,
        info.replay?.at ?? null,
      )
      return Promise.resolve()
    },
    appendEvents: (runId, events) => {
      this.#transaction(() => {
        const insert = this.#prepare('INSERT INTO run_events (run_id, seq, event) VALUES (?, ?, ?)')
        for (const event of events) insert.run(runId, event.seq, JSON.stringify(event))
      })
      return Promise.resolve()
    },
    finish: (runId, summary, verdict) => {
      this.#run(
        'UPDATE runs SET summary = ?, verdict = ?, finished_at = ? WHERE id = ?',
        JSON.stringify(summary),
        verdict,
        new Date().toISOString(),
        runId,
      )
      return Promise.resolve()
    },
    get: (runId) => {
      const row = this.#get('SELECT info, summary FROM runs WHERE id = ?', runId)
      return Promise.resolve(row === undefined ? null : toRun(row))
    },
    events: (runId) =>
      Promise.resolve(
        this.#all('SELECT event FROM run_events WHERE run_id = ? ORDER BY seq', runId).map(
          (row) => JSON.parse(text(row.event)) as RunEvent,
        ),
      ),
    listForInterview: (interviewId, limit, options = {}) =>
      Promise.resolve(
        this.#all(
          `SELECT info, summary FROM runs WHERE interview_id = ?
             ${options.replays === true ? '' : 'AND replay_at IS NULL'}
             ORDER BY created_at DESC, rowid DESC LIMIT ?`,
          interviewId,
          limit,
        ).map(toRun),
      ),
    failUnfinished: (summary) =>
      Promise.resolve(
        this.#run(
          'UPDATE runs SET summary = ?, verdict = ?, finished_at = ? WHERE summary IS NULL',
          JSON.stringify(summary),
          summary.verdict,
          new Date().toISOString(),
        ),
      ),
  })

  webhooks: Store['webhooks'] = rejectOnThrow({
    createEndpoint: (e) => {
      this.#run(
        `INSERT INTO webhook_endpoints (id, url, secret, events, enabled, disabled_reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        e.id,
        e.url,
        e.secret,
        JSON.stringify(e.events),
        e.enabled ? 1 : 0,
        e.disabledReason,
        e.createdBy,
        e.createdAt,
      )
      return Promise.resolve()
    },
    endpointById: (id) => {
      const row = this.#get('SELECT * FROM webhook_endpoints WHERE id = ?', id)
      return Promise.resolve(row === undefined ? null : toWebhookEndpoint(row))
    },
    listEndpoints: () =>
      Promise.resolve(
        this.#all('SELECT * FROM webhook_endpoints ORDER BY created_at DESC, rowid DESC').map(
          toWebhookEndpoint,
        ),
      ),
    deleteEndpoint: (id) =>
      Promise.resolve(this.#run('DELETE FROM webhook_endpoints WHERE id = ?', id) > 0),
    setSecret: (id, secret) =>
      Promise.resolve(
        this.#run('UPDATE webhook_endpoints SET secret = ? WHERE id = ?', secret, id) > 0,
      ),
    setEnabled: (id, enabled, reason) =>
      Promise.resolve(
        this.#transaction(() => {
          const changed = this.#run(
            'UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ? WHERE id = ?',
            enabled ? 1 : 0,
            enabled ? null : reason,
            id,
          )
          if (changed > 0 && !enabled) {
            this.#run(
              `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?
               WHERE endpoint_id = ? AND status = 'pending'`,
              `Not sent: the endpoint was turned off${reason === null ? '' : ` (${reason})`}.`,
              id,
            )
          }
          return changed > 0
        }),
      ),
    createDelivery: (d) => {
      this.#run(
        `INSERT INTO webhook_deliveries (id, endpoint_id, type, body, status, attempts, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
        d.id,
        d.endpointId,
        d.type,
        d.body,
        d.createdAt,
        d.nextAttemptAt,
      )
      return Promise.resolve()
    },
    deliveryById: (id) => {
      const row = this.#get('SELECT * FROM webhook_deliveries WHERE id = ?', id)
      return Promise.resolve(row === undefined ? null : toWebhookDelivery(row))
    },
    listDeliveries: (endpointId, limit) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
          endpointId,
          limit,
        ).map(toWebhookDelivery),
      ),
    dueDeliveries: (now, limit) =>
      Promise.resolve(
        this.#all(
          `SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND e.enabled = 1
           ORDER BY d.next_attempt_at, d.rowid LIMIT ?`,
          now,
          limit,
        ).map(toWebhookDelivery),
      ),
    recordAttempt: (id, a) => {
      this.#run(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?,
           last_attempt_at = ?, last_status_code = ?, last_error = ?, response_excerpt = ?
         WHERE id = ?`,
        a.status,
        a.nextAttemptAt,
        a.at,
        a.lastStatusCode,
        a.lastError,
        a.responseExcerpt,
        id,
      )
      return Promise.resolve()
    },
  })

  scorecards: Store['scorecards'] = rejectOnThrow({
    get: (interviewId, userId) => {
      const row = this.#get(
        'SELECT * FROM scorecards WHERE interview_id = ? AND user_id = ?',
        interviewId,
        userId,
      )
      return Promise.resolve(row === undefined ? null : toScorecard(row))
    },
    put: ({ interviewId, userId, card }) => {
      // The upsert's WHERE leaves a submitted card alone: no row changes, and that is the
      // conflict, decided in the one statement.
      const changes = this.#run(
        `INSERT INTO scorecards (interview_id, user_id, status, card, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (interview_id, user_id) DO UPDATE
           SET status = excluded.status, card = excluded.card
           WHERE scorecards.status = 'draft'`,
        interviewId,
        userId,
        card.status,
        JSON.stringify(card),
        card.updatedAt,
      )
      if (changes === 0) throw new StoreConflict('scorecard_submitted')
      return Promise.resolve()
    },
    list: (interviewId) =>
      Promise.resolve(
        this.#all(
          'SELECT * FROM scorecards WHERE interview_id = ? ORDER BY created_at, rowid',
          interviewId,
        ).map(toScorecard),
      ),
  })

  ping(): Promise<boolean> {
    try {
      return Promise.resolve(this.#get('SELECT 1 AS ok')?.ok === 1)
    } catch {
      return Promise.resolve(false)
    }
  }

  close(): Promise<void> {
    this.#statements.clear()
    if (this.#db.isOpen) this.#db.close()
    return Promise.resolve()
  }
}

/**
 * The same methods, each returning a promise that rejects when the method throws: SQLite calls
 * are synchronous, and a thrown error (a constraint, a full disk, a StoreConflict) must reach
 * the caller as a rejection, as it would from PostgreSQL, not escape the call itself.
 */
function rejectOnThrow<Methods extends object>(methods: Methods): Methods {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] =
      typeof method === 'function'
        ? (...args: unknown[]) =>
            new Promise((resolve) => {
              // A throw inside the executor rejects the promise.
              resolve((method as (...a: unknown[]) => unknown)(...args))
            })
        : method
  }
  return wrapped as Methods
}

/** Column values are strings, numbers, bigints, blobs or null; only the first three are read as text. */
const text = (value: SQLInputValue | undefined): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? value.toString()
      : ''
const textOrNull = (value: SQLInputValue | undefined): string | null =>
  value === null || value === undefined ? null : text(value)

function toUser(row: Row | undefined): UserRecord | null {
  if (row === undefined) return null
  return {
    id: text(row.id),
    email: text(row.email),
    name: text(row.name),
    passwordHash: text(row.password_hash),
    createdAt: text(row.created_at),
  }
}

function toSession(row: Row): SessionRecord {
  return {
    idHash: text(row.id_hash),
    userId: text(row.user_id),
    createdAt: text(row.created_at),
    expiresAt: text(row.expires_at),
  }
}

function toInvite(row: Row): InviteRecord {
  return {
    tokenHash: text(row.token_hash),
    createdBy: text(row.created_by),
    createdAt: text(row.created_at),
    expiresAt: text(row.expires_at),
    usedAt: textOrNull(row.used_at),
  }
}

function toApiToken(row: Row): ApiTokenRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    name: text(row.name),
    tokenHash: text(row.token_hash),
    createdAt: text(row.created_at),
    lastUsedAt: textOrNull(row.last_used_at),
  }
}

function toInterview(row: Row | undefined): InterviewRecord | null {
  if (row === undefined) return null
  return {
    id: text(row.id),
    title: text(row.title),
    challengeSlug: text(row.challenge_slug),
    challengeVersion: textOrNull(row.challenge_version),
    language: text(row.language) as LanguageId,
    status: text(row.status) as InterviewStatus,
    candidateToken: text(row.candidate_token),
    createdBy: text(row.created_by),
    createdAt: text(row.created_at),
    endedAt: textOrNull(row.ended_at),
    locked: Number(row.locked) === 1,
    runsDisabled: Number(row.runs_disabled) === 1,
    plannedMinutes: Number(row.planned_minutes),
    startedAt: textOrNull(row.started_at),
  }
}

function toChallengeVersion(row: Row): ChallengeVersionRecord {
  return {
    slug: text(row.slug),
    version: text(row.version),
    files: JSON.parse(text(row.files)) as Record<string, string>,
    createdAt: text(row.created_at),
  }
}

function toParticipant(row: Row): ParticipantRecord {
  return {
    id: text(row.id),
    interviewId: text(row.interview_id),
    role: text(row.role) as Role,
    name: text(row.name),
    userId: textOrNull(row.user_id),
    tokenHash: text(row.token_hash),
    createdAt: text(row.created_at),
    removedAt: textOrNull(row.removed_at),
  }
}

function toRun(row: Row): RunRecordRow {
  return {
    info: JSON.parse(text(row.info)) as RunInfo,
    summary: row.summary === null ? null : (JSON.parse(text(row.summary)) as RunSummary),
  }
}

function toWebhookEndpoint(row: Row): WebhookEndpointRecord {
  return {
    id: text(row.id),
    url: text(row.url),
    secret: text(row.secret),
    events: JSON.parse(text(row.events)) as WebhookEventType[],
    enabled: Number(row.enabled) === 1,
    disabledReason: textOrNull(row.disabled_reason),
    createdBy: text(row.created_by),
    createdAt: text(row.created_at),
  }
}

function toWebhookDelivery(row: Row): WebhookDeliveryRecord {
  return {
    id: text(row.id),
    endpointId: text(row.endpoint_id),
    type: text(row.type),
    body: text(row.body),
    status: text(row.status) as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    createdAt: text(row.created_at),
    lastAttemptAt: textOrNull(row.last_attempt_at),
    nextAttemptAt: textOrNull(row.next_attempt_at),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: textOrNull(row.last_error),
    responseExcerpt: textOrNull(row.response_excerpt),
  }
}

function toScorecard(row: Row): ScorecardRecord {
  return {
    interviewId: text(row.interview_id),
    userId: text(row.user_id),
    card: JSON.parse(text(row.card)) as Scorecard,
  }
}
