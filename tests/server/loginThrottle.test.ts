/**
 * Issue 13, finding 9. Sign-in used to allow ten tries per account per 15 minutes from anywhere:
 * anyone who knew an interviewer's email could lock them out by guessing wrong ten times. And the
 * per-address limit trusted X-Forwarded-For from loopback, so a local client (or one behind a
 * proxy on this host) could name a new address per guess. Now guessing is slowed per (account,
 * address) with a growing wait, and forwarded headers count only with TRUST_PROXY.
 *
 * Two clients are two real loopback addresses: Linux routes all of 127.0.0.0/8 to lo, so a
 * request bound to 127.0.0.2 reaches the server from a different address than one from 127.0.0.3.
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AuthService } from '../../server/auth/AuthService.ts'
import { LoginThrottle } from '../../server/auth/LoginThrottle.ts'
import { TandemError } from '../../server/errors.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'
import { setUpInterviewer, testPassword } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

interface LoginAnswer {
  status: number
  retryAfter: string | undefined
}

/** POST /api/auth/login from `localAddress`, as a browser on the server's page would send it. */
function loginFrom(
  server: TestServer,
  attempt: { from: string; password: string; forwardedFor?: string; email?: string },
): Promise<LoginAnswer> {
  const body = JSON.stringify({
    email: attempt.email ?? 'ada@example.com',
    password: attempt.password,
  })
  const port = new URL(server.url).port
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: attempt.from,
        method: 'POST',
        path: '/api/auth/login',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          origin: `http://127.0.0.1:${port}`,
          ...(attempt.forwardedFor === undefined
            ? {}
            : { 'x-forwarded-for': attempt.forwardedFor }),
        },
      },
      (response) => {
        response.resume()
        response.once('end', () => {
          const retryAfter = response.headers['retry-after']
          resolve({ status: response.statusCode ?? 0, retryAfter })
        })
      },
    )
    req.once('error', reject)
    req.end(body)
  })
}

/** `count` wrong passwords in a row from `from`, each with `forwardedFor(i)` if given. */
async function wrongGuesses(
  server: TestServer,
  guesses: { from: string; count: number; forwardedFor?: (i: number) => string },
): Promise<LoginAnswer[]> {
  const answers: LoginAnswer[] = []
  for (let i = 0; i < guesses.count; i++) {
    const forwardedFor = guesses.forwardedFor?.(i)
    answers.push(
      await loginFrom(server, {
        from: guesses.from,
        password: `guess-${i}`,
        ...(forwardedFor === undefined ? {} : { forwardedFor }),
      }),
    )
  }
  return answers
}

describe('sign-in throttling (no TRUST_PROXY)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    await setUpInterviewer(server.url)
  })
  afterAll(() => server.cleanup())

  it('lets the owner on one address sign in while an attacker on another guesses (a per-account limit used to lock them out)', async () => {
    const attacker = await wrongGuesses(server, { from: '127.0.0.2', count: 12 })
    expect(attacker.map((a) => a.status)).toContain(429)
    const owner = await loginFrom(server, { from: '127.0.0.3', password: testPassword })
    expect(owner.status).toBe(200)
  })

  it('slows guesses from one address with a growing Retry-After, then lets the right password in', async () => {
    const from = '127.0.0.4'
    const free = await wrongGuesses(server, { from, count: 5 })
    expect(free.map((a) => [a.status, a.retryAfter])).toEqual(Array(5).fill([401, undefined]))
    // The sixth wrong answer says to wait 1 s; trying at once anyway is refused, and not counted.
    const sixth = await loginFrom(server, { from, password: 'wrong 6' })
    expect([sixth.status, sixth.retryAfter]).toEqual([401, '1'])
    expect((await loginFrom(server, { from, password: testPassword })).status).toBe(429)
    // Retrying until one is let through waits out the delay; that wrong answer says 2 s.
    let seventh: LoginAnswer | undefined
    await waitFor(async () => {
      seventh = await loginFrom(server, { from, password: 'wrong 7' })
      return seventh.status === 401
    }, 'the 1 s wait to pass')
    expect(seventh?.retryAfter).toBe('2')
    await waitFor(
      async () => (await loginFrom(server, { from, password: testPassword })).status === 200,
      'the owner to get in after the 2 s wait, not after 15 minutes',
    )
  })

  it('ignores a spoofed X-Forwarded-For, which used to give every guess a fresh address', async () => {
    const answers = await wrongGuesses(server, {
      from: '127.0.0.5',
      count: 6,
      forwardedFor: (i) => `203.0.113.${i + 1}`,
    })
    expect(answers[5]?.retryAfter).toBe('1')
    const next = await loginFrom(server, {
      from: '127.0.0.5',
      password: 'wrong',
      forwardedFor: '203.0.113.99',
    })
    expect(next.status).toBe(429)
  })
})

describe('sign-in throttling behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'loopback' } })
    await setUpInterviewer(server.url)
  })
  afterAll(() => server.cleanup())

  it('tells clients apart by the address the proxy forwards', async () => {
    const attacker = await wrongGuesses(server, {
      from: '127.0.0.1',
      count: 6,
      forwardedFor: () => '198.51.100.7',
    })
    expect(attacker[5]?.retryAfter).toBe('1')
    const owner = await loginFrom(server, {
      from: '127.0.0.1',
      password: testPassword,
      forwardedFor: '198.51.100.8',
    })
    expect(owner.status).toBe(200)
  })
})

describe('LoginThrottle', () => {
  it('doubles the wait after the free attempts, up to the maximum, counted from the wrong answer', () => {
    const throttle = new LoginThrottle({ freeAttempts: 2, baseDelayMs: 1000, maxDelayMs: 8000 })
    let now = 0
    const waits: number[] = []
    for (let i = 0; i < 8; i++) {
      expect(throttle.attempt('k', now)).toEqual({ allowed: true })
      now += 300 // the password check
      const wait = throttle.failed('k', now)
      expect(throttle.attempt('k', now + wait - 1)).toEqual({ allowed: false, retryAfterMs: 1 })
      waits.push(wait)
      now += wait
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000])
  })

  it('forgets a key an hour after its last attempt', () => {
    const throttle = new LoginThrottle({ freeAttempts: 1 })
    throttle.attempt('k', 0)
    throttle.attempt('k', 0)
    expect(throttle.attempt('k', 10).allowed).toBe(false)
    expect(throttle.attempt('k', 3600_000).allowed).toBe(true)
    expect(throttle.attempt('k', 3600_000).allowed).toBe(true)
  })
})

describe('a burst of parallel guesses', () => {
  // Through HTTP this was timed: a burst that outlived the first 1 s wait (two busy cores, slow
  // password hashing) rightly let a seventh guess through. With the throttles' clock held still,
  // the rule itself is what is asserted: each guess is counted when it starts, not when its slow
  // password check ends, so parallel guesses cannot all slip in before the first is refused.
  it('is counted before any of its guesses is checked', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-throttle-'))
    const store = openSqliteStore(dataDir)
    try {
      const auth = new AuthService(store, { now: () => 1_000_000 })
      await auth.setup({ email: 'ada@example.com', name: 'Ada', password: testPassword })
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          auth.login({ email: 'ada@example.com', password: `parallel-${i}` }, '192.0.2.1').then(
            () => 'signed in',
            (error: unknown) => (error instanceof TandemError ? error.code : 'other'),
          ),
        ),
      )
      expect(outcomes.filter((o) => o === 'unauthorized')).toHaveLength(6)
      expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(14)
    } finally {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
