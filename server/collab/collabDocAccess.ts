/**
 * Who may open which document of an interview, and how. The one place the collab upgrade asks;
 * when the shared access policy (`server/access/`) lands, this body becomes a call to it.
 */
import type { DocName } from '../../protocol/collab.ts'
import type { Participant } from '../../protocol/people.ts'
import type { InterviewRecord } from '../store/Store.ts'

/** `read`: synced and shown, but every edit is refused (CollabCloseCode.readOnly). */
export type CollabDocAccess = 'write' | 'read' | 'none'

/**
 * `code` is everyone's while the interview runs; once it ended, interviewers may read it and
 * candidates nothing. `notes` are interviewers' only, in every state (read-only once ended).
 */
export function collabDocAccess(
  actor: Participant,
  doc: DocName,
  interview: Pick<InterviewRecord, 'status'>,
): CollabDocAccess {
  const ended = interview.status === 'ended'
  if (actor.role === 'candidate') return doc === 'code' && !ended ? 'write' : 'none'
  return ended ? 'read' : 'write'
}
