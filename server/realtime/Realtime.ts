/**
 * The socket.io side of a room: who may connect (the protocol version, then a participant token in
 * the handshake), what they are told on joining (room state, the latest run), and what they can
 * ask for (start a run, cancel it, switch the language). Run events fan out per role: interviewers get every detail,
 * candidates get hidden tests reduced to pass/fail.
 */
import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import type { Ack } from '../../protocol/errors.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Role } from '../../protocol/people.ts'
import type { RunEvent } from '../../protocol/run.ts'
import {
  LanguageSetPayload,
  RunCancelPayload,
  RunStartPayload,
  SocketAuth,
  type ClientToServerEvents,
  type RoomNotice,
  type RoomState,
  type ServerToClientEvents,
} from '../../protocol/realtime.ts'
import { SignalReport, type Signal } from '../../protocol/signals.ts'
import { upgradeRequiredMessage } from '../../protocol/version.ts'
import type { AccessGate } from '../access/AccessGate.ts'
import type { AuthService } from '../auth/AuthService.ts'
import { fromZodError, parseInput, TandemError, toTandemError } from '../errors.ts'
import type { InterviewService } from '../interviews/InterviewService.ts'
import type { Logger } from '../logger.ts'
import type { RunBroadcaster, RunService } from '../runs/RunService.ts'
import type { SignalService } from '../signals/SignalService.ts'
import type { InterviewRecord, ParticipantRecord, Store } from '../store/Store.ts'

interface SocketData {
  participant: ParticipantRecord
}

type RoomSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>

export interface RealtimeOptions {
  auth: AuthService
  /** Who may connect and do what (server/access/). */
  access: AccessGate
  interviews: InterviewService
  store: Store
  logger: Logger
  /** Integrity signals: `signal:report` is recorded there, and interviewers get its history. */
  signals: SignalService
}

const roomOf = (interviewId: string, role?: Role): string =>
  role === undefined ? `i:${interviewId}` : `i:${interviewId}:${role}`
/** Every socket of one participant (they may have several tabs open). */
const participantRoom = (participantId: string): string => `p:${participantId}`

export class Realtime implements RunBroadcaster {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
  readonly #o: RealtimeOptions
  #runs: RunService | undefined

  constructor(httpServer: HttpServer, options: RealtimeOptions) {
    this.#o = options
    this.io = new Server(httpServer, {
      serveClient: false,
      // engine.io would otherwise end any other upgrade (the collab socket) that has not answered
      // within a second, e.g. while its authentication is still querying the store.
      destroyUpgrade: false,
      // Payloads are small JSON; a megabyte bounds custom input with room to spare.
      maxHttpBufferSize: 1_000_000,
      pingInterval: 10_000,
      pingTimeout: 10_000,
    })
    this.io.use((socket, next) => {
      this.#authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          // The client reads `data` on connect_error to tell "ended" from "access revoked".
          const tandemError = toTandemError(error)
          next(Object.assign(new Error(tandemError.code), { data: tandemError.toPayload() }))
        },
      )
    })
  }

  /** Starts answering room events; the run service is created after this broadcaster exists. */
  start(runs: RunService): void {
    this.#runs = runs
    this.io.on('connection', (socket) => {
      this.#onConnection(socket).catch((error: unknown) => {
        this.#o.logger.error({ err: error }, 'socket setup failed')
        socket.disconnect(true)
      })
    })
  }

  publish(interviewId: string, full: RunEvent, forCandidates: RunEvent): void {
    // Most events are the same for both roles (stages, visible tests, the exit): one emit to the
    // whole room encodes the packet once instead of once per role.
    if (forCandidates === full) {
      this.io.to(roomOf(interviewId)).emit('run:event', full)
      return
    }
    this.io.to(roomOf(interviewId, 'interviewer')).emit('run:event', full)
    this.io.to(roomOf(interviewId, 'candidate')).emit('run:event', forCandidates)
  }

  publishToInterviewers(interviewId: string, event: RunEvent): void {
    this.io.to(roomOf(interviewId, 'interviewer')).emit('replay:event', event)
  }

  /** Tells everyone in the interview its current state (after a language switch, or the end). */
  async broadcastState(interviewId: string): Promise<void> {
    const interview = await this.#o.store.interviews.byId(interviewId)
    if (interview !== null)
      this.io.to(roomOf(interviewId)).emit('room:state', await this.#state(interview))
  }

  /** An integrity signal, to the interview's interviewers only (never a candidate's socket). */
  publishSignal(interviewId: string, signal: Signal): void {
    this.io.to(roomOf(interviewId, 'interviewer')).emit('signal', signal)
  }

  /** Disconnects everyone in an interview (it ended). */
  async closeInterview(interviewId: string): Promise<void> {
    // Everyone learns the room's new status (candidates show "ended"), then candidates leave.
    await this.broadcastState(interviewId)
    this.io.in(roomOf(interviewId, 'candidate')).disconnectSockets(true)
  }

  /** Tells everyone in the interview what somebody changed, then its new state. */
  async notice(interviewId: string, notice: RoomNotice): Promise<void> {
    this.io.to(roomOf(interviewId)).emit('room:notice', notice)
    await this.broadcastState(interviewId)
  }

  /** A removed participant: every socket of theirs is told why and disconnected at once. */
  disconnectParticipant(participantId: string): void {
    const sockets = this.io.in(participantRoom(participantId))
    sockets.emit('room:error', {
      code: 'participant_removed',
      message: 'An interviewer removed you from this interview.',
    })
    sockets.disconnectSockets(true)
  }

  async close(): Promise<void> {
    await this.io.close()
  }

  async #authenticate(socket: RoomSocket): Promise<void> {
    const { token } = parseHandshake(socket.handshake.auth)
    const participant = await this.#o.auth.participantFromToken(token)
    if (participant === null) throw new TandemError('unauthorized', 'Invalid room token.')
    await this.#o.access.checkParticipant(participant, 'read')
    socket.data.participant = participant
  }

  async #onConnection(socket: RoomSocket): Promise<void> {
    const { participant } = socket.data
    const runs = this.#runs
    if (runs === undefined) throw new Error('Realtime.start was not called')
    await socket.join([
      roomOf(participant.interviewId),
      roomOf(participant.interviewId, participant.role),
      participantRoom(participant.id),
    ])
    // Asked again now that the socket is in the rooms: a removal (or the end) between the
    // handshake and the join would otherwise miss this socket when it disconnects the others.
    let interview: InterviewRecord
    try {
      ;({ interview } = await this.#o.access.checkParticipant(participant, 'read'))
    } catch (error) {
      socket.emit('room:error', toTandemError(error).toPayload())
      socket.disconnect(true)
      return
    }
    // The interview clock starts when the candidate first enters the room; everyone sees it start.
    if (
      participant.role === 'candidate' &&
      interview.status === 'open' &&
      interview.startedAt === null &&
      (await this.#o.store.interviews.markStarted(interview.id, new Date().toISOString()))
    ) {
      await this.broadcastState(interview.id)
    } else {
      socket.emit('room:state', await this.#state(interview))
    }
    // Before run:history, so a client that has run:history knows whether signals were sent.
    if (await this.#receivesSignals(participant)) {
      socket.emit('signal:history', await this.#o.signals.history(participant.interviewId))
    }
    socket.emit('run:history', await runs.history(participant.interviewId, participant.role))

    socket.on('signal:report', (payload, ack) => {
      this.#answer(socket, ack, async () => {
        const report = parseInput(SignalReport, payload, 'signal report')
        const { participant: fresh } = await this.#o.access.checkParticipant(
          participant,
          'reportSignal',
        )
        await this.#o.signals.report(fresh, report)
        return {}
      })
    })

    socket.on('run:start', (payload, ack) => {
      this.#answer(socket, ack, async () => {
        const runId = await runs.start(
          participant,
          parseInput(RunStartPayload, payload, 'run request'),
        )
        return { runId }
      })
    })
    socket.on('run:cancel', (payload, ack) => {
      this.#answer(socket, ack, async () => {
        const { runId } = parseInput(RunCancelPayload, payload, 'cancel request')
        await runs.cancel(participant, runId)
        return {}
      })
    })
    socket.on('language:set', (payload, ack) => {
      this.#answer(socket, ack, async () => {
        const { language } = parseInput(LanguageSetPayload, payload, 'language')
        await this.#o.access.checkParticipant(participant, 'setLanguage')
        if (runs.activeRun(participant.interviewId) !== null) {
          throw new TandemError(
            'run_in_progress',
            'Wait for the run to finish before switching language.',
          )
        }
        await this.#o.interviews.setLanguage(participant.interviewId, language, participant)
        // Everyone is told who switched (issue 9: a switch by anyone is shown to everyone).
        await this.notice(participant.interviewId, {
          type: 'languageSwitched',
          language,
          by: participant.name,
        })
        return {}
      })
    })
  }

  /**
   * Runs a handler and answers its ack with `{ ok: true, … }` or `{ ok: false, error }`. A client
   * that sends no ack callback gets the error as a `room:error` event instead; nothing it sends
   * can throw past this point.
   */
  #answer<T extends object>(socket: RoomSocket, ack: unknown, work: () => Promise<T>): void {
    const reply = (result: Ack<T>): void => {
      if (typeof ack === 'function') (ack as (r: Ack<T>) => void)(result)
      else if (!result.ok) socket.emit('room:error', result.error)
    }
    work().then(
      (data) => reply({ ok: true, ...data }),
      (error: unknown) => {
        const tandemError = toTandemError(error)
        if (tandemError.code === 'internal')
          this.#o.logger.error({ err: error }, 'socket handler failed')
        reply({ ok: false, error: tandemError.toPayload() })
      },
    )
  }

  /** Whether the access policy lets this participant see the interview's signals. */
  async #receivesSignals(participant: ParticipantRecord): Promise<boolean> {
    try {
      await this.#o.access.checkParticipant(participant, 'receiveSignals')
      return true
    } catch {
      return false
    }
  }

  async #state(interview: InterviewRecord): Promise<RoomState> {
    return {
      interviewId: interview.id,
      challengeSlug: interview.challengeSlug,
      language: interview.language,
      activeFile: solutionPath(interview.challengeSlug, interview.language),
      languages: await this.#o.interviews.roomLanguages(interview),
      activeRun: this.#runs?.activeRun(interview.id) ?? null,
      status: interview.status,
      locked: interview.locked,
      runsDisabled: interview.runsDisabled,
      clock: {
        plannedMinutes: interview.plannedMinutes,
        startedAt: interview.startedAt,
        endedAt: interview.endedAt,
      },
    }
  }
}

/**
 * The handshake's `auth`, checked in this order: the protocol version first (a stale page is told
 * to reload, whatever else is wrong with it), then the token's presence, then unknown fields.
 */
function parseHandshake(auth: unknown): SocketAuth {
  const parsed = SocketAuth.safeParse(auth)
  if (parsed.success) return parsed.data
  const about = (field: keyof SocketAuth): boolean =>
    parsed.error.issues.some((issue) => issue.path[0] === field)
  if (about('protocolVersion') || typeof auth !== 'object' || auth === null) {
    throw new TandemError('upgrade_required', upgradeRequiredMessage)
  }
  if (about('token')) throw new TandemError('unauthorized', 'Missing room token.')
  throw fromZodError(parsed.error, 'handshake')
}
