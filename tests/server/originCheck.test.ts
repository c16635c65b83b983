/**
 * Issue 13, finding 8: the CSRF check on state-changing requests. It used to accept a request with
 * no Origin header, or `Origin: null`, when it carried the interviewer's session cookie, and it
 * compared only the host, so an `https://` page passed against this `http://` server. Now the
 * whole origin (scheme, host, port) must be the server's own unless a bearer token authenticates.
 */
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ApiTokenCreated, Interview, InviteCreated } from '../../protocol/api.ts'
import { collabPathPrefix } from '../../protocol/collab.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import { Api, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api
let interview: Interview

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
  interview = (await admin.post<Interview>('/api/interviews', { challenge: 'two-sum' })).body
})
afterAll(() => server.cleanup())

/** The signed-in interviewer's cookie, sent by a client that chooses its own Origin header. */
function withOrigin(origin: string | undefined): Api {
  const api = new Api(server.url, { cookie: admin.cookie ?? '' })
  api.origin = origin
  return api
}

describe('state-changing requests with the session cookie', () => {
  it('are refused without an Origin header (a non-browser client riding the cookie used to pass)', async () => {
    const answer = await withOrigin(undefined).post<{ error: { code: string; message: string } }>(
      '/api/invites',
    )
    expect(answer.status).toBe(403)
    expect(answer.body.error.code).toBe('forbidden')
    expect(answer.body.error.message).toMatch(/Origin/)
  })

  it('are refused with `Origin: null` (what sandboxed frames and redirected requests send)', async () => {
    const answer = await withOrigin('null').post('/api/invites')
    expect(answer.status).toBe(403)
  })

  it('are refused from an https page against this http server (only the host used to be compared)', async () => {
    const https = new URL(server.url)
    https.protocol = 'https:'
    expect((await withOrigin(https.origin).post('/api/invites')).status).toBe(403)
  })

  it('are refused from another port on the same host', async () => {
    const other = new URL(server.url)
    other.port = String(Number(other.port) + 1)
    expect((await withOrigin(other.origin).post('/api/invites')).status).toBe(403)
  })

  it('are refused from a page whose Host-like name merely contains ours', async () => {
    const host = new URL(server.url).host
    expect((await withOrigin(`http://${host}.evil.example`).post('/api/invites')).status).toBe(403)
  })

  it('refuse DELETE too, and leave the token in place', async () => {
    const token = (await admin.post<ApiTokenCreated>('/api/tokens', { name: 'ci' })).body
    const answer = await withOrigin(undefined).request('DELETE', `/api/tokens/${token.id}`)
    expect(answer.status).toBe(403)
    const tokens = (await admin.get<{ id: string }[]>('/api/tokens')).body
    expect(tokens.map((t) => t.id)).toContain(token.id)
  })

  it('pass from the server’s own origin', async () => {
    const answer = await withOrigin(new URL(server.url).origin).post<InviteCreated>('/api/invites')
    expect(answer.status).toBe(201)
    expect(answer.body.url).toMatch(/\/invite\//)
  })

  it('pass from the 127.0.0.1 origin the request was addressed to (Host, compared with scheme)', async () => {
    const byAddress = new URL(server.url)
    byAddress.hostname = '127.0.0.1'
    const api = new Api(byAddress.origin, { cookie: admin.cookie ?? '' })
    expect((await api.post('/api/invites')).status).toBe(201)
  })
})

describe('requests that set a session cookie', () => {
  it('refuse a sign-in without Origin, so another site cannot sign a browser into its account', async () => {
    const api = new Api(server.url)
    api.origin = undefined
    const answer = await api.post('/api/auth/login', {
      email: 'ada@example.com',
      password: testPassword,
    })
    expect(answer.status).toBe(403)
    expect(answer.headers.get('set-cookie')).toBeNull()
  })
})

describe('API tokens', () => {
  it('are not ambient credentials, so scripts may omit Origin', async () => {
    const token = (await admin.post<ApiTokenCreated>('/api/tokens', { name: 'script' })).body
    const script = new Api(server.url, { bearer: token.token })
    script.origin = undefined
    const created = await script.post<Interview>('/api/interviews', { challenge: 'two-sum' })
    expect(created.status).toBe(201)
  })
})

describe('the sockets', () => {
  // Neither socket accepts the session cookie: both take a participant token, which a page on
  // another origin cannot read. So a cross-site page cannot ride the cookie into a room.
  it('refuse a socket.io handshake that carries only the interviewer’s cookie', async () => {
    const socket = io(server.url, {
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie: admin.cookie ?? '', origin: 'https://evil.example' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'))
      socket.once('connect_error', (error) => resolve(`refused: ${error.message}`))
    })
    socket.close()
    expect(outcome).toMatch(/^refused/)
  })

  it('refuse a collab upgrade that carries only the interviewer’s cookie', async () => {
    const wsUrl = `${server.url.replace(/^http/, 'ws')}${collabPathPrefix}/${interview.id}?protocolVersion=${PROTOCOL_VERSION}`
    const ws = new WebSocket(wsUrl, {
      headers: { cookie: admin.cookie ?? '', origin: 'https://evil.example' },
    })
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0)
        ws.terminate()
      })
      ws.once('open', () => {
        ws.close()
        reject(new Error('upgraded with a cookie alone'))
      })
      ws.once('error', () => undefined)
    })
    expect(status).toBe(401)
  })
})
