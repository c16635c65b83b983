/**
 * The realtime channel (socket.io, path `/socket.io`). Connect with
 * `io(origin, { auth: { token: participantToken } })`; the handshake is refused without a valid
 * participant token, and the socket joins that participant's interview room only.
 *
 * Payloads arriving from clients are parsed by the schemas below; socket.io's generics type the
 * events but validate nothing.
 */
import { z } from 'zod'
import type { InterviewStatus } from './api.ts'
import type { Ack, ErrorPayload } from './errors.ts'
import { LanguageIds, type LanguageId, type LanguageInfo } from './languages.ts'
import type { RunEvent, RunInfo } from './run.ts'

/**
 * "Run the code as I see it": the sender's Yjs client id and the clock of its latest edit
 * (`Y.getState(doc.store, doc.clientID)`). The server waits until its own document holds those
 * edits before reading the code, since edits and run requests travel on different sockets.
 */
export const RunAfter = z.object({
  clientId: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 53),
  clock: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 53),
})
export type RunAfter = z.infer<typeof RunAfter>

export const RunStartPayload = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('tests'), after: RunAfter.optional() }),
  z.object({
    mode: z.literal('custom'),
    after: RunAfter.optional(),
    /** Function style: positional arguments, checked against the signature. */
    args: z.array(z.unknown()).max(32).optional(),
    /** Stdio style: the stdin text. */
    stdin: z.string().max(1_000_000).optional(),
  }),
])
export type RunStartPayload = z.infer<typeof RunStartPayload>

export const LanguageSetPayload = z.object({ language: z.enum(LanguageIds) })
export type LanguageSetPayload = z.infer<typeof LanguageSetPayload>

/** The room as the server holds it; sent on join and whenever it changes. */
export interface RoomState {
  interviewId: string
  challengeSlug: string
  language: LanguageId
  /** Key in the Y.Doc `files` map of the file being edited (see solutionPath). */
  activeFile: string
  languages: LanguageInfo[]
  /** The run in flight, if any; a second run is refused until it exits. */
  activeRun: RunInfo | null
  /** An ended interview refuses candidates; interviewers can still open it to review and run the code. */
  status: InterviewStatus
}

export interface ServerToClientEvents {
  'room:state': (state: RoomState) => void
  /** Every event of every run in the room, in seq order, redacted for candidates. */
  'run:event': (event: RunEvent) => void
  /** On join: the events of the latest run, so a late joiner sees the same results. */
  'run:history': (events: RunEvent[]) => void
  /** A problem not tied to a request, e.g. the room was closed. */
  'room:error': (error: ErrorPayload) => void
}

export interface ClientToServerEvents {
  'run:start': (payload: RunStartPayload, ack: (result: Ack<{ runId: string }>) => void) => void
  'language:set': (payload: LanguageSetPayload, ack: (result: Ack) => void) => void
}

export interface SocketAuth {
  token: string
}
