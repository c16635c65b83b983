/**
 * The policy (accessPolicy.ts) over the store: reads the interview and the asker as they are now
 * (a lock or a removal counts from the next request on), asks the policy, and throws its refusal.
 * Every channel enters through here; none of them decides access on its own.
 */
import type { DocName } from '../../protocol/collab.ts'
import type { ErrorPayload } from '../../protocol/errors.ts'
import type { Participant } from '../../protocol/people.ts'
import type { AuthService } from '../auth/AuthService.ts'
import { TandemError, toTandemError } from '../errors.ts'
import type { InterviewRecord, ParticipantRecord, Store } from '../store/Store.ts'
import {
  authorize,
  docAccess,
  nobody,
  participantActor,
  type AccessAction,
  type Actor,
  type DocumentAccess,
} from './accessPolicy.ts'

export interface AccessGateOptions {
  store: Pick<Store, 'interviews' | 'participants'>
  auth: Pick<AuthService, 'participantFromToken'>
}

/** An action the policy let through: the interview as read, and whether an edit is dropped. */
export interface Admitted {
  interview: InterviewRecord
  outcome: 'allowed' | 'dropped'
}

/** The collab upgrade's answer: the participant and their access, or the refusal to send. */
export type CollabAdmission =
  | { participant: ParticipantRecord; access: Exclude<DocumentAccess, 'none'> }
  | { refused: ErrorPayload }

export class AccessGate {
  readonly #o: AccessGateOptions

  constructor(options: AccessGateOptions) {
    this.#o = options
  }

  /** Lets `actor` do `action` in the interview, or throws the policy's refusal (or not_found). */
  async check(actor: Actor, interviewId: string, action: AccessAction): Promise<Admitted> {
    const interview = await this.#o.store.interviews.byId(interviewId)
    if (interview === null) {
      // Nobody learns which interview ids exist.
      authorize(
        actor,
        { id: interviewId, status: 'open', locked: false, runsDisabled: false },
        action,
      )
      throw new TandemError('not_found', 'No such interview.')
    }
    return { interview, outcome: authorize(actor, interview, action) }
  }

  /**
   * `action` by a participant in their own interview, with their record read again: a socket's
   * participant was read at its handshake, and may have been removed since.
   */
  async checkParticipant(
    participant: ParticipantRecord,
    action: AccessAction,
  ): Promise<Admitted & { participant: ParticipantRecord }> {
    const fresh = (await this.#o.store.participants.byId(participant.id)) ?? participant
    const admitted = await this.check(participantActor(fresh), fresh.interviewId, action)
    return { ...admitted, participant: fresh }
  }

  /** The actor a participant token stands for: nobody when it is missing or valid nowhere. */
  async actorOfToken(token: string | undefined): Promise<Actor> {
    const participant = token === undefined ? null : await this.#o.auth.participantFromToken(token)
    return participant === null ? nobody : participantActor(participant)
  }

  /**
   * What each participant may do with each of the interview's documents now, for connections that
   * are already open (after a lock, an unlock or a removal).
   */
  async docAccessOf(
    interviewId: string,
  ): Promise<(who: Participant, doc: DocName) => DocumentAccess> {
    const interview = await this.#o.store.interviews.byId(interviewId)
    if (interview === null) return () => 'none'
    const records = await this.#o.store.participants.listForInterview(interviewId)
    const byId = new Map(records.map((p) => [p.id, p]))
    return (who, doc) => {
      const record = byId.get(who.participantId)
      // A connection whose participant is not on record cannot stay.
      return record === undefined ? 'none' : docAccess(participantActor(record), doc, interview)
    }
  }

  /** A participant token, opening `interviewId`'s document `docName` over collab. */
  async admitToDoc(
    token: string | undefined,
    interviewId: string,
    docName: string,
  ): Promise<CollabAdmission> {
    const participant = token === undefined ? null : await this.#o.auth.participantFromToken(token)
    const actor = participant === null ? nobody : participantActor(participant)
    try {
      const { interview } = await this.check(actor, interviewId, 'read')
      const access = docAccess(actor, docName, interview)
      if (participant === null || access === 'none') {
        return { refused: { code: 'forbidden', message: 'This document is not yours to open.' } }
      }
      return { participant, access }
    } catch (error) {
      return { refused: toTandemError(error).toPayload() }
    }
  }
}
