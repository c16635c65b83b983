/**
 * The Store contract: every method of server/store/Store.ts with the behaviour its TSDoc
 * promises (conflicts, expiry, ordering, atomicity, the document log and its snapshots, runs and
 * their events), written against the interface only and run against every implementation.
 *
 * Adding a store means adding one factory to `factories`: a PostgreSQL store would open a fresh
 * schema of the database named by TANDEM_TEST_PG when that variable is set, e.g.
 *
 *   ...(process.env.TANDEM_TEST_PG ? [postgresFactory(process.env.TANDEM_TEST_PG)] : [])
 *
 * and answer `reopen` by connecting to the same schema again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DocRef } from '../../protocol/collab.ts'
import type { RunEvent, RunInfo, RunSummary } from '../../protocol/run.ts'
import { hashSecret, newId, newSecret } from '../../server/ids.ts'
import { openMemoryStore, openSqliteStore } from '../../server/store/SqliteStore.ts'
import type {
  DocAuthor,
  DocUpdateRow,
  InterviewRecord,
  ParticipantRecord,
  ScorecardRecord,
  Store,
  UserRecord,
  WebhookEndpointRecord,
} from '../../server/store/Store.ts'
import { StoreConflict, type StoreConflictReason } from '../../server/store/StoreConflict.ts'

interface OpenedStore {
  store: Store
  /** Closes the store and opens the same data again; absent where nothing outlives close(). */
  reopen?: () => Promise<Store>
  /** Closes what is open and deletes the data. */
  dispose: () => Promise<void>
}

interface StoreFactory {
  name: string
  /** True when data outlives close(): `reopen` is then given, and the durability case runs. */
  durable: boolean
  /** An empty store of this kind. */
  open: () => Promise<OpenedStore>
}

const sqliteFile: StoreFactory = {
  name: 'SQLite file',
  durable: true,
  open: () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-store-'))
    let store = openSqliteStore(dir)
    return Promise.resolve({
      store,
      reopen: async () => {
        await store.close()
        store = openSqliteStore(dir)
        return store
      },
      dispose: async () => {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    })
  },
}

const sqliteMemory: StoreFactory = {
  name: 'SQLite in memory',
  durable: false,
  open: () => {
    const store = openMemoryStore()
    return Promise.resolve({ store, dispose: () => store.close() })
  },
}

const factories: StoreFactory[] = [sqliteFile, sqliteMemory]

// ---- Records ------------------------------------------------------------------------------

type NewUser = Omit<UserRecord, 'id' | 'createdAt'>

const newUser = (name: string): NewUser => ({
  email: `${name.toLowerCase()}@example.com`,
  name,
  passwordHash: `hash-of-${name}`,
})

function interviewRecord(createdBy: string, createdAt: string): InterviewRecord {
  return {
    id: newId(),
    title: `Interview at ${createdAt}`,
    challengeSlug: 'two-sum',
    challengeVersion: 'v1',
    language: 'javascript',
    status: 'open',
    candidateToken: newSecret(),
    createdBy,
    createdAt,
    endedAt: null,
    locked: false,
    runsDisabled: false,
    plannedMinutes: 60,
    startedAt: null,
  }
}

function participantRecord(interviewId: string, createdAt: string): ParticipantRecord {
  return {
    id: newId(),
    interviewId,
    role: 'candidate',
    name: `Candidate ${createdAt}`,
    userId: null,
    tokenHash: hashSecret(newSecret()),
    createdAt,
    removedAt: null,
  }
}

function runInfo(interviewId: string, createdAt: string): RunInfo {
  return {
    runId: newId(),
    interviewId,
    language: 'python',
    mode: 'tests',
    requestedBy: { participantId: newId(), name: 'Ada', role: 'interviewer' },
    createdAt,
    tests: [{ id: 't1', name: 'Example 1', hidden: false }],
    limits: {
      cpuTimeMs: 2000,
      wallTimeMs: 5000,
      memoryMb: 256,
      outputBytes: 65_536,
      sourceBytes: 65_536,
    },
  }
}

const summary = (verdict: RunSummary['verdict'], message: string): RunSummary => ({
  verdict,
  passed: verdict === 'passed' ? 1 : 0,
  total: 1,
  durationMs: 12,
  message,
})

const stage = (runId: string, seq: number): RunEvent => ({
  runId,
  seq,
  type: 'stage',
  stage: 'running',
})

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)
/** An interview's code document. */
const code = (interviewId: string): DocRef => ({ interviewId, doc: 'code' })
const candidateAuthor: DocAuthor = { kind: 'participant', participantId: 'p-1', role: 'candidate' }
const row = (
  at: number,
  update: Uint8Array,
  author: DocAuthor = candidateAuthor,
): DocUpdateRow => ({
  at,
  update,
  author,
})

/** Asserts `attempt` rejects (it must not throw: it is already a promise) with this conflict. */
async function expectConflict(attempt: Promise<unknown>, reason: StoreConflictReason) {
  const error: unknown = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreConflict)
  expect((error as StoreConflict).reason).toBe(reason)
}

function scorecard(
  interviewId: string,
  userId: string,
  card: Partial<ScorecardRecord['card']> = {},
): ScorecardRecord {
  return {
    interviewId,
    userId,
    card: {
      criteria: [{ criterion: 'problem-solving', score: null, note: '' }],
      recommendation: null,
      overallNote: '',
      status: 'draft',
      submittedAt: null,
      updatedAt: '2026-01-01T11:00:00.000Z',
      ...card,
    },
  }
}

// ---- The contract -------------------------------------------------------------------------

describe.each(factories)('Store contract: $name', (factory) => {
  let opened: OpenedStore
  let store: Store

  beforeEach(async () => {
    opened = await factory.open()
    store = opened.store
  })
  afterEach(() => opened.dispose())

  /** An interview of one owner account (created on first use): runs, documents and participants belong to one. */
  async function anInterview(createdAt = '2026-01-01T10:00:00.000Z'): Promise<InterviewRecord> {
    const owner =
      (await store.users.byEmail('owner@example.com')) ??
      (await store.users.create(newUser('Owner')))
    const interview = interviewRecord(owner.id, createdAt)
    await store.interviews.create(interview)
    return interview
  }

  describe('users', () => {
    it('creates accounts with an id and a creation time, and finds them by id and email', async () => {
      expect(await store.users.count()).toBe(0)
      const ada = await store.users.createFirst(newUser('Ada'))
      const grace = await store.users.create(newUser('Grace'))
      expect(ada).toMatchObject(newUser('Ada'))
      expect(ada.id).not.toBe(grace.id)
      expect(Number.isNaN(Date.parse(ada.createdAt))).toBe(false)
      expect(await store.users.count()).toBe(2)
      expect(await store.users.byId(grace.id)).toEqual(grace)
      expect(await store.users.byEmail('ada@example.com')).toEqual(ada)
      expect(await store.users.byId('nobody')).toBeNull()
      expect(await store.users.byEmail('nobody@example.com')).toBeNull()
    })

    it('creates the first account only while there is none', async () => {
      await store.users.create(newUser('Ada'))
      await expectConflict(store.users.createFirst(newUser('Mallory')), 'already_set_up')
      expect(await store.users.count()).toBe(1)
      expect(await store.users.byEmail('mallory@example.com')).toBeNull()
    })

    it('lets exactly one of two simultaneous first accounts through', async () => {
      const results = await Promise.allSettled([
        store.users.createFirst(newUser('Ada')),
        store.users.createFirst(newUser('Grace')),
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = results.find((r) => r.status === 'rejected')
      expect(refused?.reason).toBeInstanceOf(StoreConflict)
      expect((refused?.reason as StoreConflict).reason).toBe('already_set_up')
      expect(await store.users.count()).toBe(1)
    })

    it('refuses a second account with the same email, changing nothing', async () => {
      const ada = await store.users.create(newUser('Ada'))
      await expectConflict(
        store.users.create({ ...newUser('Ada'), name: 'Impostor', passwordHash: 'other' }),
        'email_taken',
      )
      expect(await store.users.count()).toBe(1)
      expect(await store.users.byEmail(ada.email)).toEqual(ada)
    })
  })

  describe('sessions', () => {
    it('finds a session until the moment it expires, then never again', async () => {
      const user = await store.users.create(newUser('Ada'))
      const session = {
        idHash: hashSecret(newSecret()),
        userId: user.id,
        createdAt: '2026-01-01T10:00:00.000Z',
        expiresAt: '2026-01-15T10:00:00.000Z',
      }
      await store.sessions.create(session)
      expect(
        await store.sessions.get(session.idHash, new Date('2026-01-15T09:59:59.999Z')),
      ).toEqual(session)
      expect(await store.sessions.get(session.idHash, new Date(session.expiresAt))).toBeNull()
      expect(await store.sessions.get(session.idHash, new Date('2026-02-01T00:00:00Z'))).toBeNull()
      expect(await store.sessions.get('unknown', new Date('2026-01-02T00:00:00Z'))).toBeNull()
    })

    it('deletes a session, and deleting an unknown one is not an error', async () => {
      const user = await store.users.create(newUser('Ada'))
      const idHash = hashSecret(newSecret())
      const at = '2026-01-01T10:00:00.000Z'
      await store.sessions.create({
        idHash,
        userId: user.id,
        createdAt: at,
        expiresAt: '2027-01-01T00:00:00.000Z',
      })
      await store.sessions.delete(idHash)
      await store.sessions.delete(idHash)
      expect(await store.sessions.get(idHash, new Date(at))).toBeNull()
    })
  })

  describe('invites', () => {
    const now = new Date('2026-01-03T12:00:00.000Z')
    let inviter: UserRecord
    let tokenHash: string

    beforeEach(async () => {
      inviter = await store.users.createFirst(newUser('Ada'))
      tokenHash = hashSecret(newSecret())
      await store.invites.create({
        tokenHash,
        createdBy: inviter.id,
        createdAt: '2026-01-01T12:00:00.000Z',
        expiresAt: '2026-01-08T12:00:00.000Z',
      })
    })

    it('stores an invite unused, and accepting it creates the account and marks it used', async () => {
      expect(await store.invites.get(tokenHash)).toEqual({
        tokenHash,
        createdBy: inviter.id,
        createdAt: '2026-01-01T12:00:00.000Z',
        expiresAt: '2026-01-08T12:00:00.000Z',
        usedAt: null,
      })
      const grace = await store.invites.accept(tokenHash, newUser('Grace'), now)
      expect(await store.users.byEmail('grace@example.com')).toEqual(grace)
      expect((await store.invites.get(tokenHash))?.usedAt).toBe(now.toISOString())
      expect(await store.invites.get('unknown')).toBeNull()
    })

    it('refuses a used, expired or unknown invite without creating an account', async () => {
      await store.invites.accept(tokenHash, newUser('Grace'), now)
      await expectConflict(store.invites.accept(tokenHash, newUser('Eve'), now), 'invite_unusable')
      const expiring = hashSecret(newSecret())
      await store.invites.create({
        tokenHash: expiring,
        createdBy: inviter.id,
        createdAt: '2026-01-01T12:00:00.000Z',
        expiresAt: now.toISOString(),
      })
      await expectConflict(store.invites.accept(expiring, newUser('Eve'), now), 'invite_unusable')
      await expectConflict(store.invites.accept('unknown', newUser('Eve'), now), 'invite_unusable')
      expect(await store.users.byEmail('eve@example.com')).toBeNull()
      expect((await store.invites.get(expiring))?.usedAt).toBeNull()
      expect(await store.users.count()).toBe(2)
    })

    it('refuses an email that has an account and leaves the invite unused for another', async () => {
      await expectConflict(store.invites.accept(tokenHash, newUser('Ada'), now), 'email_taken')
      expect((await store.invites.get(tokenHash))?.usedAt).toBeNull()
      await store.invites.accept(tokenHash, newUser('Grace'), now)
      expect(await store.users.count()).toBe(2)
    })

    it('lets exactly one of two simultaneous acceptances of one invite through', async () => {
      const results = await Promise.allSettled([
        store.invites.accept(tokenHash, newUser('Grace'), now),
        store.invites.accept(tokenHash, newUser('Eve'), now),
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      expect(await store.users.count()).toBe(2)
    })
  })

  describe('API tokens', () => {
    it('finds a token by hash, lists a user’s tokens newest first, and records use', async () => {
      const ada = await store.users.create(newUser('Ada'))
      const grace = await store.users.create(newUser('Grace'))
      const token = (userId: string, name: string, createdAt: string) => ({
        id: newId(),
        userId,
        name,
        tokenHash: hashSecret(newSecret()),
        createdAt,
      })
      const older = token(ada.id, 'ats', '2026-01-01T00:00:00.000Z')
      const newer = token(ada.id, 'ci', '2026-01-02T00:00:00.000Z')
      const hers = token(grace.id, 'hers', '2026-01-03T00:00:00.000Z')
      for (const t of [older, newer, hers]) await store.apiTokens.create(t)

      expect(await store.apiTokens.byHash(older.tokenHash)).toEqual({ ...older, lastUsedAt: null })
      expect(await store.apiTokens.byHash('unknown')).toBeNull()
      expect((await store.apiTokens.listForUser(ada.id)).map((t) => t.name)).toEqual(['ci', 'ats'])
      await store.apiTokens.touch(older.id, '2026-01-05T00:00:00.000Z')
      expect((await store.apiTokens.byHash(older.tokenHash))?.lastUsedAt).toBe(
        '2026-01-05T00:00:00.000Z',
      )
    })

    it('revokes only the owner’s own token', async () => {
      const ada = await store.users.create(newUser('Ada'))
      const grace = await store.users.create(newUser('Grace'))
      const record = {
        id: newId(),
        userId: ada.id,
        name: 'ats',
        tokenHash: hashSecret(newSecret()),
        createdAt: '2026-01-01T00:00:00.000Z',
      }
      await store.apiTokens.create(record)
      expect(await store.apiTokens.revoke(record.id, grace.id)).toBe(false)
      expect(await store.apiTokens.byHash(record.tokenHash)).not.toBeNull()
      expect(await store.apiTokens.revoke(record.id, ada.id)).toBe(true)
      expect(await store.apiTokens.revoke(record.id, ada.id)).toBe(false)
      expect(await store.apiTokens.byHash(record.tokenHash)).toBeNull()
    })
  })

  describe('interviews and participants', () => {
    it('finds an interview by id and by candidate token', async () => {
      const interview = await anInterview()
      expect(await store.interviews.byId(interview.id)).toEqual(interview)
      expect(await store.interviews.byCandidateToken(interview.candidateToken)).toEqual(interview)
      expect(await store.interviews.byId('unknown')).toBeNull()
      expect(await store.interviews.byCandidateToken('unknown')).toBeNull()
    })

    it('lists interviews newest first, at most `limit`', async () => {
      const first = await anInterview('2026-01-01T10:00:00.000Z')
      const third = await anInterview('2026-01-03T10:00:00.000Z')
      const second = await anInterview('2026-01-02T10:00:00.000Z')
      expect((await store.interviews.list(10)).map((i) => i.id)).toEqual([
        third.id,
        second.id,
        first.id,
      ])
      expect((await store.interviews.list(2)).map((i) => i.id)).toEqual([third.id, second.id])
    })

    it('switches the language and ends an interview', async () => {
      const interview = await anInterview()
      await store.interviews.setLanguage(interview.id, 'go')
      await store.interviews.end(interview.id, '2026-01-01T11:00:00.000Z')
      expect(await store.interviews.byId(interview.id)).toEqual({
        ...interview,
        language: 'go',
        status: 'ended',
        endedAt: '2026-01-01T11:00:00.000Z',
      })
    })

    it('finds participants by token hash and lists an interview’s oldest first', async () => {
      const interview = await anInterview()
      const other = await anInterview()
      const later = participantRecord(interview.id, '2026-01-01T10:05:00.000Z')
      const earlier = participantRecord(interview.id, '2026-01-01T10:01:00.000Z')
      const elsewhere = participantRecord(other.id, '2026-01-01T10:00:00.000Z')
      for (const p of [later, earlier, elsewhere]) await store.participants.create(p)
      const interviewer = { ...participantRecord(interview.id, '2026-01-01T10:03:00.000Z') }
      interviewer.role = 'interviewer'
      interviewer.userId = interview.createdBy
      await store.participants.create(interviewer)

      expect(await store.participants.byTokenHash(interviewer.tokenHash)).toEqual(interviewer)
      expect(await store.participants.byTokenHash('unknown')).toBeNull()
      expect(await store.participants.listForInterview(interview.id)).toEqual([
        earlier,
        interviewer,
        later,
      ])
    })

    it('locks an interview and disables its runs, each on its own, and back', async () => {
      const interview = await anInterview()
      expect(await store.interviews.byId(interview.id)).toMatchObject({
        locked: false,
        runsDisabled: false,
      })
      await store.interviews.setLocked(interview.id, true)
      expect(await store.interviews.byId(interview.id)).toEqual({ ...interview, locked: true })
      await store.interviews.setRunsDisabled(interview.id, true)
      await store.interviews.setLocked(interview.id, false)
      expect(await store.interviews.byId(interview.id)).toEqual({
        ...interview,
        runsDisabled: true,
      })
    })

    it('starts an interview’s clock once: the first start stays, later ones answer false', async () => {
      const interview = await anInterview()
      expect(await store.interviews.markStarted(interview.id, '2026-01-01T10:05:00.000Z')).toBe(
        true,
      )
      expect(await store.interviews.markStarted(interview.id, '2026-01-01T10:09:00.000Z')).toBe(
        false,
      )
      expect(await store.interviews.byId(interview.id)).toMatchObject({
        plannedMinutes: 60,
        startedAt: '2026-01-01T10:05:00.000Z',
      })
    })

    it('removes a participant once: the first time stays, an unknown id answers false', async () => {
      const interview = await anInterview()
      const candidate = participantRecord(interview.id, '2026-01-01T10:01:00.000Z')
      await store.participants.create(candidate)
      expect(await store.participants.byId(candidate.id)).toEqual(candidate)
      expect(await store.participants.remove(candidate.id, '2026-01-01T10:30:00.000Z')).toBe(true)
      expect(await store.participants.remove(candidate.id, '2026-01-01T10:40:00.000Z')).toBe(true)
      const removed = { ...candidate, removedAt: '2026-01-01T10:30:00.000Z' }
      expect(await store.participants.byId(candidate.id)).toEqual(removed)
      expect(await store.participants.byTokenHash(candidate.tokenHash)).toEqual(removed)
      expect(await store.participants.remove('unknown', '2026-01-01T10:30:00.000Z')).toBe(false)
      expect(await store.participants.byId('unknown')).toBeNull()
    })

    it('pins only the unversioned interviews of one challenge to a version', async () => {
      const pinned = await anInterview()
      const unversioned = { ...interviewRecord(pinned.createdBy, '2026-01-02T10:00:00.000Z') }
      unversioned.challengeVersion = null
      const otherChallenge = { ...unversioned, id: newId(), candidateToken: newSecret() }
      otherChallenge.challengeSlug = 'fizz-buzz'
      await store.interviews.create(unversioned)
      await store.interviews.create(otherChallenge)

      expect(await store.interviews.pinUnversioned('two-sum', 'v2')).toBe(1)
      expect((await store.interviews.byId(unversioned.id))?.challengeVersion).toBe('v2')
      expect((await store.interviews.byId(pinned.id))?.challengeVersion).toBe('v1')
      expect((await store.interviews.byId(otherChallenge.id))?.challengeVersion).toBeNull()
      // Pinning is once: a later version does not move an interview already pinned.
      expect(await store.interviews.pinUnversioned('two-sum', 'v3')).toBe(0)
      expect((await store.interviews.byId(unversioned.id))?.challengeVersion).toBe('v2')
    })
  })

  describe('challenge versions', () => {
    const files = { 'challenge.json': '{"title":"Two Sum"}', 'statement.md': '# Two Sum\n' }

    it('keeps each version with its files, and finds it by slug and version', async () => {
      const v1 = { slug: 'two-sum', version: 'v1', files, createdAt: '2026-01-01T10:00:00.000Z' }
      await store.challengeVersions.save(v1)
      expect(await store.challengeVersions.get('two-sum', 'v1')).toEqual(v1)
      expect(await store.challengeVersions.get('two-sum', 'v2')).toBeNull()
      expect(await store.challengeVersions.get('fizz-buzz', 'v1')).toBeNull()
    })

    it('keeps the first save of a version, and lists a challenge’s versions oldest first', async () => {
      const v1 = { slug: 'two-sum', version: 'v1', files, createdAt: '2026-01-01T10:00:00.000Z' }
      const v2 = {
        slug: 'two-sum',
        version: 'v2',
        files: { ...files, 'tests.json': '{"tests":[]}' },
        createdAt: '2026-01-02T10:00:00.000Z',
      }
      await store.challengeVersions.save(v2)
      await store.challengeVersions.save(v1)
      await store.challengeVersions.save({ ...v1, createdAt: '2026-01-03T10:00:00.000Z' })
      await store.challengeVersions.save({ ...v2, slug: 'fizz-buzz' })
      expect(await store.challengeVersions.list('two-sum')).toEqual([v1, v2])
      expect(await store.challengeVersions.list('unknown')).toEqual([])
    })
  })

  describe('scorecards', () => {
    it('keeps one card per interviewer and interview, replacing a draft on each save', async () => {
      const interview = await anInterview()
      const ada = await store.users.create(newUser('Ada'))
      const bo = await store.users.create(newUser('Bo'))
      expect(await store.scorecards.get(interview.id, ada.id)).toBeNull()
      await store.scorecards.put(scorecard(interview.id, ada.id))
      const edited = scorecard(interview.id, ada.id, {
        criteria: [{ criterion: 'problem-solving', score: 3, note: 'Found the hash map' }],
        updatedAt: '2026-01-01T11:05:00.000Z',
      })
      await store.scorecards.put(edited)
      expect(await store.scorecards.get(interview.id, ada.id)).toEqual(edited)
      expect(await store.scorecards.get(interview.id, bo.id)).toBeNull()
      expect(await store.scorecards.get((await anInterview()).id, ada.id)).toBeNull()
    })

    it('refuses any change to a submitted card, keeping it as submitted', async () => {
      const interview = await anInterview()
      const ada = await store.users.create(newUser('Ada'))
      const submitted = scorecard(interview.id, ada.id, {
        criteria: [{ criterion: 'problem-solving', score: 4, note: '' }],
        recommendation: 'strong_yes',
        status: 'submitted',
        submittedAt: '2026-01-01T11:10:00.000Z',
      })
      await store.scorecards.put(submitted)
      await expectConflict(
        store.scorecards.put(scorecard(interview.id, ada.id, { recommendation: 'no' })),
        'scorecard_submitted',
      )
      await expectConflict(store.scorecards.put(submitted), 'scorecard_submitted')
      expect(await store.scorecards.get(interview.id, ada.id)).toEqual(submitted)
    })

    it('lets exactly one of two simultaneous submissions of one card through', async () => {
      const interview = await anInterview()
      const ada = await store.users.create(newUser('Ada'))
      const submit = (recommendation: 'yes' | 'no') =>
        store.scorecards.put(
          scorecard(interview.id, ada.id, {
            recommendation,
            status: 'submitted',
            submittedAt: '2026-01-01T11:10:00.000Z',
          }),
        )
      const results = await Promise.allSettled([submit('yes'), submit('no')])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    })

    it('lists an interview’s cards in the order each was first saved', async () => {
      const interview = await anInterview()
      const other = await anInterview()
      const ada = await store.users.create(newUser('Ada'))
      const bo = await store.users.create(newUser('Bo'))
      const early = '2026-01-01T11:00:00.000Z'
      const late = '2026-01-01T12:00:00.000Z'
      await store.scorecards.put(scorecard(interview.id, bo.id, { updatedAt: early }))
      await store.scorecards.put(scorecard(interview.id, ada.id, { updatedAt: late }))
      await store.scorecards.put(scorecard(other.id, ada.id))
      // Bo saves again later: he still comes first.
      const boAgain = scorecard(interview.id, bo.id, { overallNote: 'Again', updatedAt: late })
      await store.scorecards.put(boAgain)
      expect(await store.scorecards.list(interview.id)).toEqual([
        boAgain,
        scorecard(interview.id, ada.id, { updatedAt: late }),
      ])
      expect(await store.scorecards.list('unknown')).toEqual([])
    })
  })

  describe('documents', () => {
    it('loads an empty document for an interview nothing was written for', async () => {
      const interview = await anInterview()
      expect(await store.docs.load(code(interview.id))).toEqual({
        snapshot: null,
        updates: [],
        lastUpdateId: 0,
      })
      expect(await store.docs.timeline(code(interview.id))).toEqual([])
      expect(await store.docs.pendingSinceSnapshot(code(interview.id))).toBe(0)
    })

    it('appends updates with rising ids and loads them back byte for byte, in order', async () => {
      const interview = await anInterview()
      const firstId = await store.docs.append(code(interview.id), [
        row(1000, bytes(1, 2, 3)),
        row(1001, bytes(4)),
      ])
      const secondId = await store.docs.append(code(interview.id), [row(1002, bytes(0, 255))])
      expect(secondId).toBeGreaterThan(firstId)
      expect(await store.docs.load(code(interview.id))).toEqual({
        snapshot: null,
        updates: [bytes(1, 2, 3), bytes(4), bytes(0, 255)],
        lastUpdateId: secondId,
      })
      const timeline = await store.docs.timeline(code(interview.id))
      expect(timeline.map(({ at, update, author }) => ({ at, update, author }))).toEqual([
        row(1000, bytes(1, 2, 3)),
        row(1001, bytes(4)),
        row(1002, bytes(0, 255)),
      ])
      expect(timeline.at(-1)?.id).toBe(secondId)
      expect(timeline[0]?.id).toBeLessThan(timeline[1]?.id ?? 0)
    })

    it('appends several documents at once, returning each batch’s last id in order', async () => {
      const a = await anInterview()
      const b = await anInterview()
      const ids = await store.docs.appendMany([
        {
          ref: code(a.id),
          updates: [row(1, bytes(1)), row(2, bytes(2))],
        },
        { ref: code(b.id), updates: [row(3, bytes(3))] },
      ])
      expect(ids).toHaveLength(2)
      expect(await store.docs.load(code(a.id))).toMatchObject({
        updates: [bytes(1), bytes(2)],
        lastUpdateId: ids[0],
      })
      expect(await store.docs.load(code(b.id))).toMatchObject({
        updates: [bytes(3)],
        lastUpdateId: ids[1],
      })
    })

    it('writes every batch of appendMany or, when one fails, none', async () => {
      const a = await anInterview()
      const b = await anInterview()
      // A null update cannot be stored by any store: the second batch fails after the first ran.
      const broken = null as unknown as Uint8Array
      await expect(
        store.docs.appendMany([
          { ref: code(a.id), updates: [row(1, bytes(1))] },
          { ref: code(b.id), updates: [row(2, broken)] },
        ]),
      ).rejects.toThrow()
      expect(await store.docs.timeline(code(a.id))).toEqual([])
      expect(await store.docs.timeline(code(b.id))).toEqual([])
    })

    it('loads the snapshot plus only the updates after it, and keeps the whole timeline', async () => {
      const interview = await anInterview()
      const covered = await store.docs.append(code(interview.id), [
        row(1, bytes(1)),
        row(2, bytes(2)),
      ])
      await store.docs.saveSnapshot(code(interview.id), {
        at: 0,
        state: bytes(9, 9),
        uptoUpdateId: covered,
      })
      expect(await store.docs.pendingSinceSnapshot(code(interview.id))).toBe(0)
      const after = await store.docs.append(code(interview.id), [row(3, bytes(3))])

      expect(await store.docs.load(code(interview.id))).toEqual({
        snapshot: bytes(9, 9),
        updates: [bytes(3)],
        lastUpdateId: after,
      })
      expect(await store.docs.pendingSinceSnapshot(code(interview.id))).toBe(1)
      expect((await store.docs.timeline(code(interview.id))).map((u) => u.update)).toEqual([
        bytes(1),
        bytes(2),
        bytes(3),
      ])

      // A later snapshot replaces the first.
      await store.docs.saveSnapshot(code(interview.id), {
        at: 0,
        state: bytes(8),
        uptoUpdateId: after,
      })
      expect(await store.docs.load(code(interview.id))).toEqual({
        snapshot: bytes(8),
        updates: [],
        lastUpdateId: after,
      })
    })

    it('keeps each interview’s document apart', async () => {
      const a = await anInterview()
      const b = await anInterview()
      await store.docs.append(code(a.id), [row(1, bytes(1))])
      const bLast = await store.docs.append(code(b.id), [row(2, bytes(2))])
      await store.docs.saveSnapshot(code(b.id), { at: 0, state: bytes(7), uptoUpdateId: bLast })
      expect(await store.docs.load(code(a.id))).toMatchObject({
        snapshot: null,
        updates: [bytes(1)],
      })
      expect(await store.docs.timeline(code(b.id))).toHaveLength(1)
      expect(await store.docs.pendingSinceSnapshot(code(a.id))).toBe(1)
    })

    it('keeps the code and notes documents of one interview apart', async () => {
      const interview = await anInterview()
      const notes: DocRef = { interviewId: interview.id, doc: 'notes' }
      await store.docs.append(code(interview.id), [row(1, bytes(1))])
      const notesLast = await store.docs.append(notes, [row(2, bytes(2))])
      await store.docs.saveSnapshot(notes, { at: 3, state: bytes(7), uptoUpdateId: notesLast })
      expect(await store.docs.load(code(interview.id))).toMatchObject({
        snapshot: null,
        updates: [bytes(1)],
      })
      expect(await store.docs.load(notes)).toMatchObject({ snapshot: bytes(7), updates: [] })
      expect((await store.docs.timeline(notes)).map((u) => u.update)).toEqual([bytes(2)])
      expect(await store.docs.pendingSinceSnapshot(code(interview.id))).toBe(1)
    })

    it('records each update’s author: a participant with their role, or the server with its reason', async () => {
      const interview = await anInterview()
      const interviewer: DocAuthor = {
        kind: 'participant',
        participantId: 'p-2',
        role: 'interviewer',
      }
      const server: DocAuthor = { kind: 'server', reason: 'seed' }
      await store.docs.append(code(interview.id), [
        row(1, bytes(1), server),
        row(2, bytes(2)),
        row(3, bytes(3), interviewer),
      ])
      expect((await store.docs.timeline(code(interview.id))).map((u) => u.author)).toEqual([
        server,
        candidateAuthor,
        interviewer,
      ])
    })

    it('gives the document at a time: the checkpoint before it plus the updates received until then', async () => {
      const interview = await anInterview()
      const doc = code(interview.id)
      expect(await store.docs.docAt(doc, 5000)).toEqual({
        snapshot: null,
        updates: [],
        lastUpdateId: 0,
      })
      await store.docs.append(doc, [row(1000, bytes(1)), row(2000, bytes(2))])
      const second = (await store.docs.timeline(doc)).at(-1)?.id ?? 0
      // The checkpoint at 2500 holds rows 1 and 2; row 3 arrives later.
      await store.docs.saveSnapshot(doc, { at: 2500, state: bytes(12), uptoUpdateId: second })
      const third = await store.docs.append(doc, [row(3000, bytes(3))])
      await store.docs.saveSnapshot(doc, { at: 3500, state: bytes(123), uptoUpdateId: third })

      expect(await store.docs.docAt(doc, 999)).toMatchObject({ snapshot: null, updates: [] })
      expect(await store.docs.docAt(doc, 1000)).toMatchObject({
        snapshot: null,
        updates: [bytes(1)],
      })
      expect(await store.docs.docAt(doc, 2600)).toMatchObject({ snapshot: bytes(12), updates: [] })
      expect(await store.docs.docAt(doc, 3000)).toMatchObject({
        snapshot: bytes(12),
        updates: [bytes(3)],
        lastUpdateId: third,
      })
      expect(await store.docs.docAt(doc, 9999)).toMatchObject({ snapshot: bytes(123), updates: [] })
      // Loading always starts from the newest checkpoint.
      expect(await store.docs.load(doc)).toMatchObject({ snapshot: bytes(123), updates: [] })
    })
  })

  describe('timeline events', () => {
    it('lists an interview’s joins, leaves and language switches in the order they were appended', async () => {
      const interview = await anInterview()
      const other = await anInterview()
      const join = {
        kind: 'join',
        doc: 'code',
        participantId: 'p-1',
        role: 'candidate',
      } as const
      const language = {
        kind: 'language',
        participantId: 'p-2',
        role: 'interviewer',
        from: 'javascript',
        to: 'python',
      } as const
      const leave = { ...join, kind: 'leave' } as const
      await store.events.append(interview.id, 10, join)
      await store.events.append(other.id, 11, join)
      await store.events.append(interview.id, 12, language)
      await store.events.append(interview.id, 12, leave)
      const listed = await store.events.list(interview.id)
      expect(listed.map(({ at, event }) => ({ at, event }))).toEqual([
        { at: 10, event: join },
        { at: 12, event: language },
        { at: 12, event: leave },
      ])
      expect(listed[0]?.id).toBeLessThan(listed[1]?.id ?? 0)
      expect(await store.events.list('nothing-here')).toEqual([])
    })

    it('keeps an integrity signal with its detail as it was appended', async () => {
      const interview = await anInterview()
      const paste = {
        kind: 'signal',
        participantId: 'p-1',
        role: 'candidate',
        name: 'Ada',
        detail: { kind: 'paste', chars: 120, lines: 4, path: 'two-sum/solution.js', line: 3 },
      } as const
      await store.events.append(interview.id, 20, paste)
      const listed = await store.events.list(interview.id)
      expect(listed.map(({ at, event }) => ({ at, event }))).toEqual([{ at: 20, event: paste }])
    })
  })

  describe('runs', () => {
    it('stores a run, its events in seq order, and its summary once finished', async () => {
      const interview = await anInterview()
      const info = runInfo(interview.id, '2026-01-01T10:00:00.000Z')
      await store.runs.create(info)
      expect(await store.runs.get(info.runId)).toEqual({ info, summary: null })

      const queued: RunEvent = { runId: info.runId, seq: 0, type: 'queued', run: info, position: 0 }
      const exit: RunEvent = {
        runId: info.runId,
        seq: 3,
        type: 'exit',
        summary: summary('passed', 'All tests passed'),
      }
      await store.runs.appendEvents(info.runId, [queued, stage(info.runId, 2)])
      await store.runs.appendEvents(info.runId, [stage(info.runId, 1), exit])
      expect((await store.runs.events(info.runId)).map((e) => e.seq)).toEqual([0, 1, 2, 3])
      expect((await store.runs.events(info.runId))[0]).toEqual(queued)

      await store.runs.finish(info.runId, summary('passed', 'All tests passed'), 'passed')
      expect(await store.runs.get(info.runId)).toEqual({
        info,
        summary: summary('passed', 'All tests passed'),
      })
      expect(await store.runs.get('unknown')).toBeNull()
      expect(await store.runs.events('unknown')).toEqual([])
    })

    it('stores all of a batch of events or, when a seq is taken, none of it', async () => {
      const interview = await anInterview()
      const info = runInfo(interview.id, '2026-01-01T10:00:00.000Z')
      await store.runs.create(info)
      await store.runs.appendEvents(info.runId, [stage(info.runId, 0)])
      await expect(
        store.runs.appendEvents(info.runId, [stage(info.runId, 1), stage(info.runId, 0)]),
      ).rejects.toThrow()
      expect((await store.runs.events(info.runId)).map((e) => e.seq)).toEqual([0])
    })

    it('lists an interview’s runs newest first, at most `limit`', async () => {
      const interview = await anInterview()
      const other = await anInterview()
      const runs = ['10:00', '10:02', '10:01'].map((time) =>
        runInfo(interview.id, `2026-01-01T${time}:00.000Z`),
      )
      for (const info of [...runs, runInfo(other.id, '2026-01-01T10:03:00.000Z')]) {
        await store.runs.create(info)
      }
      const listed = await store.runs.listForInterview(interview.id, 10)
      expect(listed.map((r) => r.info.createdAt)).toEqual([
        '2026-01-01T10:02:00.000Z',
        '2026-01-01T10:01:00.000Z',
        '2026-01-01T10:00:00.000Z',
      ])
      expect(await store.runs.listForInterview(interview.id, 1)).toHaveLength(1)
    })

    it('leaves replay runs out of an interview’s runs unless they are asked for', async () => {
      const interview = await anInterview()
      const live = runInfo(interview.id, '2026-01-01T10:00:00.000Z')
      const replay: RunInfo = {
        ...runInfo(interview.id, '2026-01-01T11:00:00.000Z'),
        replay: { at: Date.parse('2026-01-01T09:30:00.000Z'), uptoUpdateId: 7 },
      }
      await store.runs.create(live)
      await store.runs.create(replay)
      const ids = async (options?: { replays?: boolean }): Promise<string[]> =>
        (await store.runs.listForInterview(interview.id, 10, options)).map((r) => r.info.runId)
      expect(await ids()).toEqual([live.runId])
      expect(await ids({ replays: true })).toEqual([replay.runId, live.runId])
      expect((await store.runs.get(replay.runId))?.info.replay).toEqual(replay.replay)
    })

    it('fails the runs a crash left unfinished, and only those', async () => {
      const interview = await anInterview()
      const finished = runInfo(interview.id, '2026-01-01T10:00:00.000Z')
      const orphans = [
        runInfo(interview.id, '2026-01-01T10:01:00.000Z'),
        runInfo(interview.id, '2026-01-01T10:02:00.000Z'),
      ]
      for (const info of [finished, ...orphans]) await store.runs.create(info)
      const done = summary('failed', '1 of 1 tests failed')
      await store.runs.finish(finished.runId, done, 'failed')

      const crash = summary('internal_error', 'The server restarted during this run')
      expect(await store.runs.failUnfinished(crash)).toBe(2)
      expect(await store.runs.failUnfinished(crash)).toBe(0)
      expect((await store.runs.get(finished.runId))?.summary).toEqual(done)
      for (const orphan of orphans) {
        expect((await store.runs.get(orphan.runId))?.summary).toEqual(crash)
      }
    })
  })

  describe('webhooks', () => {
    async function anEndpoint(createdAt: string, url = 'https://ats.example/hook') {
      const owner =
        (await store.users.byEmail('owner@example.com')) ??
        (await store.users.create(newUser('Owner')))
      const endpoint: WebhookEndpointRecord = {
        id: newId(),
        url,
        secret: `whsec_${Buffer.from(newSecret()).toString('base64')}`,
        events: ['interview.ended', 'report.ready'],
        enabled: true,
        disabledReason: null,
        createdBy: owner.id,
        createdAt,
      }
      await store.webhooks.createEndpoint(endpoint)
      return endpoint
    }
    const delivery = (endpointId: string, createdAt: string, nextAttemptAt = createdAt) => ({
      id: newId(),
      endpointId,
      type: 'interview.ended',
      body: JSON.stringify({ type: 'interview.ended', timestamp: createdAt, data: {} }),
      createdAt,
      nextAttemptAt,
    })

    it('keeps endpoints with their secret and events, lists them newest first, and deletes one', async () => {
      const older = await anEndpoint('2026-01-01T00:00:00.000Z', 'https://a.example/')
      const newer = await anEndpoint('2026-01-02T00:00:00.000Z', 'https://b.example/')
      expect(await store.webhooks.endpointById(older.id)).toEqual(older)
      expect(await store.webhooks.endpointById('unknown')).toBeNull()
      expect((await store.webhooks.listEndpoints()).map((e) => e.url)).toEqual([
        newer.url,
        older.url,
      ])
      expect(await store.webhooks.setSecret(older.id, 'whsec_new')).toBe(true)
      expect((await store.webhooks.endpointById(older.id))?.secret).toBe('whsec_new')
      expect(await store.webhooks.setSecret('unknown', 'whsec_new')).toBe(false)
      expect(await store.webhooks.deleteEndpoint(older.id)).toBe(true)
      expect(await store.webhooks.deleteEndpoint(older.id)).toBe(false)
      expect((await store.webhooks.listEndpoints()).map((e) => e.id)).toEqual([newer.id])
    })

    it('enqueues deliveries pending and hands out only the due ones, soonest first', async () => {
      const endpoint = await anEndpoint('2026-01-01T00:00:00.000Z')
      const later = delivery(endpoint.id, '2026-01-01T10:00:00.000Z', '2026-01-01T10:05:00.000Z')
      const sooner = delivery(endpoint.id, '2026-01-01T10:01:00.000Z', '2026-01-01T10:01:00.000Z')
      const future = delivery(endpoint.id, '2026-01-01T10:02:00.000Z', '2026-01-01T11:00:00.000Z')
      for (const d of [later, sooner, future]) await store.webhooks.createDelivery(d)

      expect(await store.webhooks.deliveryById(sooner.id)).toEqual({
        ...sooner,
        status: 'pending',
        attempts: 0,
        lastAttemptAt: null,
        lastStatusCode: null,
        lastError: null,
        responseExcerpt: null,
      })
      const due = await store.webhooks.dueDeliveries('2026-01-01T10:30:00.000Z', 10)
      expect(due.map((d) => d.id)).toEqual([sooner.id, later.id])
      expect(await store.webhooks.dueDeliveries('2026-01-01T10:30:00.000Z', 1)).toHaveLength(1)
      expect((await store.webhooks.listDeliveries(endpoint.id, 10)).map((d) => d.id)).toEqual([
        future.id,
        sooner.id,
        later.id,
      ])
      expect(await store.webhooks.listDeliveries(endpoint.id, 2)).toHaveLength(2)
    })

    it('records each attempt, counting them, and a finished delivery is no longer due', async () => {
      const endpoint = await anEndpoint('2026-01-01T00:00:00.000Z')
      const d = delivery(endpoint.id, '2026-01-01T10:00:00.000Z')
      await store.webhooks.createDelivery(d)
      await store.webhooks.recordAttempt(d.id, {
        at: '2026-01-01T10:00:01.000Z',
        status: 'pending',
        nextAttemptAt: '2026-01-01T10:00:06.000Z',
        lastStatusCode: 500,
        lastError: 'The receiver answered 500.',
        responseExcerpt: 'oops',
      })
      expect(await store.webhooks.dueDeliveries('2026-01-01T10:00:05.000Z', 10)).toEqual([])
      await store.webhooks.recordAttempt(d.id, {
        at: '2026-01-01T10:00:06.000Z',
        status: 'delivered',
        nextAttemptAt: null,
        lastStatusCode: 204,
        lastError: null,
        responseExcerpt: '',
      })
      expect(await store.webhooks.deliveryById(d.id)).toMatchObject({
        status: 'delivered',
        attempts: 2,
        lastAttemptAt: '2026-01-01T10:00:06.000Z',
        nextAttemptAt: null,
        lastStatusCode: 204,
        lastError: null,
      })
      expect(await store.webhooks.dueDeliveries('2026-01-02T00:00:00.000Z', 10)).toEqual([])
    })

    it('fails an endpoint’s pending deliveries when it is turned off, and does not replay them when it is turned on', async () => {
      const endpoint = await anEndpoint('2026-01-01T00:00:00.000Z')
      const d = delivery(endpoint.id, '2026-01-01T10:00:00.000Z')
      await store.webhooks.createDelivery(d)
      expect(
        await store.webhooks.setEnabled(endpoint.id, false, 'The receiver answered 410 Gone.'),
      ).toBe(true)
      expect(await store.webhooks.endpointById(endpoint.id)).toMatchObject({
        enabled: false,
        disabledReason: 'The receiver answered 410 Gone.',
      })
      expect(await store.webhooks.deliveryById(d.id)).toMatchObject({
        status: 'failed',
        attempts: 0,
        nextAttemptAt: null,
      })
      expect((await store.webhooks.deliveryById(d.id))?.lastError).toMatch(/turned off/)
      expect(await store.webhooks.setEnabled(endpoint.id, true, null)).toBe(true)
      expect(await store.webhooks.endpointById(endpoint.id)).toMatchObject({
        enabled: true,
        disabledReason: null,
      })
      expect(await store.webhooks.dueDeliveries('2026-01-02T00:00:00.000Z', 10)).toEqual([])
      expect(await store.webhooks.setEnabled('unknown', false, null)).toBe(false)
    })

    it('deletes an endpoint’s deliveries with it, and refuses a delivery for an unknown endpoint', async () => {
      const endpoint = await anEndpoint('2026-01-01T00:00:00.000Z')
      const d = delivery(endpoint.id, '2026-01-01T10:00:00.000Z')
      await store.webhooks.createDelivery(d)
      await store.webhooks.deleteEndpoint(endpoint.id)
      expect(await store.webhooks.deliveryById(d.id)).toBeNull()
      await expect(
        store.webhooks.createDelivery(delivery('unknown', '2026-01-01T10:00:00.000Z')),
      ).rejects.toThrow()
    })
  })

  describe('failures', () => {
    it('rejects rather than throws when a write breaks a rule of the data', async () => {
      // A session for an account that does not exist: every store refuses it, as a rejection.
      let attempt: Promise<void> | undefined
      expect(() => {
        attempt = store.sessions.create({
          idHash: 'h',
          userId: 'no such user',
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2026-02-01T00:00:00.000Z',
        })
      }).not.toThrow()
      await expect(attempt).rejects.toThrow()
    })

    it('answers ping while open, and rejects or answers false once closed', async () => {
      expect(await store.ping()).toBe(true)
      await store.close()
      expect(await store.ping()).toBe(false)
      let attempt: Promise<number> | undefined
      expect(() => {
        attempt = store.users.count()
      }).not.toThrow()
      await expect(attempt).rejects.toThrow()
    })
  })

  // Only stores that keep data claim this; an in-memory store has nothing to skip.
  if (factory.durable) {
    it('keeps accounts, documents, runs, challenge versions and pending webhook deliveries across close and reopen', async () => {
      if (opened.reopen === undefined)
        throw new Error(`${factory.name} is durable but cannot reopen`)
      const interview = await anInterview()
      const last = await store.docs.append(code(interview.id), [row(5, bytes(5))])
      await store.docs.saveSnapshot(code(interview.id), {
        at: 0,
        state: bytes(6),
        uptoUpdateId: last,
      })
      const info = runInfo(interview.id, '2026-01-01T10:00:00.000Z')
      await store.runs.create(info)
      await store.runs.appendEvents(info.runId, [stage(info.runId, 0)])
      const version = {
        slug: 'two-sum',
        version: 'v1',
        files: { 'statement.md': '# Two Sum\n' },
        createdAt: '2026-01-01T10:00:00.000Z',
      }
      await store.challengeVersions.save(version)
      const owner = await store.users.byId(interview.createdBy)
      const endpoint: WebhookEndpointRecord = {
        id: newId(),
        url: 'https://ats.example/hook',
        secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
        events: ['report.ready'],
        enabled: true,
        disabledReason: null,
        createdBy: owner?.id ?? '',
        createdAt: '2026-01-01T10:00:00.000Z',
      }
      await store.webhooks.createEndpoint(endpoint)
      const pending = {
        id: newId(),
        endpointId: endpoint.id,
        type: 'report.ready',
        body: '{}',
        createdAt: '2026-01-01T10:00:00.000Z',
        nextAttemptAt: '2026-01-01T10:00:05.000Z',
      }
      await store.webhooks.createDelivery(pending)

      store = await opened.reopen()
      expect(await store.webhooks.endpointById(endpoint.id)).toEqual(endpoint)
      expect(
        (await store.webhooks.dueDeliveries('2026-01-01T10:00:05.000Z', 10)).map((d) => d.id),
      ).toEqual([pending.id])
      expect(await store.users.byId(interview.createdBy)).not.toBeNull()
      expect(await store.interviews.byId(interview.id)).toEqual(interview)
      expect(await store.docs.load(code(interview.id))).toEqual({
        snapshot: bytes(6),
        updates: [],
        lastUpdateId: last,
      })
      expect(await store.runs.get(info.runId)).toEqual({ info, summary: null })
      expect(await store.runs.events(info.runId)).toEqual([stage(info.runId, 0)])
      expect(await store.challengeVersions.get('two-sum', 'v1')).toEqual(version)
    })
  }
})
