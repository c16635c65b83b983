import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ApiTokenCreated,
  Interview,
  InviteCreated,
  RoomTicket,
  User,
} from '../../protocol/api.ts'
import { Api, openInterview, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

describe('first-run setup', () => {
  it('lets only the first visitor create an account', async () => {
    const status = await new Api(server.url).get<{ needsSetup: boolean }>('/api/setup')
    expect(status.body.needsSetup).toBe(false)
    const second = await new Api(server.url).post('/api/setup', {
      email: 'mallory@example.com',
      password: testPassword,
      name: 'Mallory',
    })
    expect(second.status).toBe(409)
  })

  it('sets an httpOnly, SameSite=Lax session cookie on sign-in', async () => {
    const api = new Api(server.url)
    const answer = await api.post<{ user: User }>('/api/auth/login', {
      email: 'ADA@example.com',
      password: testPassword,
    })
    expect(answer.status).toBe(200)
    const cookie = answer.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^tandem_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect((await api.get<{ user: User }>('/api/me')).body.user.email).toBe('ada@example.com')
  })

  it('refuses a wrong password without saying whether the account exists', async () => {
    const wrong = await new Api(server.url).post('/api/auth/login', {
      email: 'ada@example.com',
      password: 'not the password',
    })
    const unknown = await new Api(server.url).post('/api/auth/login', {
      email: 'nobody@example.com',
      password: 'whatever123',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
  })

  it('tells the lobby who is signed in without a 401 for signed-out visitors', async () => {
    const visitor = await new Api(server.url).get<{ user: User | null; needsSetup: boolean }>(
      '/api/session',
    )
    expect(visitor).toMatchObject({ status: 200, body: { user: null, needsSetup: false } })
    const signedIn = await admin.get<{ user: User | null }>('/api/session')
    expect(signedIn.body.user?.email).toBe('ada@example.com')
  })

  it('signs out by deleting the session', async () => {
    const api = new Api(server.url)
    await api.post('/api/auth/login', { email: 'ada@example.com', password: testPassword })
    const cookie = api.cookie
    await api.post('/api/auth/logout')
    expect((await new Api(server.url, { cookie: cookie ?? '' }).get('/api/me')).status).toBe(401)
  })
})

describe('invites', () => {
  it('lets a colleague join by invite link, once', async () => {
    const invite = (await admin.post<InviteCreated>('/api/invites')).body
    expect(invite.url).toBe(`${server.url}/invite/${invite.token}`)
    expect(
      (
        await new Api(server.url).get<{ valid: boolean; invitedBy: string }>(
          `/api/invites/${invite.token}`,
        )
      ).body,
    ).toMatchObject({
      valid: true,
      invitedBy: 'Ada Lovelace',
    })
    const colleague = new Api(server.url)
    const accepted = await colleague.post<{ user: User }>(`/api/invites/${invite.token}/accept`, {
      email: 'grace@example.com',
      password: testPassword,
      name: 'Grace Hopper',
    })
    expect(accepted.status).toBe(201)
    expect((await colleague.get<{ user: User }>('/api/me')).body.user.name).toBe('Grace Hopper')
    const again = await new Api(server.url).post(`/api/invites/${invite.token}/accept`, {
      email: 'eve@example.com',
      password: testPassword,
      name: 'Eve',
    })
    expect(again.status).toBe(409)
  })

  it('cannot be minted without signing in', async () => {
    expect((await new Api(server.url).post('/api/invites')).status).toBe(401)
  })
})

describe('API tokens', () => {
  it('create interviews for automation and stop working once revoked', async () => {
    const created = await admin.post<ApiTokenCreated>('/api/tokens', { name: 'ATS integration' })
    expect(created.status).toBe(201)
    expect(created.body.token).toMatch(/^tdm_/)
    const bot = new Api(server.url, { bearer: created.body.token })
    const interview = await bot.post<Interview>('/api/interviews', { challenge: 'two-sum' })
    expect(interview.status).toBe(201)
    expect((await admin.get<{ name: string }[]>('/api/tokens')).body.map((t) => t.name)).toContain(
      'ATS integration',
    )
    expect((await admin.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204)
    expect((await bot.post('/api/interviews', { challenge: 'two-sum' })).status).toBe(401)
  })
})

describe('room access', () => {
  it('gives the candidate link at least 128 bits of randomness', async () => {
    const { candidateToken } = await openInterview(admin)
    // base64url: 6 bits per character.
    expect(candidateToken.length * 6).toBeGreaterThanOrEqual(128)
  })

  it('refuses a missing, wrong or other interview’s token', async () => {
    const first = await openInterview(admin)
    const second = await openInterview(admin)
    expect((await new Api(server.url).get('/api/room')).status).toBe(401)
    expect((await new Api(server.url, { bearer: 'x'.repeat(43) }).get('/api/room')).status).toBe(
      401,
    )
    // A candidate's token opens their own room, which is not the other interview.
    const room = await new Api(server.url, { bearer: first.candidate.participantToken }).get<{
      interviewId: string
    }>('/api/room')
    expect(room.body.interviewId).toBe(first.interview.id)
    expect(room.body.interviewId).not.toBe(second.interview.id)
    // A wrong join token opens nothing.
    expect(
      (await new Api(server.url).post('/api/join', { token: 'y'.repeat(43), displayName: 'Eve' }))
        .status,
    ).toBe(404)
  })

  it('does not let a candidate call interviewer endpoints', async () => {
    const { candidate, interview } = await openInterview(admin)
    const asCandidate = new Api(server.url, { bearer: candidate.participantToken })
    for (const [method, path] of [
      ['GET', '/api/interviews'],
      ['GET', `/api/interviews/${interview.id}`],
      ['GET', `/api/interviews/${interview.id}/runs`],
      ['POST', `/api/interviews/${interview.id}/enter`],
      ['POST', `/api/interviews/${interview.id}/end`],
      ['GET', '/api/challenges/two-sum'],
      ['POST', '/api/invites'],
    ] as const) {
      const answer = await asCandidate.request(method, path, method === 'POST' ? {} : undefined)
      expect(answer.status, `${method} ${path}`).toBe(403)
    }
  })

  it('closes the room to candidates once the interview has ended', async () => {
    const { interview, candidate, candidateToken } = await openInterview(admin)
    expect((await admin.post<Interview>(`/api/interviews/${interview.id}/end`)).body.status).toBe(
      'ended',
    )
    expect(
      (await new Api(server.url, { bearer: candidate.participantToken }).get('/api/room')).status,
    ).toBe(403)
    expect(
      (
        await new Api(server.url).post<RoomTicket>('/api/join', {
          token: candidateToken,
          displayName: 'Late',
        })
      ).status,
    ).toBe(403)
  })
})

describe('input at the edge', () => {
  it('answers a bad body with 400 naming the field', async () => {
    const answer = await admin.post<{ error: { code: string; issues: { path: string }[] } }>(
      '/api/interviews',
      { challenge: 42 },
    )
    expect(answer.status).toBe(400)
    expect(answer.body.error.code).toBe('bad_request')
    expect(answer.body.error.issues.map((i) => i.path)).toContain('challenge')
  })

  it('answers malformed JSON and oversized bodies clearly', async () => {
    expect(
      (
        await admin.request('POST', '/api/interviews', '{"challenge":', {
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(400)
    const huge = JSON.stringify({ challenge: 'x'.repeat(400_000) })
    expect((await admin.request('POST', '/api/interviews', huge)).status).toBe(413)
  })

  it('refuses state changes from another origin', async () => {
    const answer = await admin.request(
      'POST',
      '/api/invites',
      {},
      { origin: 'https://evil.example' },
    )
    expect(answer.status).toBe(403)
  })

  it('rate-limits password guessing', async () => {
    const guesser = new Api(server.url)
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await guesser.post('/api/auth/login', {
            email: 'target@example.com',
            password: `guess-${i}`,
          })
        ).status,
      )
    }
    expect(statuses).toContain(429)
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const answer = await admin.get<{ error: { code: string } }>('/api/nope')
    expect(answer.status).toBe(404)
    expect(answer.body.error.code).toBe('not_found')
  })
})
