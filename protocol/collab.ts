/**
 * The collaboration channel: y-websocket's wire protocol (y-protocols sync + awareness) at
 * `/collab/<interviewId>/<doc>?token=<participantToken>&protocolVersion=<PROTOCOL_VERSION>`, so
 * the stock `WebsocketProvider` works with
 * `new WebsocketProvider(`${origin}/collab`, collabRoomName(interviewId, 'code'), doc, { params })`.
 * An interview has several documents (DocName), each its own Y.Doc with its own awareness and
 * its own access rule; `/collab/<interviewId>` without a document is the code document, as it
 * was before documents had names (pages loaded before that keep working).
 *
 * Everything is checked on the HTTP upgrade, before any WebSocket exists: a missing or other
 * protocol version is answered 426 (`upgrade_required`), a missing or wrong token 401, a token for
 * another interview 403, each with the REST error envelope as its body. After the upgrade, a
 * connection the server has to drop is closed with one of the codes below.
 */
import { z } from 'zod'
import { languageFacts, type LanguageId } from './languages.ts'
import { Role } from './people.ts'
import { PROTOCOL_VERSION } from './version.ts'

export const collabPathPrefix = '/collab'

/**
 * The documents of an interview. `code`: the candidate's files, for everyone. `notes`: the
 * interviewers' private notes, never opened for a candidate. Matched exactly (lower case, no
 * encoding): anything else under an interview is no document (404).
 */
export const DocNames = ['code', 'notes'] as const
export const DocName = z.enum(DocNames)
export type DocName = z.infer<typeof DocName>

/** One document of one interview: how the server addresses a room, its store rows and timeline. */
export interface DocRef {
  readonly interviewId: string
  readonly doc: DocName
}

/** The provider's room name for a document: the path after `collabPathPrefix`. */
export function collabRoomName(interviewId: string, doc: DocName): string {
  return `${interviewId}/${doc}`
}

/**
 * The upgrade's query parameters, as strings. Not strict: a URL picks up parameters on its way
 * (proxies, load balancers hashing on the interview), and an unknown one is ignored.
 */
export const CollabQuery = z.object({
  /** The participant token from a RoomTicket. */
  token: z.string().min(1).max(200),
  /** Must equal PROTOCOL_VERSION (protocol/version.ts). */
  protocolVersion: z.literal(String(PROTOCOL_VERSION)),
})
export type CollabQuery = z.infer<typeof CollabQuery>

/** The provider's `params` for a participant token: the query CollabQuery parses. */
export function collabParams(token: string): CollabQuery {
  return { token, protocolVersion: String(PROTOCOL_VERSION) }
}

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

/**
 * The awareness state each client publishes; the server overwrites `user` with who it knows.
 * Loose: other fields a client publishes are relayed as they are (y-monaco and the like own them).
 */
export const AwarenessState = z.looseObject({
  user: z.strictObject({
    name: z.string(),
    color: z.string(),
    role: Role,
    /** Written by the server (a client's own copy may lack it): who this is, for presence. */
    participantId: z.string().optional(),
  }),
  /** y-monaco's selection field, relative positions as JSON. */
  selection: z.unknown().optional(),
})
export type AwarenessState = z.infer<typeof AwarenessState>
