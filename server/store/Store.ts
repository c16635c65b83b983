/**
 * Everything Tandem keeps, behind one async interface: the embedded default is SQLite
 * (SqliteStore); scale-out puts PostgreSQL behind the same methods.
 *
 * Secrets (session ids, invite and API tokens, participant tokens) are stored as SHA-256 hashes;
 * only candidate link tokens are kept as they are, because interviewers copy the link again later.
 *
 * Every method returns a promise that rejects, never throws, when it fails; a write that
 * conflicts with what is stored rejects with a StoreConflict (StoreConflict.ts) whose reason
 * services put in their own words. tests/store/contract.test.ts holds every implementation to
 * what this file documents.
 */
import type { InterviewStatus } from '../../protocol/api.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { Role } from '../../protocol/people.ts'
import type { RunEvent, RunInfo, RunSummary } from '../../protocol/run.ts'
import type { Verdict } from '../../protocol/verdicts.ts'

export interface UserRecord {
  id: string
  email: string
  name: string
  passwordHash: string
  createdAt: string
}

export interface SessionRecord {
  idHash: string
  userId: string
  createdAt: string
  expiresAt: string
}

export interface InviteRecord {
  tokenHash: string
  createdBy: string
  createdAt: string
  expiresAt: string
  usedAt: string | null
}

export interface ApiTokenRecord {
  id: string
  userId: string
  name: string
  tokenHash: string
  createdAt: string
  lastUsedAt: string | null
}

export interface InterviewRecord {
  id: string
  title: string
  challengeSlug: string
  /**
   * The challenge version (content hash) the interview started with: its statement, tests and
   * runs stay on it when the challenge's files change. Null only for interviews created before
   * versions existed and not yet pinned (see `interviews.pinUnversioned`).
   */
  challengeVersion: string | null
  language: LanguageId
  status: InterviewStatus
  candidateToken: string
  createdBy: string
  createdAt: string
  endedAt: string | null
  /** The editor is locked: candidates' edits are dropped, interviewers still edit. */
  locked: boolean
  /** Candidates' runs (and cancels) are refused with `runs_disabled`; interviewers still run. */
  runsDisabled: boolean
}

/** One version of a challenge as it was loaded: the files it was parsed from, by path. */
export interface ChallengeVersionRecord {
  slug: string
  /** Content hash of `files` (server/challenges/challengeVersion.ts). */
  version: string
  files: Record<string, string>
  /** When this server first saw the version. */
  createdAt: string
}

/** An interview as created: unlocked, runs enabled. */
export type NewInterviewRecord = Omit<InterviewRecord, 'locked' | 'runsDisabled'>

export interface ParticipantRecord {
  id: string
  interviewId: string
  role: Role
  name: string
  userId: string | null
  tokenHash: string
  createdAt: string
  /** When an interviewer removed them; their token is refused on every channel from then on. */
  removedAt: string | null
}

/** A participant as admitted: not removed. */
export type NewParticipantRecord = Omit<ParticipantRecord, 'removedAt'>

/** A stored document: the latest snapshot (if any) and the updates written after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  /** Id of the last update included; 0 when none. */
  lastUpdateId: number
}

export interface DocUpdateRecord {
  id: number
  /** Unix ms. */
  at: number
  update: Uint8Array
}

export interface RunRecordRow {
  info: RunInfo
  summary: RunSummary | null
}

export interface Store {
  users: {
    count(): Promise<number>
    /** Creates the first account; StoreConflict `already_set_up` when any exists (race-safe). */
    createFirst(user: Omit<UserRecord, 'id' | 'createdAt'>): Promise<UserRecord>
    /** StoreConflict `email_taken` when another account has the email. */
    create(user: Omit<UserRecord, 'id' | 'createdAt'>): Promise<UserRecord>
    byEmail(email: string): Promise<UserRecord | null>
    byId(id: string): Promise<UserRecord | null>
  }
  sessions: {
    create(session: SessionRecord): Promise<void>
    /** Null when missing or expired. */
    get(idHash: string, now: Date): Promise<SessionRecord | null>
    delete(idHash: string): Promise<void>
  }
  invites: {
    create(invite: Omit<InviteRecord, 'usedAt'>): Promise<void>
    get(tokenHash: string): Promise<InviteRecord | null>
    /**
     * Marks the invite used and creates the account, atomically (of two acceptances of one
     * invite, one wins). StoreConflict `invite_unusable` when the invite is missing, used or
     * expired at `now`; `email_taken` when the email has an account (the invite stays unused).
     */
    accept(
      tokenHash: string,
      user: Omit<UserRecord, 'id' | 'createdAt'>,
      now: Date,
    ): Promise<UserRecord>
  }
  apiTokens: {
    create(token: Omit<ApiTokenRecord, 'lastUsedAt'>): Promise<void>
    byHash(tokenHash: string): Promise<ApiTokenRecord | null>
    /** Newest first. */
    listForUser(userId: string): Promise<ApiTokenRecord[]>
    /** True when a token of this user was deleted. */
    revoke(id: string, userId: string): Promise<boolean>
    touch(id: string, at: string): Promise<void>
  }
  interviews: {
    create(interview: NewInterviewRecord): Promise<void>
    byId(id: string): Promise<InterviewRecord | null>
    byCandidateToken(token: string): Promise<InterviewRecord | null>
    /** Newest first. */
    list(limit: number): Promise<InterviewRecord[]>
    setLanguage(id: string, language: LanguageId): Promise<void>
    end(id: string, at: string): Promise<void>
    /**
     * Pins every interview of `slug` that has no challenge version yet to `version`, leaving
     * pinned ones alone; returns how many were pinned.
     */
    pinUnversioned(slug: string, version: string): Promise<number>
    setLocked(id: string, locked: boolean): Promise<void>
    setRunsDisabled(id: string, disabled: boolean): Promise<void>
  }
  challengeVersions: {
    /**
     * Keeps a version; saving one already kept (same slug and version) changes nothing, so its
     * first `createdAt` stays.
     */
    save(record: ChallengeVersionRecord): Promise<void>
    get(slug: string, version: string): Promise<ChallengeVersionRecord | null>
    /** Every version kept of `slug`, oldest first. */
    list(slug: string): Promise<ChallengeVersionRecord[]>
  }
  participants: {
    create(participant: NewParticipantRecord): Promise<void>
    byId(id: string): Promise<ParticipantRecord | null>
    byTokenHash(tokenHash: string): Promise<ParticipantRecord | null>
    /** Oldest first. */
    listForInterview(interviewId: string): Promise<ParticipantRecord[]>
    /** Marks the participant removed at `at`, once; false when there is no such participant. */
    remove(id: string, at: string): Promise<boolean>
  }
  docs: {
    load(interviewId: string): Promise<StoredDoc>
    /** Appends updates (one flush of the write-behind buffer); returns the last id written. */
    append(interviewId: string, updates: { at: number; update: Uint8Array }[]): Promise<number>
    /**
     * Appends the buffers of several documents in one transaction (one flush of every room);
     * returns the last id written per batch, in order.
     */
    appendMany(
      batches: { interviewId: string; updates: { at: number; update: Uint8Array }[] }[],
    ): Promise<number[]>
    /** Replaces the snapshot; updates up to `uptoUpdateId` are then covered by it on load. */
    saveSnapshot(interviewId: string, state: Uint8Array, uptoUpdateId: number): Promise<void>
    /** Every update ever written, oldest first: the timeline that replay reads. */
    timeline(interviewId: string): Promise<DocUpdateRecord[]>
    /** Number of updates written after the current snapshot. */
    pendingSinceSnapshot(interviewId: string): Promise<number>
  }
  runs: {
    create(info: RunInfo): Promise<void>
    /** Stores all the events or, when one cannot be stored (a `seq` already taken), none. */
    appendEvents(runId: string, events: RunEvent[]): Promise<void>
    finish(runId: string, summary: RunSummary, verdict: Verdict): Promise<void>
    get(runId: string): Promise<RunRecordRow | null>
    /** In `seq` order. */
    events(runId: string): Promise<RunEvent[]>
    /** Newest first. */
    listForInterview(interviewId: string, limit: number): Promise<RunRecordRow[]>
    /** Marks runs left unfinished by a crash as internal errors; returns how many. */
    failUnfinished(summary: RunSummary): Promise<number>
  }
  /** True when the database answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}
