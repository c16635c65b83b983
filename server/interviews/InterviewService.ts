/**
 * Interviews and the people in them: creation, the candidate link, entering (interviewers) and
 * joining (candidates), the language everyone codes in, and the room as each role may see it.
 */
import type {
  Interview,
  InterviewCreateBody,
  JoinBody,
  ParticipantEntry,
  RoomTicket,
  RoomView,
} from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import {
  effectiveLimits,
  type LanguageId,
  type LanguageInfo,
  type LanguageLimits,
} from '../../protocol/languages.ts'
import type { Participant, Role } from '../../protocol/people.ts'
import type { RoomNotice } from '../../protocol/realtime.ts'
import type { AccessGate } from '../access/AccessGate.ts'
import { authorize, participantActor } from '../access/accessPolicy.ts'
import { challengeLanguages, type ChallengeCatalog } from '../challenges/ChallengeCatalog.ts'
import type { Challenge } from '../challenges/parseChallenge.ts'
import { TandemError } from '../errors.ts'
import { hashSecret, newId, newSecret } from '../ids.ts'
import type { InterviewRecord, ParticipantRecord, Store, UserRecord } from '../store/Store.ts'
import type { DocAccess } from './DocAccess.ts'

export interface InterviewServiceOptions {
  store: Store
  catalog: ChallengeCatalog
  docs: DocAccess
  /** The sandbox's languages (availability and limits), cached by the caller. */
  languages: () => LanguageInfo[]
  /** Base for candidate links, e.g. https://tandem.example.com (no trailing slash). */
  publicUrl: () => string
  /** Called once an interview has ended, to disconnect its candidates. */
  onEnded?: (interviewId: string) => Promise<void>
  /** What each open collab connection may do after a lock or a removal (server/access/). */
  access: AccessGate
  /**
   * Called after an interviewer locked, unlocked, switched runs or removed somebody: tell the
   * room (and, for a removal, disconnect that participant's sockets).
   */
  onAccessChanged?: (interviewId: string, notice: RoomNotice) => Promise<void>
  /** The clock timeline events (language switches) are stamped with, Unix ms. Default `Date.now`. */
  now?: () => number
}

export function toParticipant(record: ParticipantRecord): Participant {
  return { participantId: record.id, name: record.name, role: record.role }
}

export class InterviewService {
  readonly #o: InterviewServiceOptions

  constructor(options: InterviewServiceOptions) {
    this.#o = options
  }

  async create(user: UserRecord, body: InterviewCreateBody): Promise<Interview> {
    // A new interview starts on the challenge's current version and keeps it (see pinned()).
    const challenge = this.#o.catalog.get(body.challenge)
    const offered = this.#offeredLanguages(challenge)
    const language = body.language ?? offered[0]
    if (language === undefined) {
      throw new TandemError(
        'language_unavailable',
        `No language this server can run is offered by "${challenge.slug}".`,
      )
    }
    this.#assertOffered(challenge, language)
    const record: InterviewRecord = {
      id: newId(),
      title: body.title !== undefined && body.title !== '' ? body.title : challenge.title,
      challengeSlug: challenge.slug,
      challengeVersion: challenge.version,
      language,
      status: 'open',
      candidateToken: newSecret(),
      createdBy: user.id,
      createdAt: new Date().toISOString(),
      endedAt: null,
      locked: false,
      runsDisabled: false,
      plannedMinutes: body.plannedMinutes ?? 60,
      startedAt: null,
    }
    await this.#o.store.interviews.create(record)
    await this.#seed(record, language)
    return this.#toInterview(record)
  }

  async list(): Promise<Interview[]> {
    const records = await this.#o.store.interviews.list(200)
    return records.map((r) => this.#toInterview(r))
  }

  async get(id: string): Promise<Interview> {
    return this.#toInterview(await this.#record(id))
  }

  async end(id: string): Promise<Interview> {
    const record = await this.#record(id)
    if (record.status !== 'ended') {
      await this.#o.store.interviews.end(id, new Date().toISOString())
      await this.#o.docs.endRoom(id)
      await this.#o.onEnded?.(id)
    }
    return this.get(id)
  }

  /** Locks (or unlocks) the editor for candidates; `by` is the interviewer's name. */
  async setLocked(id: string, locked: boolean, by: string): Promise<Interview> {
    await this.#o.store.interviews.setLocked(id, locked)
    await this.#accessChanged(id, { type: 'locked', locked, by })
    return this.get(id)
  }

  /** Lets candidates run code, or stops them (interviewers still run). */
  async setRunsEnabled(id: string, enabled: boolean, by: string): Promise<Interview> {
    await this.#o.store.interviews.setRunsDisabled(id, !enabled)
    await this.#accessChanged(id, { type: 'runsEnabled', enabled, by })
    return this.get(id)
  }

  /** Everyone who entered or joined the interview, oldest first, removed ones included. */
  async participants(interviewId: string): Promise<ParticipantEntry[]> {
    await this.#record(interviewId)
    const records = await this.#o.store.participants.listForInterview(interviewId)
    return records.map((p) => ({
      participantId: p.id,
      name: p.name,
      role: p.role,
      joinedAt: p.createdAt,
      removedAt: p.removedAt,
    }))
  }

  /**
   * Removes a candidate: their token is refused on every channel from now on and their open
   * sockets are closed. Interviewers are not removed (any interviewer account may enter again).
   * Removing somebody already removed changes nothing.
   */
  async removeParticipant(interviewId: string, participantId: string, by: string): Promise<void> {
    const participant = await this.#o.store.participants.byId(participantId)
    if (participant?.interviewId !== interviewId) {
      throw new TandemError('not_found', 'No such participant in this interview.')
    }
    if (participant.role === 'interviewer') {
      throw new TandemError(
        'bad_request',
        'Interviewers cannot be removed: every interviewer account may enter every interview.',
      )
    }
    if (participant.removedAt !== null) return
    await this.#o.store.participants.remove(participantId, new Date().toISOString())
    await this.#accessChanged(interviewId, {
      type: 'participantRemoved',
      participantId,
      name: participant.name,
      by,
    })
  }

  /** An interviewer enters a room: a participant token for the collab socket, socket.io and /api/room. */
  async enter(interviewId: string, user: UserRecord): Promise<RoomTicket> {
    const interview = await this.#record(interviewId)
    return this.#admit(interview, { role: 'interviewer', name: user.name, userId: user.id })
  }

  /** What the join page shows before the candidate gives a name. */
  async joinPreview(
    token: string,
  ): Promise<{ interviewTitle: string; status: Interview['status'] }> {
    const interview = await this.#byCandidateToken(token)
    return { interviewTitle: interview.title, status: interview.status }
  }

  /** A candidate joins by the link's token: no account, a display name, this one interview only. */
  async join(body: JoinBody): Promise<RoomTicket> {
    const interview = await this.#byCandidateToken(body.token)
    // Whoever holds the link is let in as this interview's candidate would be.
    authorize(
      participantActor({ interviewId: interview.id, role: 'candidate', removedAt: null }),
      interview,
      'read',
    )
    return this.#admit(interview, { role: 'candidate', name: body.displayName, userId: null })
  }

  async roomView(participant: ParticipantRecord): Promise<RoomView> {
    // Access was decided by the caller (server/access/).
    const interview = await this.#record(participant.interviewId)
    const challenge = await this.challengeOf(interview)
    const languages = this.#languagesOf(challenge)
    const limits: Partial<Record<LanguageId, LanguageLimits>> = {}
    for (const language of languages) {
      limits[language.id] = effectiveLimits(language, challenge)
    }
    return {
      interviewId: interview.id,
      title: interview.title,
      role: participant.role,
      self: toParticipant(participant),
      challenge: this.#o.catalog.view(challenge, participant.role),
      languages,
      limits,
    }
  }

  /**
   * Switches the room's language (everyone sees it) and seeds that language's starter once. The
   * switch, and who made it, goes on the interview's timeline.
   */
  async setLanguage(
    interviewId: string,
    language: LanguageId,
    by: Pick<ParticipantRecord, 'id' | 'role'>,
  ): Promise<InterviewRecord> {
    // Access (ended, locked) was decided by the caller (server/access/).
    const interview = await this.#record(interviewId)
    this.#assertOffered(await this.challengeOf(interview), language)
    await this.#seed(interview, language)
    await this.#o.store.interviews.setLanguage(interviewId, language)
    await this.#o.store.events.append(interviewId, (this.#o.now ?? Date.now)(), {
      kind: 'language',
      participantId: by.id,
      role: by.role,
      from: interview.language,
      to: language,
    })
    return { ...interview, language }
  }

  /** The challenge version the interview is pinned to: its statement, tests and starters. */
  challengeOf(interview: InterviewRecord): Promise<Challenge> {
    return this.#o.catalog.pinned(interview.challengeSlug, interview.challengeVersion)
  }

  /** The languages shown in a room: its challenge's, each with the sandbox's availability. */
  async roomLanguages(interview: InterviewRecord): Promise<LanguageInfo[]> {
    return this.#languagesOf(await this.challengeOf(interview))
  }

  #languagesOf(challenge: Challenge): LanguageInfo[] {
    const offered = new Set(challengeLanguages(challenge))
    return this.#o.languages().filter((l) => offered.has(l.id))
  }

  #offeredLanguages(challenge: Challenge): LanguageId[] {
    return this.#languagesOf(challenge)
      .filter((l) => l.available)
      .map((l) => l.id)
  }

  #assertOffered(challenge: Challenge, language: LanguageId): void {
    const info = this.#languagesOf(challenge).find((l) => l.id === language)
    if (info === undefined) {
      throw new TandemError('language_unavailable', `This challenge is not offered in ${language}.`)
    }
    if (!info.available) {
      throw new TandemError(
        'language_unavailable',
        `${info.name} is unavailable on this server: ${info.reason ?? 'unknown reason'}.`,
      )
    }
  }

  async #seed(interview: InterviewRecord, language: LanguageId): Promise<void> {
    const path = solutionPath(interview.challengeSlug, language)
    const challenge = await this.challengeOf(interview)
    await this.#o.docs.seedFile(interview.id, path, this.#o.catalog.starter(challenge, language))
  }

  async #admit(
    interview: InterviewRecord,
    who: { role: Role; name: string; userId: string | null },
  ): Promise<RoomTicket> {
    const token = newSecret()
    const record: ParticipantRecord = {
      id: newId(),
      interviewId: interview.id,
      role: who.role,
      name: who.name,
      userId: who.userId,
      tokenHash: hashSecret(token),
      createdAt: new Date().toISOString(),
      removedAt: null,
    }
    await this.#o.store.participants.create(record)
    await this.#seed(interview, interview.language)
    return {
      interviewId: interview.id,
      participantToken: token,
      participant: toParticipant(record),
    }
  }

  async #accessChanged(interviewId: string, notice: RoomNotice): Promise<void> {
    this.#o.docs.reviewAccess(interviewId, await this.#o.access.docAccessOf(interviewId))
    await this.#o.onAccessChanged?.(interviewId, notice)
  }

  async #record(id: string): Promise<InterviewRecord> {
    const record = await this.#o.store.interviews.byId(id)
    if (record === null) throw new TandemError('not_found', 'No such interview.')
    return record
  }

  async #byCandidateToken(token: string): Promise<InterviewRecord> {
    const record = await this.#o.store.interviews.byCandidateToken(token)
    if (record === null)
      throw new TandemError(
        'not_found',
        'This interview link is not valid. Ask your interviewer for a new one.',
      )
    return record
  }

  #toInterview(record: InterviewRecord): Interview {
    let challengeTitle = record.challengeSlug
    try {
      challengeTitle = this.#o.catalog.get(record.challengeSlug).title
    } catch {
      // The challenge folder was removed after the interview was created; show its slug.
    }
    return {
      id: record.id,
      title: record.title,
      challengeSlug: record.challengeSlug,
      challengeTitle,
      language: record.language,
      status: record.status,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
      candidateUrl: `${this.#o.publicUrl()}/join/${record.candidateToken}`,
      locked: record.locked,
      runsDisabled: record.runsDisabled,
      plannedMinutes: record.plannedMinutes,
      startedAt: record.startedAt,
    }
  }
}
