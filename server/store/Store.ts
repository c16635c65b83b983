/**
 * Everything Tandem keeps, behind one async interface: the embedded default is SQLite
 * (SqliteStore); scale-out puts PostgreSQL behind the same methods.
 *
 * Secrets (session ids, invite and API tokens, participant tokens) are stored as SHA-256 hashes;
 * only candidate link tokens are kept as they are, because interviewers copy the link again later,
 * and webhook signing secrets, because signing needs the key itself.
 *
 * Every method returns a promise that rejects, never throws, when it fails; a write that
 * conflicts with what is stored rejects with a StoreConflict (StoreConflict.ts) whose reason
 * services put in their own words. tests/store/contract.test.ts holds every implementation to
 * what this file documents.
 */
import type { InterviewStatus } from '../../protocol/api.ts'
import type { DocName, DocRef } from '../../protocol/collab.ts'
import type { LanguageId } from '../../protocol/languages.ts'
import type { Role } from '../../protocol/people.ts'
import type { RunEvent, RunInfo, RunSummary } from '../../protocol/run.ts'
import type { SignalDetail } from '../../protocol/signals.ts'
import type { Scorecard } from '../../protocol/scorecards.ts'
import type { Verdict } from '../../protocol/verdicts.ts'
import type { WebhookDeliveryStatus, WebhookEventType } from '../../protocol/webhooks.ts'

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
  /** Planned length, minutes (60 for interviews from before it could be chosen). */
  plannedMinutes: number
  /** When the candidate first entered the room; null before. */
  startedAt: string | null
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
export type NewInterviewRecord = Omit<InterviewRecord, 'locked' | 'runsDisabled' | 'startedAt'>

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

/**
 * A stored document: the latest snapshot (if any) and the updates written after it. Applying them
 * all, in order, to an empty Y.Doc gives the document.
 */
export interface StoredDoc {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  /** Id of the last update included; 0 when none. */
  lastUpdateId: number
}

/**
 * Who wrote an update. `unknown`: rows stored before the timeline recorded authors. A server
 * reason is the origin's (`seed`, `normalizeLineEndings`, …).
 */
export type DocAuthor =
  | { kind: 'participant'; participantId: string; role: Role }
  | { kind: 'server'; reason: string }
  | { kind: 'unknown' }

/** One row of a document's update log, as the collab layer appends it. */
export interface DocUpdateRow {
  /** When the server received the (last part of the) update, Unix ms. */
  at: number
  update: Uint8Array
  author: DocAuthor
}

export interface DocUpdateRecord extends DocUpdateRow {
  id: number
}

/**
 * The whole document at one moment: what loading starts from (the latest) and where replay seeks
 * to (the latest at or before a time). `state` holds every update received up to `at`, and at
 * least the update rows up to `uptoUpdateId`.
 */
export interface DocCheckpoint {
  /** Unix ms: when the live document was encoded. */
  at: number
  state: Uint8Array
  uptoUpdateId: number
}

/** Something that happened in an interview besides edits, kept for replay. */
export type TimelineEvent =
  | { kind: 'join' | 'leave'; doc: DocName; participantId: string; role: Role }
  | { kind: 'language'; participantId: string; role: Role; from: LanguageId; to: LanguageId }
  /**
   * An integrity signal (protocol/signals.ts): what a candidate's client reported, or what the
   * server saw in their edits. `name` is the participant's display name when it was recorded.
   */
  | { kind: 'signal'; participantId: string; role: Role; name: string; detail: SignalDetail }

export interface TimelineEventRecord {
  id: number
  /** Unix ms, when the server saw it. */
  at: number
  event: TimelineEvent
}

export interface RunRecordRow {
  info: RunInfo
  summary: RunSummary | null
}

/** A URL registered for the instance's webhooks (protocol/webhooks.ts). */
export interface WebhookEndpointRecord {
  id: string
  url: string
  /** `whsec_…`, kept as it is: the HMAC key every message is signed with. */
  secret: string
  /** The events it subscribed to; never empty. */
  events: WebhookEventType[]
  enabled: boolean
  /** Why Tandem turned it off (410 Gone); null when on, or turned off by an interviewer. */
  disabledReason: string | null
  /** The user id of the interviewer who registered it. */
  createdBy: string
  createdAt: string
}

/** One message to one endpoint and how its attempts went. */
export interface WebhookDeliveryRecord {
  /** Also the message's `webhook-id`, the same on every attempt. */
  id: string
  endpointId: string
  /** The message's `type` (an event, or `webhook.test`). */
  type: string
  /** The exact JSON body sent on every attempt (what the signature covers). */
  body: string
  status: WebhookDeliveryStatus
  attempts: number
  createdAt: string
  lastAttemptAt: string | null
  /** ISO 8601; set while pending, null once delivered or failed. */
  nextAttemptAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  responseExcerpt: string | null
}

/** A delivery as enqueued: pending, no attempt yet, the first due at `nextAttemptAt`. */
export type NewWebhookDeliveryRecord = Pick<
  WebhookDeliveryRecord,
  'id' | 'endpointId' | 'type' | 'body' | 'createdAt'
> & { nextAttemptAt: string }

/** What one attempt changed: its outcome, and the status and next attempt that follow. */
export type WebhookAttemptRecord = Pick<
  WebhookDeliveryRecord,
  'status' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError' | 'responseExcerpt'
> & { at: string }

/** One interviewer account's scorecard for one interview. */
export interface ScorecardRecord {
  interviewId: string
  userId: string
  card: Scorecard
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
    /** Records when the interview started, the first time only; true when this call set it. */
    markStarted(id: string, at: string): Promise<boolean>
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
  /** Documents, each addressed by (interview, name): every name has its own log and checkpoints. */
  docs: {
    /** The latest checkpoint as the snapshot, and the updates written after it. */
    load(ref: DocRef): Promise<StoredDoc>
    /** Appends updates (one flush of the write-behind buffer); returns the last id written. */
    append(ref: DocRef, updates: DocUpdateRow[]): Promise<number>
    /**
     * Appends the buffers of several documents in one transaction (one flush of every room);
     * returns the last id written per batch, in order.
     */
    appendMany(batches: { ref: DocRef; updates: DocUpdateRow[] }[]): Promise<number[]>
    /**
     * Adds a checkpoint. Loading starts from the newest (updates up to `uptoUpdateId` are then
     * covered by it); older ones stay, for replay to seek.
     */
    saveSnapshot(ref: DocRef, checkpoint: DocCheckpoint): Promise<void>
    /** Every update ever written, oldest first, with authors and times: what replay reads. */
    timeline(ref: DocRef): Promise<DocUpdateRecord[]>
    /**
     * The document as it was at `at` (Unix ms): the latest checkpoint at or before it as the
     * snapshot, and the updates received after the checkpoint up to `at`. Empty before the first.
     */
    docAt(ref: DocRef, at: number): Promise<StoredDoc>
    /** Number of updates written after the current snapshot. */
    pendingSinceSnapshot(ref: DocRef): Promise<number>
  }
  /**
   * Joins, leaves, language switches and integrity signals, per interview, in the order they were
   * appended. Stored as given (JSON), so a new kind needs no migration.
   */
  events: {
    append(interviewId: string, at: number, event: TimelineEvent): Promise<void>
    list(interviewId: string): Promise<TimelineEventRecord[]>
  }
  runs: {
    create(info: RunInfo): Promise<void>
    /** Stores all the events or, when one cannot be stored (a `seq` already taken), none. */
    appendEvents(runId: string, events: RunEvent[]): Promise<void>
    finish(runId: string, summary: RunSummary, verdict: Verdict): Promise<void>
    get(runId: string): Promise<RunRecordRow | null>
    /** In `seq` order. */
    events(runId: string): Promise<RunEvent[]>
    /**
     * Newest first. Replay runs (`info.replay` set) are left out unless `replays` is true: the
     * room's history and the report are the live session's runs, and candidates must never be
     * handed an interviewer's replay run.
     */
    listForInterview(
      interviewId: string,
      limit: number,
      options?: { replays?: boolean },
    ): Promise<RunRecordRow[]>
    /** Marks runs left unfinished by a crash as internal errors; returns how many. */
    failUnfinished(summary: RunSummary): Promise<number>
  }
  /** The instance's webhook endpoints and their delivery log (server/webhooks/). */
  webhooks: {
    createEndpoint(endpoint: WebhookEndpointRecord): Promise<void>
    endpointById(id: string): Promise<WebhookEndpointRecord | null>
    /** Every endpoint, newest first. */
    listEndpoints(): Promise<WebhookEndpointRecord[]>
    /** Deletes the endpoint and its deliveries; false when there is no such endpoint. */
    deleteEndpoint(id: string): Promise<boolean>
    /** Replaces the signing secret; false when there is no such endpoint. */
    setSecret(id: string, secret: string): Promise<boolean>
    /**
     * Turns the endpoint on (clearing `disabledReason`) or off with a reason (null: by hand);
     * false when there is no such endpoint. Turning it off fails its pending deliveries, in the
     * same transaction, with `lastError` saying so: turning it on again does not replay them.
     */
    setEnabled(id: string, enabled: boolean, reason: string | null): Promise<boolean>
    /** Enqueues a delivery (pending, no attempts); rejects for an unknown endpoint. */
    createDelivery(delivery: NewWebhookDeliveryRecord): Promise<void>
    deliveryById(id: string): Promise<WebhookDeliveryRecord | null>
    /** An endpoint's deliveries, newest first, at most `limit`. */
    listDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryRecord[]>
    /**
     * Pending deliveries of enabled endpoints whose next attempt is due at `now` (ISO 8601),
     * soonest due first, at most `limit`.
     */
    dueDeliveries(now: string, limit: number): Promise<WebhookDeliveryRecord[]>
    /** Records one attempt: `attempts` goes up by one, the rest is `attempt`'s. */
    recordAttempt(id: string, attempt: WebhookAttemptRecord): Promise<void>
  }
  /** Scorecards: one per (interview, interviewer account). */
  scorecards: {
    /** The account's card for the interview; null when it has saved none. */
    get(interviewId: string, userId: string): Promise<ScorecardRecord | null>
    /**
     * Saves the account's card, creating it or replacing a draft. StoreConflict
     * `scorecard_submitted` when the stored card is submitted, checked in the same statement as
     * the write (of two submissions racing, one wins and the other changes nothing).
     */
    put(record: ScorecardRecord): Promise<void>
    /** Every card of the interview, in the order each was first saved. */
    list(interviewId: string): Promise<ScorecardRecord[]>
  }
  /** True when the database answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}
