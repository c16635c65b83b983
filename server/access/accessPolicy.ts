/**
 * Who may do what, in one place (issue 14 B.2): a pure function of who is asking, the interview's
 * state and the action, read from one table. REST, socket.io, the run service and the collab
 * upgrade all ask it; `tests/server/accessMatrix.test.ts` walks the same table through the real
 * channels. docs/PROTOCOL.md ("Who may do what") is this table in prose.
 *
 * The team model: one team per instance. Every interviewer account may do everything in every
 * interview, whoever created it. A candidate reaches only their own interview, while it is live
 * and until an interviewer removes them.
 */
import type { ErrorCode } from '../../protocol/errors.ts'
import { TandemError } from '../errors.ts'
import type { InterviewRecord, ParticipantRecord } from '../store/Store.ts'

/** Everything a participant or an interviewer can ask of an interview. */
export const accessActions = [
  /** Open the room: the collab upgrade, the socket.io handshake, `GET /api/room`. */
  'read',
  /** A document update to the code (collab). */
  'edit',
  /** `run:start`. */
  'run',
  /** `run:cancel`. */
  'cancel',
  /** `language:set`. */
  'setLanguage',
  /** `POST /api/interviews/:id/end`. */
  'end',
  /** `POST /api/interviews/:id/lock`. */
  'lock',
  /** `POST /api/interviews/:id/runs-enabled`. */
  'setRunsEnabled',
  /** `DELETE /api/interviews/:id/participants/:participantId`. */
  'removeParticipant',
  /** `signal:report`: a paste or focus change (candidates' clients only; interviewers send none). */
  'reportSignal',
  /** Receive integrity signals: `signal:history` on join and each `signal` (interviewers only). */
  'receiveSignals',
  /**
   * `GET /api/interviews/:id/scorecards`, `PUT /api/interviews/:id/scorecards/me`: read the
   * scorecards and write one's own. The route also requires an account (session or API token).
   */
  'scorecard',
  /** Replay: `GET /api/interviews/:id/timeline`, `GET /api/interviews/:id/code?at=`. */
  'replay',
  /** "Run at this point": `POST /api/interviews/:id/replay-runs`, and reading its run. */
  'replayRun',
] as const
export type AccessAction = (typeof accessActions)[number]

/** How the asker stands to the interview. */
export type Who =
  /** Any interviewer account (session, API token, or an interviewer's participant token for it). */
  | 'interviewer'
  /** The holder of a candidate participant token for this interview. */
  | 'candidate'
  /** The holder of a participant token for another interview (a candidate's, typically). */
  | 'otherCandidate'
  /** No credentials, or credentials that are not valid anywhere. */
  | 'nobody'

/**
 * The interview's state as access sees it. `locked` and `runsDisabled` can hold together (the
 * stricter cell wins); `removed` is the asker's own: an interviewer removed their participant.
 */
export type AccessState = 'live' | 'locked' | 'runsDisabled' | 'ended' | 'removed'

/**
 * A cell: `allowed`, `dropped` (collab edits only: the connection stays open, the server applies,
 * stores and forwards nothing), or the error code of the refusal.
 */
export type Outcome = 'allowed' | 'dropped' | ErrorCode

export type AccessRow = Record<AccessAction, Outcome>

const all = (outcome: Outcome): AccessRow => ({
  read: outcome,
  edit: outcome,
  run: outcome,
  cancel: outcome,
  setLanguage: outcome,
  end: outcome,
  lock: outcome,
  setRunsEnabled: outcome,
  removeParticipant: outcome,
  reportSignal: outcome,
  receiveSignals: outcome,
  scorecard: outcome,
  replay: outcome,
  replayRun: outcome,
})
const interviewerOnly = {
  end: 'forbidden',
  lock: 'forbidden',
  setRunsEnabled: 'forbidden',
  removeParticipant: 'forbidden',
  receiveSignals: 'forbidden',
  scorecard: 'forbidden',
  replay: 'forbidden',
  replayRun: 'forbidden',
} as const satisfies Partial<AccessRow>
/** Signals are about candidates: an interviewer's client reports none. */
const candidateOnly = { reportSignal: 'forbidden' } as const satisfies Partial<AccessRow>

/**
 * The whole policy, as data. A state missing from a row is decided as `live` (a lock means
 * nothing to somebody who cannot open the room anyway).
 */
export const accessPolicy: Record<
  Who,
  Partial<Record<AccessState, AccessRow>> & { live: AccessRow }
> = {
  interviewer: {
    live: { ...all('allowed'), ...candidateOnly },
    // The lock and the runs switch bind candidates; interviewers keep editing and running.
    locked: { ...all('allowed'), ...candidateOnly },
    runsDisabled: { ...all('allowed'), ...candidateOnly },
    // Read-only for everyone. A run in flight at the end may still be stopped; ending again
    // answers the ended interview. Scorecards stay open: most are written after the end.
    // answers the ended interview. Replay, and its runs, are for after the interview too.
    ended: {
      ...all('interview_ended'),
      read: 'allowed',
      edit: 'dropped',
      cancel: 'allowed',
      end: 'allowed',
      // The signals stay on the timeline to review.
      receiveSignals: 'allowed',
      ...candidateOnly,
      scorecard: 'allowed',
      replay: 'allowed',
      replayRun: 'allowed',
    },
  },
  candidate: {
    live: { ...all('allowed'), ...interviewerOnly },
    // Their edits are dropped, not refused: a closed provider would reconnect and resend them.
    // Switching the language would change the code under the interviewer's lock.
    locked: {
      ...all('allowed'),
      ...interviewerOnly,
      edit: 'dropped',
      setLanguage: 'editor_locked',
    },
    runsDisabled: {
      ...all('allowed'),
      ...interviewerOnly,
      run: 'runs_disabled',
      cancel: 'runs_disabled',
    },
    ended: all('forbidden'),
    removed: all('participant_removed'),
  },
  otherCandidate: { live: all('forbidden'), ended: all('forbidden') },
  nobody: { live: all('unauthorized'), ended: all('unauthorized') },
}

/**
 * Who is asking. A signed-in interviewer account is `{ kind: 'user' }`; a participant token is the
 * participant it names (as stored, so a removal counts at once).
 */
export type Actor =
  | { kind: 'user' }
  | {
      kind: 'participant'
      participant: Pick<ParticipantRecord, 'interviewId' | 'role' | 'removedAt'>
    }
  | { kind: 'nobody' }

export const nobody: Actor = { kind: 'nobody' }

export function participantActor(
  participant: Pick<ParticipantRecord, 'interviewId' | 'role' | 'removedAt'>,
): Actor {
  return { kind: 'participant', participant }
}

/** What of an interview the policy reads. */
export type InterviewAccess = Pick<InterviewRecord, 'id' | 'status' | 'locked' | 'runsDisabled'>

export function whoIs(actor: Actor, interview: InterviewAccess): Who {
  switch (actor.kind) {
    case 'user':
      return 'interviewer'
    case 'nobody':
      return 'nobody'
    case 'participant':
      if (actor.participant.interviewId !== interview.id) return 'otherCandidate'
      return actor.participant.role === 'interviewer' ? 'interviewer' : 'candidate'
  }
}

/** The states that apply, strictest first: a removal, else the end, else the lock and runs switch. */
export function statesOf(actor: Actor, interview: InterviewAccess): AccessState[] {
  if (actor.kind === 'participant' && actor.participant.removedAt !== null) {
    if (actor.participant.interviewId === interview.id) return ['removed']
  }
  if (interview.status === 'ended') return ['ended']
  const states: AccessState[] = []
  if (interview.locked) states.push('locked')
  if (interview.runsDisabled) states.push('runsDisabled')
  return states.length === 0 ? ['live'] : states
}

/** How strict an outcome is, to combine the cells of states that hold together. */
const strictness = (outcome: Outcome): number =>
  outcome === 'allowed' ? 0 : outcome === 'dropped' ? 1 : 2

/** The policy's answer for one action. */
export function decide(actor: Actor, interview: InterviewAccess, action: AccessAction): Outcome {
  const row = accessPolicy[whoIs(actor, interview)]
  let decision: Outcome = 'allowed'
  for (const state of statesOf(actor, interview)) {
    const cell = (row[state] ?? row.live)[action]
    if (strictness(cell) > strictness(decision)) decision = cell
  }
  return decision
}

/**
 * Like `decide`, but a refusal is thrown as a TandemError with a message for the person asking;
 * answers `allowed` or `dropped`.
 */
export function authorize(
  actor: Actor,
  interview: InterviewAccess,
  action: AccessAction,
): 'allowed' | 'dropped' {
  const outcome = decide(actor, interview, action)
  if (outcome === 'allowed' || outcome === 'dropped') return outcome
  throw new TandemError(outcome, refusalMessage(outcome, whoIs(actor, interview), interview))
}

function refusalMessage(code: ErrorCode, who: Who, interview: InterviewAccess): string {
  if (code === 'forbidden') {
    if (who === 'otherCandidate') return 'This token is for another interview.'
    if (who === 'interviewer') return 'Only candidates report integrity signals.'
    if (interview.status === 'ended') return 'This interview has ended.'
    return 'Only interviewers can do that.'
  }
  return refusalMessages[code] ?? 'You may not do that in this interview.'
}

const refusalMessages: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'Sign in as an interviewer, or use a valid room token.',
  interview_ended: 'This interview has ended; it is read-only.',
  editor_locked: 'The interviewer has locked the editor.',
  runs_disabled: 'The interviewer has turned runs off for now.',
  participant_removed: 'An interviewer removed you from this interview.',
}

/** What one participant may do with one of an interview's documents. */
export type DocumentAccess = 'write' | 'read' | 'none'

/**
 * Document-level access for the collab upgrade: `code` is everyone's per the table (`dropped`
 * edits make it read-only); `notes` is the interviewers' own, read-only once ended, and candidates
 * never see it. Any other document name is nobody's.
 */
export function docAccess(
  actor: Actor,
  docName: string,
  interview: InterviewAccess,
): DocumentAccess {
  if (decide(actor, interview, 'read') !== 'allowed') return 'none'
  if (docName === 'notes' && whoIs(actor, interview) !== 'interviewer') return 'none'
  if (docName !== 'code' && docName !== 'notes') return 'none'
  return decide(actor, interview, 'edit') === 'allowed' ? 'write' : 'read'
}
