/**
 * The collaboration channel: y-websocket's wire protocol (y-protocols sync + awareness) at
 * `/collab/<interviewId>?token=<participantToken>`, so the stock `WebsocketProvider` works with
 * `new WebsocketProvider(`${origin}/collab`, interviewId, doc, { params: { token } })`.
 *
 * Authentication happens on the HTTP upgrade: a missing or wrong token, or a token for another
 * interview, is answered 401/403 and never becomes a WebSocket. After the upgrade, a connection
 * the server has to drop is closed with one of the codes below.
 */
import { languageFacts, type LanguageId } from './languages.ts'

export const collabPathPrefix = '/collab'

/** y-websocket message types (first varUint of every frame). */
export const CollabMessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const

export const CollabCloseCode = {
  /** A frame that does not decode, or an update Yjs rejects. */
  badMessage: 4400,
  /** The participant's access was revoked while connected. */
  unauthorized: 4401,
  /** The interview was ended or deleted. */
  roomClosed: 4404,
  /** A frame larger than the limit, or a document that would grow past its cap. */
  tooLarge: 4413,
  /** The server failed to load or store the document; reconnecting may help. */
  internal: 4500,
} as const
export type CollabCloseCode = (typeof CollabCloseCode)[keyof typeof CollabCloseCode]

/**
 * The shared document. One Y.Map of Y.Text, keyed by file path, so an interview can hold several
 * files and several challenges: `<challengeSlug>/solution.<ext>` per language. Only the server
 * creates entries (seeding starter code once); clients edit the texts.
 */
export const docFilesKey = 'files'

export function solutionPath(challengeSlug: string, language: LanguageId): string {
  return `${challengeSlug}/solution.${languageFacts[language].extension}`
}

/** The awareness state each client publishes; the server overwrites `user` with who it knows. */
export interface AwarenessState {
  user: { name: string; color: string; role: 'interviewer' | 'candidate' }
  /** y-monaco's selection field, relative positions as JSON. */
  selection?: unknown
}
