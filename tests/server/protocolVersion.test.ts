/**
 * The protocol version and strict payloads at the edges of a real server: socket.io's handshake,
 * the collab upgrade (with y-websocket's stock provider) and REST bodies. A page built for another
 * protocol version is told `upgrade_required` before anything else; a field nobody defined is a
 * `bad_request` naming it, never silently dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type * as Y from 'yjs'
import { solutionPath } from '../../protocol/collab.ts'
import { ApiErrorBody } from '../../protocol/errors.ts'
import { PROTOCOL_VERSION, upgradeRequiredMessage } from '../../protocol/version.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { connectDoc, connectRoom, refusedRoom, waitForSync } from '../helpers/clients.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

const upgradeRequired = { code: 'upgrade_required', message: upgradeRequiredMessage }

/** Opens a raw WebSocket to a collab path; resolves 'open', or the refusal's status and body. */
function upgrade(path: string): Promise<'open' | { status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`)
    ws.once('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        ws.terminate()
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        })
      })
    })
    ws.once('error', reject)
  })
}

describe('the socket.io handshake', () => {
  it('tells a client without the protocol version, or with another, to reload', async () => {
    const { candidate } = await openInterview(admin)
    const token = candidate.participantToken
    for (const auth of [
      { token },
      { token, protocolVersion: PROTOCOL_VERSION + 1 },
      { token, protocolVersion: String(PROTOCOL_VERSION) },
      // A stale page is told to reload even when the rest of its handshake is wrong too.
      { protocolVersion: PROTOCOL_VERSION - 1, extra: true },
    ]) {
      const refused = await refusedRoom(server.url, undefined, auth)
      expect(refused, JSON.stringify(auth)).toEqual({
        message: 'upgrade_required',
        data: upgradeRequired,
      })
    }
  })

  it('names an unknown field of a current client’s handshake, and admits the right one', async () => {
    const { candidate } = await openInterview(admin)
    const token = candidate.participantToken
    const refused = await refusedRoom(server.url, undefined, {
      token,
      protocolVersion: PROTOCOL_VERSION,
      room: 'another',
    })
    expect(refused.data).toMatchObject({
      code: 'bad_request',
      issues: [{ path: 'room', message: 'Unknown field' }],
    })
    const client = await connectRoom(server.url, token)
    expect(client.socket.connected).toBe(true)
    client.close()
  })
})

describe('the collab upgrade', () => {
  it('answers 426 upgrade_required, before the token is looked at, without the version', async () => {
    const { interview, candidate } = await openInterview(admin)
    const base = `/collab/${interview.id}?token=${candidate.participantToken}`
    for (const path of [
      base,
      `${base}&protocolVersion=${PROTOCOL_VERSION + 1}`,
      `/collab/${interview.id}?token=not-a-token&protocolVersion=0`,
    ]) {
      const answer = await upgrade(path)
      expect(answer, path).toEqual({ status: 426, body: { error: upgradeRequired } })
      if (answer !== 'open') expect(ApiErrorBody.safeParse(answer.body).success).toBe(true)
    }
    // The same refusal envelope for a bad token once the version is right.
    expect(
      await upgrade(
        `/collab/${interview.id}?token=not-a-token&protocolVersion=${PROTOCOL_VERSION}`,
      ),
    ).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } })
  })

  it('lets the stock y-websocket provider in when it is given the version, and ignores unknown parameters', async () => {
    const { interview, candidate, interviewer } = await openInterview(admin)
    const path = solutionPath('two-sum', 'javascript')
    // connectDoc is `new WebsocketProvider(url, id, doc, { params: collabParams(token) })`.
    const a = connectDoc(server.url, interview.id, candidate.participantToken)
    const b = connectDoc(server.url, interview.id, interviewer.participantToken)
    try {
      await Promise.all([waitForSync(a.provider), waitForSync(b.provider)])
      const text = a.doc.getMap<Y.Text>('files').get(path)
      if (text === undefined) throw new Error('no starter file')
      text.insert(0, '// shared\n')
      await waitFor(
        () => b.doc.getMap<Y.Text>('files').get(path)?.toJSON().startsWith('// shared\n') ?? false,
        'the edit to reach the other provider',
      )
      expect(
        await upgrade(
          `/collab/${interview.id}?token=${candidate.participantToken}&protocolVersion=${PROTOCOL_VERSION}&lb=eu-1`,
        ),
      ).toBe('open')
    } finally {
      a.provider.destroy()
      b.provider.destroy()
    }
  })
})

describe('REST bodies', () => {
  it('refuse a field they do not define, naming it; the same body without it goes through', async () => {
    const { candidateToken } = await openInterview(admin)
    const answer = await new Api(server.url).post('/api/join', {
      token: candidateToken,
      displayName: 'Mallory',
      role: 'interviewer',
    })
    expect(answer.status).toBe(400)
    expect(ApiErrorBody.parse(answer.body)).toEqual({
      error: {
        code: 'bad_request',
        message: 'Invalid join form: role — Unknown field',
        issues: [{ path: 'role', message: 'Unknown field' }],
      },
    })
    const joined = await new Api(server.url).post('/api/join', {
      token: candidateToken,
      displayName: 'Mallory',
    })
    expect(joined.status).toBe(201)
    expect(joined.body).toMatchObject({ participant: { name: 'Mallory', role: 'candidate' } })
  })
})
