/**
 * The REST API under `/api`: request bodies and answers, one zod schema each. Bodies are parsed
 * strictly (a field the schema does not name is a `bad_request` that names it); answers are
 * typed by the same schemas, and the shape tests parse them. Errors answer `ApiErrorBody`
 * (errors.ts).
 *
 * Auth: interviewers use the `tandem_session` cookie (httpOnly, SameSite=Lax) set by setup, login
 * or invite acceptance, or `Authorization: Bearer <api token>`. Room participants (interviewers
 * who entered a room, and candidates) use `Authorization: Bearer <participant token>` on
 * `/api/room`, the collab socket and socket.io.
 */
import { z } from 'zod'
import { Difficulty } from './challenge.ts'
import { LanguageId, LanguageInfo, LanguageLimits } from './languages.ts'
import { Participant, Role } from './people.ts'
import { RunEvent, RunInfo, RunSummary } from './run.ts'
import { Signature } from './types.ts'

const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase())
const password = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(256, 'Use at most 256 characters')
const personName = z.string().trim().min(1, 'Enter a name').max(80)

// ---- Request bodies -------------------------------------------------------------------------

export const SetupBody = z.strictObject({ email, password, name: personName })
export type SetupBody = z.infer<typeof SetupBody>

export const LoginBody = z.strictObject({ email, password: z.string().min(1).max(256) })
export type LoginBody = z.infer<typeof LoginBody>

export const InviteAcceptBody = z.strictObject({ email, password, name: personName })
export type InviteAcceptBody = z.infer<typeof InviteAcceptBody>

export const TokenCreateBody = z.strictObject({ name: z.string().trim().min(1).max(80) })
export type TokenCreateBody = z.infer<typeof TokenCreateBody>

export const InterviewCreateBody = z.strictObject({
  challenge: z.string().min(1).max(100),
  /** Shown in the lobby; the candidate still picks their own display name when joining. */
  title: z.string().trim().max(120).optional(),
  language: LanguageId.optional(),
  /** The interview's planned length, minutes; the room's clock counts against it. Default 60. */
  plannedMinutes: z.number().int().min(5).max(480).optional(),
})
export type InterviewCreateBody = z.infer<typeof InterviewCreateBody>

/** `POST /api/interviews/:id/lock`: lock (or unlock) the editor for candidates. */
export const LockBody = z.strictObject({ locked: z.boolean() })
export type LockBody = z.infer<typeof LockBody>

/** `POST /api/interviews/:id/runs-enabled`: let candidates run (and stop) code, or not. */
export const RunsEnabledBody = z.strictObject({ enabled: z.boolean() })
export type RunsEnabledBody = z.infer<typeof RunsEnabledBody>

export const JoinBody = z.strictObject({
  token: z.string().min(20).max(200),
  displayName: personName,
})
export type JoinBody = z.infer<typeof JoinBody>

// ---- Answers --------------------------------------------------------------------------------

export const User = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: z.string(),
})
export type User = z.infer<typeof User>

export const SetupStatus = z.strictObject({ needsSetup: z.boolean() })
export type SetupStatus = z.infer<typeof SetupStatus>

/** `GET /api/session`: who is signed in (null when nobody), without a 401 for signed-out visitors. */
export const SessionStatus = z.strictObject({ user: User.nullable(), needsSetup: z.boolean() })
export type SessionStatus = z.infer<typeof SessionStatus>

export const InviteCreated = z.strictObject({
  token: z.string(),
  /** Absolute URL to send to the new interviewer. */
  url: z.string(),
  expiresAt: z.string(),
})
export type InviteCreated = z.infer<typeof InviteCreated>

export const InviteStatus = z.strictObject({
  valid: z.boolean(),
  invitedBy: z.string().optional(),
  expiresAt: z.string().optional(),
})
export type InviteStatus = z.infer<typeof InviteStatus>

export const ApiTokenInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
})
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>

export const ApiTokenCreated = ApiTokenInfo.extend({
  /** Shown once; only its hash is stored. */
  token: z.string(),
})
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>

export const ChallengeSummary = z.strictObject({
  slug: z.string(),
  title: z.string(),
  difficulty: Difficulty,
  tags: z.array(z.string()),
  style: z.enum(['function', 'stdio']),
  /** Languages this challenge can be run in (reference solution present and validated). */
  languages: z.array(LanguageId),
  /** Time per test (ms, before the language's multiplier), when the challenge sets one. */
  timeLimitMs: z.number().optional(),
  /** Memory (MiB), when the challenge sets it. */
  memoryLimitMb: z.number().optional(),
})
export type ChallengeSummary = z.infer<typeof ChallengeSummary>

export const TestCaseView = z.strictObject({
  id: z.string(),
  name: z.string(),
  hidden: z.boolean(),
  /** Display form of the input and expected output; absent for hidden tests seen by a candidate. */
  input: z.string().optional(),
  expected: z.string().optional(),
  /**
   * Function style: the test's arguments as values (what custom input starts from), with
   * `input`. The web never parses a display string back into values.
   */
  args: z.array(z.unknown()).optional(),
})
export type TestCaseView = z.infer<typeof TestCaseView>

/** One rubric criterion: what it judges, and what each score from 1 (weakest) to 4 means. */
export const RubricCriterion = z.strictObject({
  /** Stable key derived from the name (`problem-solving`), for scorecards to refer to. */
  id: z.string(),
  name: z.string(),
  /** What scores 1, 2, 3 and 4 mean, in that order. */
  levels: z.tuple([z.string(), z.string(), z.string(), z.string()]),
})
export type RubricCriterion = z.infer<typeof RubricCriterion>

/** A challenge's interviewer-only part (its `interviewer.md`): never sent to a candidate. */
export const InterviewerGuide = z.strictObject({
  /** What the challenge assesses and follow-up questions, rendered and sanitised on the server. */
  notesHtml: z.string(),
  rubric: z.array(RubricCriterion),
})
export type InterviewerGuide = z.infer<typeof InterviewerGuide>

/** A challenge as shown in a room. Candidates get visible tests only. */
export const ChallengeView = ChallengeSummary.extend({
  /** Statement rendered from Markdown and sanitised on the server. */
  statementHtml: z.string(),
  /** e.g. `twoSum(nums: int[], target: int) -> int[]`, for function style: to show. */
  signature: z.string().optional(),
  /** The same signature as data, for function style: what custom input's fields are built from. */
  call: Signature.optional(),
  tests: z.array(TestCaseView),
  /** Count of hidden tests (candidates see the count, not the contents). */
  hiddenTestCount: z.number().int().nonnegative(),
  /** Only in answers to interviewers. */
  interviewer: InterviewerGuide.optional(),
})
export type ChallengeView = z.infer<typeof ChallengeView>

export const InterviewStatus = z.enum(['open', 'ended'])
export type InterviewStatus = z.infer<typeof InterviewStatus>

export const Interview = z.strictObject({
  id: z.string(),
  title: z.string(),
  challengeSlug: z.string(),
  challengeTitle: z.string(),
  language: LanguageId,
  status: InterviewStatus,
  createdAt: z.string(),
  createdBy: z.string(),
  /** The candidate link; only in answers to interviewers. */
  candidateUrl: z.string(),
  /** Candidates' edits are dropped while the editor is locked; interviewers still edit. */
  locked: z.boolean(),
  /** Candidates' runs are refused (`runs_disabled`) while this is set; interviewers still run. */
  runsDisabled: z.boolean(),
  /** Planned length, minutes. */
  plannedMinutes: z.number().int(),
  /** When the candidate first entered the room (ISO 8601); null before. */
  startedAt: z.string().nullable(),
})
export type Interview = z.infer<typeof Interview>

/** One entry of `GET /api/interviews/:id/participants`, oldest first. */
export const ParticipantEntry = z.strictObject({
  participantId: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: z.string(),
  /** When an interviewer removed them; null while they are in. */
  removedAt: z.string().nullable(),
})
export type ParticipantEntry = z.infer<typeof ParticipantEntry>

/** `GET /api/join/:token`: what the join page shows before the candidate gives a name. */
export const JoinPreview = z.strictObject({
  interviewTitle: z.string(),
  status: InterviewStatus,
})
export type JoinPreview = z.infer<typeof JoinPreview>

/** Answer to entering a room (interviewer) or joining one (candidate). */
export const RoomTicket = z.strictObject({
  interviewId: z.string(),
  /** Bearer token for /api/room, the collab socket and socket.io. */
  participantToken: z.string(),
  participant: Participant,
})
export type RoomTicket = z.infer<typeof RoomTicket>

export const RoomView = z.strictObject({
  interviewId: z.string(),
  title: z.string(),
  role: Role,
  self: Participant,
  challenge: ChallengeView,
  languages: z.array(LanguageInfo),
  /** Effective limits per language for this challenge. */
  limits: z.partialRecord(LanguageId, LanguageLimits),
})
export type RoomView = z.infer<typeof RoomView>

export const RunRecord = z.strictObject({
  info: RunInfo,
  summary: RunSummary.nullable(),
  events: z.array(RunEvent),
})
export type RunRecord = z.infer<typeof RunRecord>

export const Health = z.strictObject({
  ok: z.boolean(),
  database: z.boolean(),
  sandbox: z.boolean(),
  version: z.string(),
})
export type Health = z.infer<typeof Health>
