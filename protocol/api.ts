/**
 * The REST API under `/api`. Request bodies are parsed by the schemas here; responses are typed by
 * the interfaces. Errors answer `ApiErrorBody` (errors.ts).
 *
 * Auth: interviewers use the `tandem_session` cookie (httpOnly, SameSite=Lax) set by setup, login
 * or invite acceptance, or `Authorization: Bearer <api token>`. Room participants (interviewers
 * who entered a room, and candidates) use `Authorization: Bearer <participant token>` on
 * `/api/room`, the collab socket and socket.io.
 */
import { z } from 'zod'
import type { Difficulty } from './challenge.ts'
import {
  LanguageIds,
  type LanguageId,
  type LanguageInfo,
  type LanguageLimits,
} from './languages.ts'
import type { Participant, Role, RunEvent, RunInfo, RunSummary } from './run.ts'

const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase())
const password = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(256, 'Use at most 256 characters')
const personName = z.string().trim().min(1, 'Enter a name').max(80)

export const SetupBody = z.object({ email, password, name: personName })
export type SetupBody = z.infer<typeof SetupBody>

export const LoginBody = z.object({ email, password: z.string().min(1).max(256) })
export type LoginBody = z.infer<typeof LoginBody>

export const InviteAcceptBody = z.object({ email, password, name: personName })
export type InviteAcceptBody = z.infer<typeof InviteAcceptBody>

export const TokenCreateBody = z.object({ name: z.string().trim().min(1).max(80) })
export type TokenCreateBody = z.infer<typeof TokenCreateBody>

export const InterviewCreateBody = z.object({
  challenge: z.string().min(1).max(100),
  /** Shown in the lobby; the candidate still picks their own display name when joining. */
  title: z.string().trim().max(120).optional(),
  language: z.enum(LanguageIds).optional(),
})
export type InterviewCreateBody = z.infer<typeof InterviewCreateBody>

export const JoinBody = z.object({
  token: z.string().min(20).max(200),
  displayName: personName,
})
export type JoinBody = z.infer<typeof JoinBody>

export interface User {
  id: string
  email: string
  name: string
  createdAt: string
}

export interface SetupStatus {
  needsSetup: boolean
}

/** `GET /api/session`: who is signed in (null when nobody), without a 401 for signed-out visitors. */
export interface SessionStatus {
  user: User | null
  needsSetup: boolean
}

export interface InviteCreated {
  token: string
  /** Absolute URL to send to the new interviewer. */
  url: string
  expiresAt: string
}

export interface InviteStatus {
  valid: boolean
  invitedBy?: string
  expiresAt?: string
}

export interface ApiTokenInfo {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
}

export interface ApiTokenCreated extends ApiTokenInfo {
  /** Shown once; only its hash is stored. */
  token: string
}

export interface ChallengeSummary {
  slug: string
  title: string
  difficulty: Difficulty
  tags: string[]
  style: 'function' | 'stdio'
  /** Languages this challenge can be run in (reference solution present and validated). */
  languages: LanguageId[]
  /** Time per test (ms, before the language's multiplier) and memory (MiB), when the challenge sets them. */
  timeLimitMs?: number
  memoryLimitMb?: number
}

export interface TestCaseView {
  id: string
  name: string
  hidden: boolean
  /** Display form of the input and expected output; absent for hidden tests seen by a candidate. */
  input?: string
  expected?: string
}

/** A challenge as shown in a room. Candidates get visible tests only. */
export interface ChallengeView extends ChallengeSummary {
  /** Statement rendered from Markdown and sanitised on the server. */
  statementHtml: string
  /** e.g. `twoSum(nums: int[], target: int) -> int[]`, for function style. */
  signature?: string
  tests: TestCaseView[]
  /** Count of hidden tests (candidates see the count, not the contents). */
  hiddenTestCount: number
}

export type InterviewStatus = 'open' | 'ended'

export interface Interview {
  id: string
  title: string
  challengeSlug: string
  challengeTitle: string
  language: LanguageId
  status: InterviewStatus
  createdAt: string
  createdBy: string
  /** The candidate link; only in answers to interviewers. */
  candidateUrl: string
}

/** Answer to entering a room (interviewer) or joining one (candidate). */
export interface RoomTicket {
  interviewId: string
  /** Bearer token for /api/room, the collab socket and socket.io. */
  participantToken: string
  participant: Participant
}

export interface RoomView {
  interviewId: string
  title: string
  role: Role
  self: Participant
  challenge: ChallengeView
  languages: LanguageInfo[]
  /** Effective limits per language for this challenge. */
  limits: Partial<Record<LanguageId, LanguageLimits>>
}

export interface RunRecord {
  info: RunInfo
  summary: RunSummary | null
  events: RunEvent[]
}

export interface Health {
  ok: boolean
  database: boolean
  sandbox: boolean
  version: string
}
