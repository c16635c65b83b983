/**
 * The store refuses conflicting account writes with a StoreConflict reason and no words; the
 * auth service chooses the sentence users read. These go through the real server, so each
 * answer is what the lobby shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InviteCreated } from '../../protocol/api.ts'
import { Api, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let admin: Api

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: admin } = await setUpInterviewer(server.url))
})
afterAll(() => server.cleanup())

const conflict = (message: string) => ({ error: { code: 'conflict', message } })

describe('account conflicts', () => {
  it('tells a second visitor that Tandem is already set up', async () => {
    const second = await new Api(server.url).post('/api/setup', {
      email: 'mallory@example.com',
      password: testPassword,
      name: 'Mallory',
    })
    expect(second.status).toBe(409)
    expect(second.body).toEqual(
      conflict('Tandem is already set up; ask an interviewer for an invite.'),
    )
  })

  it('refuses an invite for an email that has an account, and keeps the invite usable', async () => {
    const invite = (await admin.post<InviteCreated>('/api/invites')).body
    const me = await admin.get<{ user: { email: string } }>('/api/me')
    const taken = await new Api(server.url).post(`/api/invites/${invite.token}/accept`, {
      email: me.body.user.email,
      password: testPassword,
      name: 'Twin',
    })
    expect(taken.status).toBe(409)
    expect(taken.body).toEqual(conflict('An account with this email already exists.'))

    const status = await new Api(server.url).get<{ valid: boolean }>(`/api/invites/${invite.token}`)
    expect(status.body.valid).toBe(true)
    const accepted = await new Api(server.url).post(`/api/invites/${invite.token}/accept`, {
      email: 'grace@example.com',
      password: testPassword,
      name: 'Grace Hopper',
    })
    expect(accepted.status).toBe(201)
  })

  it('says an invite link that was used has been used or has expired', async () => {
    const invite = (await admin.post<InviteCreated>('/api/invites')).body
    const path = `/api/invites/${invite.token}/accept`
    const body = { password: testPassword, name: 'Katherine Johnson' }
    expect(
      (await new Api(server.url).post(path, { ...body, email: 'kj@example.com' })).status,
    ).toBe(201)
    const again = await new Api(server.url).post(path, { ...body, email: 'kj2@example.com' })
    expect(again.status).toBe(409)
    expect(again.body).toEqual(conflict('This invite link has been used or has expired.'))
  })
})
