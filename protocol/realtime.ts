/**
 * The realtime channel (socket.io, path `/socket.io`). Connect with
 * `io(origin, { auth: { token: participantToken, protocolVersion: PROTOCOL_VERSION } })`; the
 * handshake is refused with `upgrade_required` when the version is missing or another, then
 * without a valid participant token, and the socket joins that participant's interview room only.
 *
 * Payloads arriving from clients are parsed by the schemas below, strictly: a field the schema
 * does not name is a `bad_request` naming it, never silently dropped. socket.io's generics type
 * the events but validate nothing.
 */
import { z } from 'zod'
import { InterviewStatus } from './api.ts'
import type { Ack, ErrorPayload } from './errors.ts'
import { LanguageId, LanguageInfo } from './languages.ts'
import { RunInfo, type RunEvent } from './run.ts'
import type { Signal, SignalReport } from './signals.ts'
import { PROTOCOL_VERSION } from './version.ts'

/** The socket.io handshake's `auth`. */
export const SocketAuth = z.strictObject({
  /** The participant token from a RoomTicket. */
  token: z.string().min(1).max(200),
  /** Must equal the server's PROTOCOL_VERSION (protocol/version.ts). */
  protocolVersion: z.literal(PROTOCOL_VERSION),
})
export type SocketAuth = z.infer<typeof SocketAuth>

const clockValue = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 53)

/**
 * "Run the code as I see it": the sender's Yjs client id and the clock of its latest edit
 * (`Y.getState(doc.store, doc.clientID)`). The server waits until its own document holds those
 * edits before reading the code, since edits and run requests travel on different sockets.
 */
export const RunAfter = z.strictObject({ clientId: clockValue, clock: clockValue })
export type RunAfter = z.infer<typeof RunAfter>

/**
 * `run:start`. There is no `code` field: the server runs its own copy of the shared file, and a
 * request that carries one is refused (`bad_request` naming `code`) so no client believes it ran
 * what it sent.
 */
export const RunStartPayload = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('tests'), after: RunAfter.optional() }),
  z.strictObject({
    mode: z.literal('custom'),
    after: RunAfter.optional(),
    /** Function style: positional arguments, checked against the signature. */
    args: z.array(z.unknown()).max(32).optional(),
    /** Stdio style: the stdin text. */
    stdin: z.string().max(1_000_000).optional(),
  }),
])
export type RunStartPayload = z.infer<typeof RunStartPayload>

/** `run:cancel`: stops the room's run in flight, queued or running; it exits `cancelled`. */
export const RunCancelPayload = z.strictObject({ runId: z.string().min(1).max(200) })
export type RunCancelPayload = z.infer<typeof RunCancelPayload>

export const LanguageSetPayload = z.strictObject({ language: LanguageId })
export type LanguageSetPayload = z.infer<typeof LanguageSetPayload>

/** The room as the server holds it; sent on join and whenever it changes. */
export const RoomState = z.strictObject({
  interviewId: z.string(),
  challengeSlug: z.string(),
  language: LanguageId,
  /** Key in the Y.Doc `files` map of the file being edited (see solutionPath). */
  activeFile: z.string(),
  languages: z.array(LanguageInfo),
  /** The run in flight, if any; a second run is refused until it exits. */
  activeRun: RunInfo.nullable(),
  /** An ended interview refuses candidates; interviewers can still open it to review and run the code. */
  status: InterviewStatus,
  /** An interviewer locked the editor: candidates' edits are dropped (show the editor read-only). */
  locked: z.boolean(),
  /** An interviewer turned candidates' runs off: their `run:start` answers `runs_disabled`. */
  runsDisabled: z.boolean(),
  /**
   * The interview clock everyone sees: it starts when the candidate first enters the room, and
   * counts against the planned length chosen at creation (ISO 8601 times; null: not yet).
   */
  clock: z.strictObject({
    plannedMinutes: z.number().int(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
  }),
})
export type RoomState = z.infer<typeof RoomState>

/**
 * `room:notice`: an interviewer changed who may do what, told to everyone in the room (a
 * `room:state` with the new flags follows). `by` is the interviewer's display name.
 */
export const RoomNotice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('locked'), locked: z.boolean(), by: z.string() }),
  z.strictObject({ type: z.literal('runsEnabled'), enabled: z.boolean(), by: z.string() }),
  z.strictObject({
    type: z.literal('participantRemoved'),
    participantId: z.string(),
    name: z.string(),
    by: z.string(),
  }),
  /** Anyone who may switch the language did: `by` is their name. */
  z.strictObject({ type: z.literal('languageSwitched'), language: LanguageId, by: z.string() }),
])
export type RoomNotice = z.infer<typeof RoomNotice>

export interface ServerToClientEvents {
  'room:state': (state: RoomState) => void
  /** Every event of every run in the room, in seq order, redacted for candidates. */
  'run:event': (event: RunEvent) => void
  /** On join: the events of the latest run, so a late joiner sees the same results. */
  'run:history': (events: RunEvent[]) => void
  /**
   * Every event of a replay run ("Run at this point", protocol/replay.ts), to interviewers only,
   * unredacted; apart from `run:event` so the live room's results are not disturbed.
   */
  'replay:event': (event: RunEvent) => void
  /** An interviewer locked the editor, switched runs, or removed somebody; anyone switched the language. */
  'room:notice': (notice: RoomNotice) => void
  /**
   * A problem not tied to a request, e.g. the room was closed. A removed participant gets
   * `participant_removed` and is disconnected.
   */
  'room:error': (error: ErrorPayload) => void
  /**
   * Interviewers only: an integrity signal as the server records it (protocol/signals.ts). A
   * candidate's socket never receives it.
   */
  signal: (signal: Signal) => void
  /**
   * Interviewers only, on join (after `room:state`, before `run:history`): every signal of the
   * interview so far, oldest first, so a late or reloaded interviewer sees the whole list.
   */
  'signal:history': (signals: Signal[]) => void
}

export interface ClientToServerEvents {
  'run:start': (payload: RunStartPayload, ack: (result: Ack<{ runId: string }>) => void) => void
  'run:cancel': (payload: RunCancelPayload, ack: (result: Ack) => void) => void
  'language:set': (payload: LanguageSetPayload, ack: (result: Ack) => void) => void
  /**
   * Candidates only: a paste or a focus change (SignalReport, parsed strictly). Refused with
   * `forbidden` for interviewers, `bad_request` for a payload that does not parse, and
   * `rate_limited` past the per-participant rate (the refused reports are counted as one
   * `dropped` signal).
   */
  'signal:report': (payload: SignalReport, ack: (result: Ack) => void) => void
}
