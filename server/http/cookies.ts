/** The session cookie: httpOnly, SameSite=Lax, Secure when Tandem is served over https. */
import type { Request, Response } from 'express'
import { sessionTtlMs } from '../auth/AuthService.ts'

export const sessionCookie = 'tandem_session'

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

export function setSessionCookie(res: Response, secret: string, secure: boolean): void {
  res.cookie(sessionCookie, secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: sessionTtlMs,
  })
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'lax', secure, path: '/' })
}
