/**
 * The HTTP API and the web app's files. Every body is parsed by a protocol schema at the edge;
 * every error, thrown anywhere below, leaves through one handler as `{ error: { code, message } }`.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import express, { type NextFunction, type Request, type Response } from 'express'
import {
  InterviewCreateBody,
  InviteAcceptBody,
  JoinBody,
  LockBody,
  LoginBody,
  RunsEnabledBody,
  SetupBody,
  TokenCreateBody,
  type Health,
  type RunRecord,
  type SessionStatus,
} from '../../protocol/api.ts'
import type { LanguageInfo } from '../../protocol/languages.ts'
import { WebhookCreateBody, WebhookEnabledBody } from '../../protocol/webhooks.ts'
import type { Participant } from '../../protocol/people.ts'
import { CodeAtQuery, ReplayRunBody } from '../../protocol/replay.ts'
import type { InterviewReport } from '../../protocol/report.ts'
import { ScorecardPutBody, type InterviewListEntry } from '../../protocol/scorecards.ts'
import type { AccessGate } from '../access/AccessGate.ts'
import { toUser, type AuthService } from '../auth/AuthService.ts'
import type { ChallengeCatalog } from '../challenges/ChallengeCatalog.ts'
import type { TrustProxy } from '../config.ts'
import { parseInput, TandemError, toTandemError } from '../errors.ts'
import type { InterviewService } from '../interviews/InterviewService.ts'
import type { Logger } from '../logger.ts'
import { renderReportHtml } from '../report/renderReportHtml.ts'
import type { ReplayService } from '../replay/ReplayService.ts'
import type { ReportService } from '../report/ReportService.ts'
import type { WebhookService } from '../webhooks/WebhookService.ts'
import type { ScorecardService } from '../scorecards/ScorecardService.ts'
import type { InterviewRecord, Store, UserRecord } from '../store/Store.ts'
import {
  actorOf,
  bearerToken,
  participantOf,
  resolveActor,
  requireInterviewer,
  requireParticipant,
  userOf,
} from './authMiddleware.ts'
import { serveCompressed } from './serveCompressed.ts'
import { clearSessionCookie, readCookie, sessionCookie, setSessionCookie } from './cookies.ts'

export interface AppOptions {
  auth: AuthService
  /** Who may do what in an interview (server/access/). */
  access: AccessGate
  interviews: InterviewService
  /** The interview report (JSON, HTML, PDF). */
  reports: ReportService
  /** Each interviewer's scorecard, and who may read whose (server/scorecards/). */
  scorecards: ScorecardService
  /** The timeline, the code at a moment, and replay runs (issue 9.6). */
  replay: ReplayService
  catalog: ChallengeCatalog
  store: Store
  /** The instance's webhook endpoints and their delivery logs. */
  webhooks: WebhookService
  languages: () => LanguageInfo[]
  health: () => Promise<Health>
  publicUrl: () => string
  /** Set the Secure flag on the session cookie (Tandem served over https). */
  secureCookies: boolean
  /**
   * Proxies whose X-Forwarded-For/-Proto are believed (config TRUST_PROXY); false believes none,
   * so the client address is the socket's peer and the scheme is the one this server serves.
   */
  trustProxy: TrustProxy
  /** The built web app (web/dist); null serves the API only. */
  webDist: string | null
  logger: Logger
}

/** Request bodies above this are refused with payload_too_large. */
const bodyLimit = '256kb'

export function createApp(o: AppOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  // Trusting loopback by default let any local client choose its address (and so its rate limit)
  // with X-Forwarded-For; forwarded headers now count only from proxies the operator names.
  app.set('trust proxy', o.trustProxy)
  app.use(securityHeaders)

  app.get('/healthz', async (_req, res) => {
    const health = await o.health()
    res.status(health.ok ? 200 : 503).json(health)
  })

  const api = express.Router()
  api.use(sameOriginMutations(o.publicUrl))
  api.use(express.json({ limit: bodyLimit, strict: true }))
  const interviewer = requireInterviewer(o.auth)
  const participant = requireParticipant(o.auth)
  const anyone = resolveActor(o.auth)

  // Accounts
  api.get('/setup', async (_req, res) => {
    res.json({ needsSetup: await o.auth.needsSetup() })
  })
  api.post('/setup', async (req, res) => {
    const signedIn = await o.auth.setup(parseInput(SetupBody, req.body, 'setup form'))
    setSessionCookie(res, signedIn.sessionSecret, o.secureCookies)
    res.status(201).json({ user: toUser(signedIn.user) })
  })
  api.post('/auth/login', async (req, res) => {
    const body = parseInput(LoginBody, req.body, 'sign-in form')
    const signedIn = await o.auth.login(body, req.ip ?? 'unknown')
    setSessionCookie(res, signedIn.sessionSecret, o.secureCookies)
    res.json({ user: toUser(signedIn.user) })
  })
  api.post('/auth/logout', async (req, res) => {
    const session = readCookie(req, sessionCookie)
    if (session !== undefined) await o.auth.logout(session)
    clearSessionCookie(res, o.secureCookies)
    res.status(204).end()
  })
  api.get('/session', async (req, res) => {
    const session = readCookie(req, sessionCookie)
    const user = session === undefined ? null : await o.auth.userFromSession(session)
    const answer: SessionStatus = {
      user: user === null ? null : toUser(user),
      needsSetup: user === null && (await o.auth.needsSetup()),
    }
    res.json(answer)
  })
  api.get('/me', interviewer, (req, res) => {
    res.json({ user: toUser(userOf(req)) })
  })

  // Invites and API tokens
  api.post('/invites', interviewer, async (req, res) => {
    res.status(201).json(await o.auth.createInvite(userOf(req).id, o.publicUrl()))
  })
  api.get('/invites/:token', async (req, res) => {
    res.json(await o.auth.inviteStatus(param(req, 'token')))
  })
  api.post('/invites/:token/accept', async (req, res) => {
    const body = parseInput(InviteAcceptBody, req.body, 'invite form')
    const signedIn = await o.auth.acceptInvite(param(req, 'token'), body)
    setSessionCookie(res, signedIn.sessionSecret, o.secureCookies)
    res.status(201).json({ user: toUser(signedIn.user) })
  })
  api.get('/tokens', interviewer, async (req, res) => {
    res.json(await o.auth.listApiTokens(userOf(req).id))
  })
  api.post('/tokens', interviewer, async (req, res) => {
    const body = parseInput(TokenCreateBody, req.body, 'token')
    res.status(201).json(await o.auth.createApiToken(userOf(req).id, body.name))
  })
  api.delete('/tokens/:id', interviewer, async (req, res) => {
    await o.auth.revokeApiToken(userOf(req).id, param(req, 'id'))
    res.status(204).end()
  })

  // Webhooks: the instance's, so any interviewer manages every endpoint (an ATS integration is
  // the team's); never a participant token.
  api.get('/webhooks', interviewer, async (_req, res) => {
    res.json(await o.webhooks.list())
  })
  api.post('/webhooks', interviewer, async (req, res) => {
    const body = parseInput(WebhookCreateBody, req.body, 'webhook endpoint')
    res.status(201).json(await o.webhooks.create(userOf(req), body))
  })
  api.delete('/webhooks/:id', interviewer, async (req, res) => {
    await o.webhooks.delete(param(req, 'id'))
    res.status(204).end()
  })
  api.post('/webhooks/:id/enabled', interviewer, async (req, res) => {
    const { enabled } = parseInput(WebhookEnabledBody, req.body, 'webhook switch')
    res.json(await o.webhooks.setEnabled(param(req, 'id'), enabled))
  })
  api.post('/webhooks/:id/rotate-secret', interviewer, async (req, res) => {
    res.json(await o.webhooks.rotateSecret(param(req, 'id')))
  })
  api.get('/webhooks/:id/deliveries', interviewer, async (req, res) => {
    res.json(await o.webhooks.deliveries(param(req, 'id')))
  })
  api.post('/webhooks/:id/test', interviewer, async (req, res) => {
    res.status(202).json(await o.webhooks.sendTest(param(req, 'id')))
  })

  // Challenges and languages
  api.get('/challenges', interviewer, (_req, res) => {
    res.json(o.catalog.list())
  })
  api.get('/challenges/:slug', interviewer, (req, res) => {
    res.json(o.catalog.view(o.catalog.get(param(req, 'slug')), 'interviewer'))
  })
  api.get('/languages', (_req, res) => {
    res.json(o.languages())
  })

  // Interviews
  api.get('/interviews', interviewer, async (req, res) => {
    const viewer = userOf(req).id
    const interviews = await o.interviews.list()
    // An ended interview carries its recommendations, as the independence rule lets this viewer see them.
    const entries: InterviewListEntry[] = await Promise.all(
      interviews.map(async (interview) => ({
        ...interview,
        scorecards:
          interview.status === 'ended' ? await o.scorecards.tally(interview.id, viewer) : null,
      })),
    )
    res.json(entries)
  })
  api.post('/interviews', interviewer, async (req, res) => {
    const body = parseInput(InterviewCreateBody, req.body, 'interview')
    res.status(201).json(await o.interviews.create(userOf(req), body))
  })
  api.get('/interviews/:id', interviewer, async (req, res) => {
    res.json(await o.interviews.get(param(req, 'id')))
  })
  api.post('/interviews/:id/end', anyone, async (req, res) => {
    const { interview } = await o.access.check(actorOf(req).actor, param(req, 'id'), 'end')
    res.json(await o.interviews.end(interview.id))
  })
  // Who may do what while it runs: the editor lock, candidates' runs, removing a candidate.
  api.post('/interviews/:id/lock', anyone, async (req, res) => {
    const { locked } = parseInput(LockBody, req.body, 'lock')
    const { actor, name } = actorOf(req)
    const { interview } = await o.access.check(actor, param(req, 'id'), 'lock')
    res.json(await o.interviews.setLocked(interview.id, locked, name))
  })
  api.post('/interviews/:id/runs-enabled', anyone, async (req, res) => {
    const { enabled } = parseInput(RunsEnabledBody, req.body, 'runs switch')
    const { actor, name } = actorOf(req)
    const { interview } = await o.access.check(actor, param(req, 'id'), 'setRunsEnabled')
    res.json(await o.interviews.setRunsEnabled(interview.id, enabled, name))
  })
  api.get('/interviews/:id/participants', interviewer, async (req, res) => {
    res.json(await o.interviews.participants(param(req, 'id')))
  })
  api.delete('/interviews/:id/participants/:participantId', anyone, async (req, res) => {
    const { actor, name } = actorOf(req)
    const { interview } = await o.access.check(actor, param(req, 'id'), 'removeParticipant')
    await o.interviews.removeParticipant(interview.id, param(req, 'participantId'), name)
    res.status(204).end()
  })
  api.post('/interviews/:id/enter', interviewer, async (req, res) => {
    res.json(await o.interviews.enter(param(req, 'id'), userOf(req)))
  })
  api.get('/interviews/:id/runs', interviewer, async (req, res) => {
    const id = param(req, 'id')
    await o.interviews.get(id)
    const rows = await o.store.runs.listForInterview(id, 50)
    const records: RunRecord[] = await Promise.all(
      rows.map(async (row) => ({ ...row, events: await o.store.runs.events(row.info.runId) })),
    )
    res.json(records)
  })

  // Scorecards: an interviewer account's own (session or API token, never a room token), and the
  // others' once its own is submitted.
  api.get('/interviews/:id/scorecards', anyone, async (req, res) => {
    const { interview, user } = await scorecardAccess(o.access, req)
    res.json(await o.scorecards.view(interview, user.id))
  })
  api.put('/interviews/:id/scorecards/me', anyone, async (req, res) => {
    const { interview, user } = await scorecardAccess(o.access, req)
    const body = parseInput(ScorecardPutBody, req.body, 'scorecard')
    res.json(await o.scorecards.put(interview, user.id, body))
  })

  // The report: any interviewer of the instance, live or ended; never a participant token.
  api.get('/interviews/:id/report', interviewer, async (req, res) => {
    res.json(await o.reports.report(param(req, 'id'), userOf(req).id))
  })
  api.get('/interviews/:id/report.html', interviewer, async (req, res) => {
    const report = await o.reports.report(param(req, 'id'), userOf(req).id)
    res.setHeader('Content-Disposition', `attachment; filename="${reportFileName(report)}.html"`)
    res.type('html').send(renderReportHtml(report))
  })
  api.get('/interviews/:id/report.pdf', interviewer, async (req, res) => {
    const report = await o.reports.report(param(req, 'id'), userOf(req).id)
    const pdf = await o.reports.pdf(renderReportHtml(report))
    res.setHeader('Content-Disposition', `attachment; filename="${reportFileName(report)}.pdf"`)
    res.type('pdf').send(pdf)
  })

  // Replay, live or ended: interviewers only (a candidate's token gets 403).
  api.get('/interviews/:id/timeline', anyone, async (req, res) => {
    const { interview } = await o.access.check(actorOf(req).actor, param(req, 'id'), 'replay')
    res.json(await o.replay.timeline(interview))
  })
  api.get('/interviews/:id/code', anyone, async (req, res) => {
    const { interview } = await o.access.check(actorOf(req).actor, param(req, 'id'), 'replay')
    const { at } = parseInput(CodeAtQuery, req.query, 'query')
    res.json(await o.replay.codeAt(interview, at))
  })
  api.post('/interviews/:id/replay-runs', anyone, async (req, res) => {
    const { at } = parseInput(ReplayRunBody, req.body, 'replay run')
    const { interview } = await o.access.check(actorOf(req).actor, param(req, 'id'), 'replayRun')
    const requestedBy = await requesterOf(req, o.auth)
    res.status(201).json(await o.replay.replayRun(interview, requestedBy, at))
  })
  api.get('/interviews/:id/replay-runs/:runId', anyone, async (req, res) => {
    const { interview } = await o.access.check(actorOf(req).actor, param(req, 'id'), 'replayRun')
    const row = await o.store.runs.get(param(req, 'runId'))
    if (row?.info.interviewId !== interview.id || row.info.replay === undefined) {
      throw new TandemError('not_found', 'No such replay run in this interview.')
    }
    const record: RunRecord = { ...row, events: await o.store.runs.events(row.info.runId) }
    res.json(record)
  })

  // Candidates: no account, the link's token opens one interview.
  api.get('/join/:token', async (req, res) => {
    res.json(await o.interviews.joinPreview(param(req, 'token')))
  })
  api.post('/join', async (req, res) => {
    res.status(201).json(await o.interviews.join(parseInput(JoinBody, req.body, 'join form')))
  })
  api.get('/room', participant, async (req, res) => {
    const { participant: asker } = await o.access.checkParticipant(participantOf(req), 'read')
    res.json(await o.interviews.roomView(asker))
  })

  api.use((_req, _res, next) => {
    next(new TandemError('not_found', 'No such API endpoint.'))
  })
  app.use('/api', api)

  if (o.webDist !== null && existsSync(path.join(o.webDist, 'index.html'))) {
    serveWebApp(app, o.webDist)
  }
  app.use(errorHandler(o.logger))
  return app
}

/** Hashed assets are immutable; everything else that is not an API path gets the app's index.html. */
function serveWebApp(app: express.Express, dist: string): void {
  app.use('/assets', serveCompressed(path.join(dist, 'assets')))
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), {
      immutable: true,
      maxAge: '1y',
      fallthrough: false,
    }),
  )
  app.use(express.static(dist, { index: false, maxAge: '1h' }))
  app.get(/^\/(?!api\/|socket\.io\/|collab\/|healthz).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(path.join(dist, 'index.html'))
  })
}

/**
 * The policy's `scorecard` cell for the asker, then an account: a card is an account's, so an
 * interviewer's room token (which the policy lets through as an interviewer) is refused too.
 */
async function scorecardAccess(
  access: AccessGate,
  req: Request,
): Promise<{ interview: InterviewRecord; user: UserRecord }> {
  const { interview } = await access.check(actorOf(req).actor, param(req, 'id'), 'scorecard')
  if (req.user === undefined) {
    throw new TandemError(
      'forbidden',
      'Scorecards need an interviewer account: sign in, or send an API token.',
    )
  }
  return { interview, user: req.user }
}

/** `report-<title>-<date>`, with only letters, digits and dashes (a header value and a file name). */
function reportFileName(report: InterviewReport): string {
  const title = report.interview.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
  return `report-${title === '' ? report.interview.id : title}-${report.generatedAt.slice(0, 10)}`
}

/**
 * Who asked, as a run's `requestedBy`: an interviewer's participant token names its participant;
 * an account (session or API token) is `user:<id>`, being in no room.
 */
async function requesterOf(req: Request, auth: AuthService): Promise<Participant> {
  if (req.user !== undefined) {
    return { participantId: `user:${req.user.id}`, name: req.user.name, role: 'interviewer' }
  }
  const bearer = bearerToken(req)
  const participant = bearer === undefined ? null : await auth.participantFromToken(bearer)
  if (participant === null) throw new TandemError('unauthorized', 'Missing room token.')
  return { participantId: participant.id, name: participant.name, role: participant.role }
}

/** A route parameter as a string (express 5 types wildcard parameters as arrays). */
function param(req: Request, name: string): string {
  const value = req.params[name]
  if (typeof value !== 'string') throw new TandemError('bad_request', `Missing ${name}.`)
  return value
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      // Monaco injects its own style elements.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: https:",
      "font-src 'self' data:",
      "connect-src 'self' ws: wss:",
      "worker-src 'self' blob:",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
  )
  res.setHeader('X-Content-Type-Options', 'nosniff')
  // Candidate links carry their token in the path: never leak it in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  next()
}

/**
 * CSRF defence beside the SameSite=Lax cookie. Browsers send `Origin` on every POST, PUT, PATCH and
 * DELETE, so a state-changing request without a bearer token must carry one of the server's own
 * origins, compared whole (scheme, host and port): `PUBLIC_URL`'s, or the one the request was
 * addressed to (its Host with the scheme this server serves, or X-Forwarded-Proto from a trusted
 * proxy). A missing or `null` Origin is refused: it used to pass, and sandboxed frames, some
 * redirects and non-browser clients riding a stolen cookie send exactly that. Bearer tokens are not
 * ambient credentials, so API scripts may omit Origin.
 */
function sameOriginMutations(publicUrl: () => string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
      next()
      return
    }
    if (bearerToken(req) === undefined) {
      const refusal = originRefusal(req.headers.origin, ownOrigins(req, publicUrl()))
      if (refusal !== null) {
        next(new TandemError('forbidden', refusal))
        return
      }
    }
    const type = req.headers['content-type']
    if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') {
      if (type === undefined || !/^application\/json\b/i.test(type)) {
        next(new TandemError('bad_request', 'Send request bodies as application/json.'))
        return
      }
    }
    next()
  }
}

/**
 * The origins a page of this server can have, serialised as browsers send them. Believing Host is
 * safe here: a page that reaches us under another name (DNS rebinding) has that name as its Host
 * and its origin, and the browser does not send it our cookie.
 */
function ownOrigins(req: Request, publicUrl: string): string[] {
  const origins = [new URL(publicUrl).origin]
  const host = req.headers.host
  if (host !== undefined) {
    try {
      origins.push(new URL(`${req.protocol}://${host}`).origin)
    } catch {
      // A Host that is not a host name matches nothing.
    }
  }
  return origins
}

/** Why a state-changing request's Origin is refused, or null when it is one of `own`. */
function originRefusal(origin: string | undefined, own: string[]): string | null {
  if (origin === undefined || origin === 'null') {
    return 'This request has no Origin header; send it from a Tandem page, or authenticate with an API token.'
  }
  if (!own.includes(origin.toLowerCase())) return 'Cross-origin requests are not allowed.'
  return null
}

function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // express.json reports oversized and malformed bodies with a status and type.
    const bodyError = error as { type?: string; status?: number }
    let tandemError
    if (bodyError.type === 'entity.too.large') {
      tandemError = new TandemError(
        'payload_too_large',
        `Request body is larger than ${bodyLimit}.`,
      )
    } else if (bodyError.type === 'entity.parse.failed') {
      tandemError = new TandemError('bad_request', 'Request body is not valid JSON.')
    } else {
      tandemError = toTandemError(error)
    }
    if (tandemError.code === 'internal') {
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed')
    }
    if (res.headersSent) {
      res.end()
      return
    }
    if (tandemError.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(tandemError.retryAfterSeconds))
    }
    res.status(tandemError.httpStatus).json({ error: tandemError.toPayload() })
  }
}
