/** Resolves who is calling and keeps the rest of the routes free of header parsing. */
import type { NextFunction, Request, Response } from 'express'
import { nobody, participantActor, type Actor } from '../access/accessPolicy.ts'
import type { AuthService } from '../auth/AuthService.ts'
import { TandemError } from '../errors.ts'
import type { ParticipantRecord, UserRecord } from '../store/Store.ts'
import { readCookie, sessionCookie } from './cookies.ts'

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireInterviewer. */
    user?: UserRecord
    /** Set by requireParticipant. */
    participant?: ParticipantRecord
    /** Set by resolveActor: who is asking, for the access policy to judge. */
    actor?: { actor: Actor; name: string }
  }
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  return match?.[1]
}

/** The interviewer account a request is made with: an API token (`bearer`) or the session cookie. */
async function interviewerOf(
  auth: AuthService,
  req: Request,
  bearer: string | undefined,
): Promise<UserRecord | null> {
  if (bearer !== undefined) return auth.userFromApiToken(bearer)
  const session = readCookie(req, sessionCookie)
  return session === undefined ? null : auth.userFromSession(session)
}

/** An interviewer: session cookie, or `Authorization: Bearer tdm_…` (API token). */
export function requireInterviewer(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const bearer = bearerToken(req)
    const user = await interviewerOf(auth, req, bearer)
    if (user === null) {
      // A participant token is valid somewhere, just not here: say so rather than "sign in".
      if (bearer !== undefined && (await auth.participantFromToken(bearer)) !== null) {
        throw new TandemError('forbidden', 'Room participants cannot call interviewer endpoints.')
      }
      throw new TandemError('unauthorized', 'Sign in as an interviewer, or send an API token.')
    }
    req.user = user
    next()
  }
}

/** Somebody in a room: `Authorization: Bearer <participant token>`. */
export function requireParticipant(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const bearer = bearerToken(req)
    const participant = bearer === undefined ? null : await auth.participantFromToken(bearer)
    if (participant === null)
      throw new TandemError('unauthorized', 'Missing or invalid room token.')
    req.participant = participant
    next()
  }
}

export function userOf(req: Request): UserRecord {
  if (req.user === undefined) throw new TandemError('unauthorized', 'Not signed in.')
  return req.user
}

export function participantOf(req: Request): ParticipantRecord {
  if (req.participant === undefined) throw new TandemError('unauthorized', 'Missing room token.')
  return req.participant
}

/**
 * Whoever is asking, without judging: an interviewer account (API token or session), a participant
 * token, or nobody. The route asks the access policy what they may do.
 */
export function resolveActor(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const bearer = bearerToken(req)
    const user = await interviewerOf(auth, req, bearer)
    if (user !== null) {
      req.user = user
      req.actor = { actor: { kind: 'user' }, name: user.name }
    } else {
      const participant = bearer === undefined ? null : await auth.participantFromToken(bearer)
      req.actor =
        participant === null
          ? { actor: nobody, name: '' }
          : { actor: participantActor(participant), name: participant.name }
    }
    next()
  }
}

export function actorOf(req: Request): { actor: Actor; name: string } {
  return req.actor ?? { actor: nobody, name: '' }
}
