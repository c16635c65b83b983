/**
 * The composition root: one Tandem server on one machine — HTTP API and web app, the collab
 * WebSocket, socket.io rooms, the run service and the sandbox process — over the embedded store.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Health } from '../protocol/api.ts'
import type { LanguageInfo } from '../protocol/languages.ts'
import type { RunAfter } from '../protocol/realtime.ts'
import { internalErrorSummary } from '../protocol/run.ts'
import { AuthService } from './auth/AuthService.ts'
import { ChallengeCatalog } from './challenges/ChallengeCatalog.ts'
import type { ChallengeProblem } from './challenges/parseChallenge.ts'
import { folderSource } from './challenges/readChallengeFolder.ts'
import { AccessGate } from './access/AccessGate.ts'
import { attachCollab, collabToken, type CollabServer } from './collab/attachCollab.ts'
import type { Room } from './collab/Room.ts'
import { RoomManager } from './collab/RoomManager.ts'
import type { Config } from './config.ts'
import { TandemError } from './errors.ts'
import { createApp } from './http/createApp.ts'
import type { DocAccess } from './interviews/DocAccess.ts'
import { InterviewService, toParticipant } from './interviews/InterviewService.ts'
import { createLogger, type Logger } from './logger.ts'
import { Realtime } from './realtime/Realtime.ts'
import { LocalRunner } from './runner/LocalRunner.ts'
import type { Runner } from './runner/Runner.ts'
import { chromiumPrinter } from './report/printPdf.ts'
import { ReplayService } from './replay/ReplayService.ts'
import { ReportService } from './report/ReportService.ts'
import { RunService } from './runs/RunService.ts'
import { SignalService } from './signals/SignalService.ts'
import { ScorecardService } from './scorecards/ScorecardService.ts'
import { openSqliteStore } from './store/SqliteStore.ts'
import type { Store } from './store/Store.ts'
import { announceInterviewEnd, announceScorecard } from './webhooks/announceInterviewEnd.ts'
import { OutboundGuard } from './webhooks/OutboundGuard.ts'
import { WebhookDispatcher, type WebhookEmitter } from './webhooks/WebhookDispatcher.ts'
import { WebhookService } from './webhooks/WebhookService.ts'

export const version = '0.1.0'
/** How long a run waits for the requester's own edits to reach the server, ms. */
const syncWaitMs = 3_000
const webDist = fileURLToPath(new URL('../web/dist', import.meta.url))

export interface TandemOptions {
  config: Config
  logger?: Logger
  /** Replaces the local sandbox process (scale-out puts a job queue here). */
  runner?: Runner
  /**
   * The clock the timeline is stamped with (document updates, joins and leaves, checkpoints,
   * language switches, runs), Unix ms. Default `Date.now`. For tests that script a session at
   * known times (tests/server/replay.test.ts); it must never run backwards.
   */
  now?: () => number
}

export interface Tandem {
  /** Where it listens, e.g. http://localhost:3000. */
  readonly url: string
  readonly port: number
  readonly store: Store
  readonly rooms: RoomManager
  readonly challengeProblems: readonly ChallengeProblem[]
  /** Where services announce webhook events (interview.ended, report.ready, scorecard.submitted). */
  readonly webhooks: WebhookEmitter
  /** Stops taking connections, finishes runs, flushes documents, stops the sandbox. Idempotent. */
  close(): Promise<void>
}

export async function startTandem(options: TandemOptions): Promise<Tandem> {
  const { config } = options
  const logger = options.logger ?? createLogger(config.logLevel)

  const store = openSqliteStore(config.dataDir)
  const orphaned = await store.runs.failUnfinished(
    internalErrorSummary(0, 'The server stopped while this run was in flight'),
  )
  if (orphaned > 0)
    logger.warn({ orphaned }, 'runs left unfinished by the last shutdown marked failed')

  // Every version loaded is kept in the store; interviews stay on the one they started with.
  const { catalog, problems: challengeProblems } = await ChallengeCatalog.open({
    sources: [folderSource(config.challengesDir)],
    store,
  })
  for (const problem of challengeProblems) logger.error(problem, 'challenge skipped: invalid')

  const runner =
    options.runner ??
    new LocalRunner({
      logger,
      ...(config.sandboxConcurrency === undefined
        ? {}
        : { concurrency: config.sandboxConcurrency }),
      ...(config.sandboxProcesses === undefined ? {} : { processes: config.sandboxProcesses }),
      warmAtStart: config.sandboxWarm,
      // The compile cache stays in the engine's default place (a folder it creates for boxes to
      // read): DATA_DIR may be private (0700), and boxes run as an unprivileged uid.
      env: config.unsafeAllowUnsandboxed ? { TANDEM_UNSAFE_ALLOW_UNSANDBOXED: '1' } : {},
    })
  let languages: LanguageInfo[] = await runner.languages()
  for (const language of languages.filter((l) => !l.available)) {
    logger.warn({ language: language.id, reason: language.reason }, 'language unavailable')
  }

  const http = createServer()
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`
  const auth = new AuthService(store)
  const access = new AccessGate({ store, auth })
  // realtime is created below; no signal is recorded before the server listens.
  const signals = new SignalService({
    store,
    logger,
    publish: (interviewId, signal) => realtime.publishSignal(interviewId, signal),
  })
  const rooms = new RoomManager({
    store,
    logger,
    roomIdleMs: config.roomIdleMs,
    docFlushMs: config.docFlushMs,
    ...(options.now === undefined ? {} : { now: options.now }),
    // An ended interview's document is read-only however long after the end it is opened.
    onLoad: async ({ interviewId, room }) => {
      const interview = await store.interviews.byId(interviewId)
      if (interview?.status === 'ended') room.makeReadOnly()
    },
    hooks: [
      {
        // A very large single insertion into the code by a candidate: an integrity signal the
        // server sees itself, whatever their client reports.
        onLargeInsert: ({ ref, insert }) => {
          const { origin, via, ...where } = insert
          if (ref.doc !== 'code' || origin.role !== 'candidate') return
          void store.participants.byId(origin.participantId).then(
            (participant) => {
              if (participant === null) return
              signals.detected(participant, { kind: 'largeInsert', ...where, via })
            },
            (error: unknown) =>
              logger.warn({ err: error, ...ref }, 'signal: participant lookup failed'),
          )
        },
      },
    ],
  })
  // A run names the edits it must see; the room waits for them before anything is read.
  const caughtUp = async (room: Room, after: RunAfter | undefined): Promise<void> => {
    if (after === undefined || (await room.waitForClock(after.clientId, after.clock, syncWaitMs))) {
      return
    }
    throw new TandemError(
      'conflict',
      'Your latest edits have not reached the server yet. Check your connection and run again.',
    )
  }
  const docs: DocAccess = {
    readFile: (interviewId, file, after) =>
      rooms.withRoom(interviewId, async (room) => {
        await caughtUp(room, after)
        return room.readFile(file)
      }),
    readFolder: (interviewId, folder, after) =>
      rooms.withRoom(interviewId, async (room) => {
        await caughtUp(room, after)
        return room.readFolder(folder)
      }),
    seedFile: async (interviewId, file, content) => {
      await rooms.withRoom(interviewId, (room) => room.seedFile(file, content))
    },
    endRoom: (interviewId) => rooms.endRoom(interviewId),
    flush: (interviewId) => rooms.flush(interviewId),
    reviewAccess: (interviewId, accessOf) => rooms.reviewAccess(interviewId, accessOf),
  }
  // Webhooks: delivery starts once the server listens; events are queued (stored) before that.
  const guard = new OutboundGuard({ allowPrivate: config.webhookAllowPrivate })
  const webhooks = new WebhookDispatcher({
    store,
    guard,
    logger,
    retryScheduleMs: config.webhookRetryScheduleMs,
    timeoutMs: config.webhookTimeoutMs,
    pollMs: config.webhookPollMs,
    userAgent: `Tandem-Webhooks/${version}`,
  })
  const webhookEndpoints = new WebhookService({ store, guard, dispatcher: webhooks })

  const interviews = new InterviewService({
    store,
    catalog,
    docs,
    languages: () => languages,
    publicUrl: () => publicUrl,
    // realtime is created below; an interview cannot end before the server listens.
    onEnded: async (interviewId): Promise<void> => {
      await realtime.closeInterview(interviewId)
      await announceInterviewEnd({ reports, webhooks, publicUrl, logger }, interviewId)
    },
    access,
    ...(options.now === undefined ? {} : { now: options.now }),
    onAccessChanged: async (interviewId, notice): Promise<void> => {
      if (notice.type === 'participantRemoved') realtime.disconnectParticipant(notice.participantId)
      await realtime.notice(interviewId, notice)
    },
  })

  const scorecards = new ScorecardService({
    store,
    catalog,
    // reports is created below; a card is submitted only once the server listens.
    onSubmitted: (submission): Promise<void> =>
      announceScorecard({ reports, webhooks, publicUrl, logger, store }, submission),
  })
  const reports = new ReportService({
    store,
    interviews,
    docs,
    scorecards,
    pdf: chromiumPrinter(config.chromiumPath),
  })

  const health = async (): Promise<Health> => {
    const database = await store.ping()
    const sandbox = runner.ready()
    return { ok: database && sandbox, database, sandbox, version }
  }
  // runs is created below, after socket.io; nobody asks for a replay run before the server listens.
  const replay = new ReplayService({
    store,
    docs,
    runs: { startReplay: (request) => runs.startReplay(request) },
  })
  http.on(
    'request',
    createApp({
      auth,
      access,
      interviews,
      reports,
      scorecards,
      replay,
      catalog,
      store,
      webhooks: webhookEndpoints,
      languages: () => languages,
      health,
      publicUrl: () => publicUrl,
      secureCookies: publicUrl.startsWith('https:'),
      trustProxy: config.trustProxy,
      webDist,
      logger,
    }),
  )

  const collab: CollabServer = attachCollab(http, {
    manager: rooms,
    logger,
    authenticate: async (request, ref) => {
      const admitted = await access.admitToDoc(collabToken(request), ref.interviewId, ref.doc)
      if ('refused' in admitted) return admitted
      return { identity: toParticipant(admitted.participant), readOnly: admitted.access === 'read' }
    },
  })
  const realtime: Realtime = new Realtime(http, {
    auth,
    access,
    interviews,
    store,
    logger,
    signals,
  })
  const runs = new RunService({
    store,
    access,
    catalog,
    docs,
    runner,
    languages: () => languages,
    broadcaster: realtime,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  realtime.start(runs)
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const port = (http.address() as AddressInfo).port
  if (config.publicUrl === undefined) publicUrl = `http://localhost:${port}`
  webhooks.start()
  // Languages are probed again once the sandbox is warm, in case a toolchain check timed out.
  void runner.languages().then(
    (fresh) => (languages = fresh),
    () => undefined,
  )

  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      http.close()
      await runs.close()
      await webhooks.close()
      // Collab sockets first: socket.io's close waits for the HTTP server, which waits for them.
      await collab.close()
      await rooms.close()
      http.closeAllConnections()
      await realtime.close()
      await signals.close()
      await runner.close()
      await store.close()
    })())

  return {
    url: `http://localhost:${port}`,
    port,
    store,
    rooms,
    challengeProblems,
    webhooks,
    close,
  }
}

export const projectRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)))
