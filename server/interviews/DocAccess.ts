import type { DocName } from '../../protocol/collab.ts'
import type { Participant } from '../../protocol/people.ts'
import type { RunAfter } from '../../protocol/realtime.ts'
import type { DocumentAccess } from '../access/accessPolicy.ts'

/** What the server's services need from the collaborative documents (implemented over the collab rooms). */
export interface DocAccess {
  /**
   * The file's text from the server's own copy of the document; null when the file does not
   * exist. With `after`, first waits until that copy holds the given client's edits (throws
   * `conflict` when they do not arrive in time).
   */
  readFile(interviewId: string, path: string, after?: RunAfter): Promise<string | null>
  /**
   * Every file under `folder` (all of them for `''`), by path, as `readFile` reads one: what a
   * run of a file tree takes. With `after`, waits as `readFile` does.
   */
  readFolder(
    interviewId: string,
    folder: string,
    after?: RunAfter,
  ): Promise<{ path: string; content: string }[]>
  /** Creates the file with `content` unless it exists; never duplicates, even across restarts. */
  seedFile(interviewId: string, path: string, content: string): Promise<void>
  /**
   * The interview ended: its document takes no more edits from anyone, and candidates are
   * disconnected from it (interviewers stay, read-only).
   */
  endRoom(interviewId: string): Promise<void>
  /** Writes every update received for the interview's documents to the store now. */
  flush(interviewId: string): Promise<void>
  /**
   * Access changed (lock, unlock, a removal): each open connection, to any of the interview's
   * documents, gets what `accessOf` says for its participant and document now; `none` closes it.
   */
  reviewAccess(
    interviewId: string,
    accessOf: (participant: Participant, doc: DocName) => DocumentAccess,
  ): void
}
