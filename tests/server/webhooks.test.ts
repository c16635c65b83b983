/**
 * Webhooks for an ATS (issue 9.9), through a real server and a real HTTP receiver on 127.0.0.1:
 * the receiver checks every signature with the Standard Webhooks reference library
 * (`standardwebhooks`), not with Tandem's own code. The servers here allow private addresses
 * (TANDEM_WEBHOOK_ALLOW_PRIVATE=1) since the receiver is on loopback, and retry within
 * milliseconds; "server-side request forgery" below runs one without the allowance.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ApiErrorBody } from '../../protocol/errors.ts'
import type { Scorecards } from '../../protocol/scorecards.ts'
import {
  InterviewEndedData,
  ReportReadyData,
  ScorecardSubmittedData,
  type WebhookDelivery,
  type WebhookEndpointCreated,
  type WebhookEndpointInfo,
} from '../../protocol/webhooks.ts'
import { OutboundGuard } from '../../server/webhooks/OutboundGuard.ts'
import { postWebhook } from '../../server/webhooks/postWebhook.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.ts'

const fastRetries = {
  TANDEM_WEBHOOK_ALLOW_PRIVATE: '1',
  WEBHOOK_RETRY_SCHEDULE_MS: '0,40,80',
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '2000',
}

interface Message {
  type: string
  timestamp: string
  data: unknown
}

const receivers: WebhookReceiver[] = []
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close()
})

async function receiver(script: number[] = []): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(script)
  receivers.push(started)
  return started
}

async function register(
  api: Api,
  url: string,
  events = ['interview.ended', 'report.ready'],
): Promise<WebhookEndpointCreated> {
  const created = await api.post<WebhookEndpointCreated>('/api/webhooks', { url, events })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body
}

async function deliveries(api: Api, endpointId: string): Promise<WebhookDelivery[]> {
  return (await api.get<WebhookDelivery[]>(`/api/webhooks/${endpointId}/deliveries`)).body
}

describe('webhooks', () => {
  let server: TestServer
  let api: Api

  beforeAll(async () => {
    server = await startTestServer({ env: fastRetries })
    ;({ api } = await setUpInterviewer(server.url))
  })
  afterAll(() => server.cleanup())

  it('register an endpoint with a Standard Webhooks secret shown once, and list it without the secret', async () => {
    const created = await register(api, 'http://127.0.0.1:9/listed')
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32)
    expect(created.createdBy.name).toBe('Ada Lovelace')
    const listed = await api.get<WebhookEndpointInfo[]>('/api/webhooks')
    const mine = listed.body.find((endpoint) => endpoint.id === created.id)
    expect(mine).toEqual({ ...created, secret: undefined })
    expect(JSON.stringify(listed.body)).not.toContain(created.secret)

    const rotated = await api.post<WebhookEndpointCreated>(
      `/api/webhooks/${created.id}/rotate-secret`,
    )
    expect(rotated.body.secret).toMatch(/^whsec_/)
    expect(rotated.body.secret).not.toBe(created.secret)
    expect((await api.request('DELETE', `/api/webhooks/${created.id}`)).status).toBe(204)
    expect((await api.get(`/api/webhooks/${created.id}/deliveries`)).status).toBe(404)
  })

  it('refuse a URL that is not http or https, or carries a password, or an unknown event', async () => {
    for (const body of [
      { url: 'ftp://127.0.0.1/hook', events: ['report.ready'] },
      { url: 'javascript:alert(1)', events: ['report.ready'] },
      { url: 'http://user:pass@127.0.0.1/hook', events: ['report.ready'] },
      { url: 'http://127.0.0.1/hook', events: [] },
      { url: 'http://127.0.0.1/hook', events: ['interview.started'] },
    ]) {
      const answer = await api.post<ApiErrorBody>('/api/webhooks', body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
    }
  })

  it('send scorecard.submitted when an interviewer submits a card: who and when, never what it says', async () => {
    const ats = await receiver()
    const endpoint = await register(api, ats.url, ['scorecard.submitted'])
    const { interview } = await openInterview(api, 'two-sum', 'javascript')
    const path = `/api/interviews/${interview.id}/scorecards`
    const { rubric } = (await api.get<Scorecards>(path)).body
    const card = (submit: boolean): object => ({
      criteria: rubric.map((c) => ({ criterion: c.id, score: 3, note: 'a secret-ish note' })),
      recommendation: 'strong_yes',
      overallNote: 'hire this person, says the card',
      submit,
    })
    // A draft announces nothing; the submission does, once.
    expect((await api.request('PUT', `${path}/me`, card(false))).status).toBe(200)
    expect((await api.request('PUT', `${path}/me`, card(true))).status).toBe(200)
    await waitFor(() => ats.received.length >= 1, 'scorecard.submitted at the receiver')
    const [request] = ats.received
    if (request === undefined) throw new Error('no request')
    const message = new Webhook(endpoint.secret).verify(
      request.body,
      ats.signatureHeaders(request),
    ) as Message
    expect(message.type).toBe('scorecard.submitted')
    const data = ScorecardSubmittedData.parse(message.data)
    expect(data.interview.id).toBe(interview.id)
    expect(data.scorecard.interviewerName).toBe('Ada Lovelace')
    expect(data.submittedCount).toBe(1)
    // Scores, notes and the recommendation stay behind the report's independence rule.
    expect(request.body).not.toMatch(/strong_yes|secret-ish|hire this person/)
    expect(await deliveries(api, endpoint.id)).toHaveLength(1)
  })

  it('send interview.ended and report.ready when an interview ends, signed so the reference library verifies them', async () => {
    const ats = await receiver()
    const endpoint = await register(api, ats.url)
    const { interview } = await openInterview(api, 'two-sum', 'javascript')
    expect((await api.post(`/api/interviews/${interview.id}/end`)).status).toBe(200)

    await waitFor(() => ats.received.length >= 2, 'both events at the receiver')
    const verifier = new Webhook(endpoint.secret)
    const messages = ats.received.map(
      (request) => verifier.verify(request.body, ats.signatureHeaders(request)) as Message,
    )
    expect(messages.map((m) => m.type)).toEqual(['interview.ended', 'report.ready'])
    const ended = InterviewEndedData.parse(messages[0]?.data)
    expect(ended.interview).toMatchObject({
      id: interview.id,
      title: interview.title,
      challenge: { slug: 'two-sum' },
      candidates: ['Grace'],
      interviewers: ['Ada Lovelace'],
    })
    expect(ended.interview.endedAt).not.toBeNull()
    expect(ended.links.reportJson).toBe(`${server.url}/api/interviews/${interview.id}/report`)
    const ready = ReportReadyData.parse(messages[1]?.data)
    expect(ready.summary).toMatchObject({ runs: 0, passingRuns: 0 })
    // The candidate link is a bearer secret: it never leaves in a webhook.
    expect(ats.received.map((r) => r.body).join('')).not.toContain(interview.candidateUrl)

    // A tampered body or another secret fails verification.
    const [first] = ats.received
    if (first === undefined) throw new Error('no request')
    expect(() => verifier.verify(`${first.body} `, ats.signatureHeaders(first))).toThrow()
    const other = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`)
    expect(() => other.verify(first.body, ats.signatureHeaders(first))).toThrow()

    const log = await deliveries(api, endpoint.id)
    expect(log.map((d) => [d.type, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['report.ready', 'delivered', 1, 200],
      ['interview.ended', 'delivered', 1, 200],
    ])
    // Ending again sends nothing more.
    await api.post(`/api/interviews/${interview.id}/end`)
    expect(await deliveries(api, endpoint.id)).toHaveLength(2)
  })

  it('send an endpoint only the events it subscribed to', async () => {
    const ats = await receiver()
    const endpoint = await register(api, ats.url, ['report.ready'])
    const { interview } = await openInterview(api, 'two-sum', 'javascript')
    await api.post(`/api/interviews/${interview.id}/end`)
    await waitFor(
      async () => (await deliveries(api, endpoint.id)).some((d) => d.status === 'delivered'),
      'the report.ready delivery',
    )
    expect((await deliveries(api, endpoint.id)).map((d) => d.type)).toEqual(['report.ready'])
    await api.request('DELETE', `/api/webhooks/${endpoint.id}`)
  })

  it('retry a receiver that fails twice then succeeds: the log shows three attempts of one message', async () => {
    const ats = await receiver([500, 503])
    const endpoint = await register(api, ats.url)
    const test = await api.post<WebhookDelivery>(`/api/webhooks/${endpoint.id}/test`)
    expect(test.status).toBe(202)
    expect(test.body).toMatchObject({ type: 'webhook.test', status: 'pending', maxAttempts: 3 })

    await waitFor(
      async () => (await deliveries(api, endpoint.id))[0]?.status === 'delivered',
      'the test message delivered',
    )
    const [delivery] = await deliveries(api, endpoint.id)
    expect(delivery).toMatchObject({
      id: test.body.id,
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      responseExcerpt: 'thanks',
    })
    // Every attempt carries the same webhook-id and verifies.
    expect(ats.received.map((r) => r.headers['webhook-id'])).toEqual([
      test.body.id,
      test.body.id,
      test.body.id,
    ])
    const verifier = new Webhook(endpoint.secret)
    for (const request of ats.received) {
      expect(verifier.verify(request.body, ats.signatureHeaders(request))).toMatchObject({
        type: 'webhook.test',
      })
    }
  })

  it('give up when the schedule runs out, keeping the last status, error and an excerpt', async () => {
    const ats = await receiver([500, 500, 500, 500])
    const endpoint = await register(api, ats.url)
    await api.post(`/api/webhooks/${endpoint.id}/test`)
    await waitFor(
      async () => (await deliveries(api, endpoint.id))[0]?.status === 'failed',
      'the test message to fail',
    )
    expect((await deliveries(api, endpoint.id))[0]).toMatchObject({
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'The receiver answered 500.',
      responseExcerpt: 'failing with 500 on purpose',
      nextAttemptAt: null,
    })
    expect(ats.received).toHaveLength(3)
  })

  it('turn an endpoint off when its receiver answers 410 Gone, and send it nothing more', async () => {
    const ats = await receiver([410])
    const endpoint = await register(api, ats.url)
    await api.post(`/api/webhooks/${endpoint.id}/test`)
    await waitFor(
      async () => (await deliveries(api, endpoint.id))[0]?.status === 'failed',
      'the 410 to be recorded',
    )
    const listed = await api.get<WebhookEndpointInfo[]>('/api/webhooks')
    expect(listed.body.find((e) => e.id === endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/410 Gone/) as unknown,
    })
    expect((await api.post(`/api/webhooks/${endpoint.id}/test`)).status).toBe(409)
    expect(ats.received).toHaveLength(1)
    const on = await api.post<WebhookEndpointInfo>(`/api/webhooks/${endpoint.id}/enabled`, {
      enabled: true,
    })
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null })
  })

  it('refuse a candidate’s token on every /api/webhooks endpoint', async () => {
    const endpoint = await register(api, 'http://127.0.0.1:9/hook')
    const { candidate } = await openInterview(api, 'two-sum', 'javascript')
    const asCandidate = new Api(server.url, { bearer: candidate.participantToken })
    const id = endpoint.id
    const answers = await Promise.all([
      asCandidate.get('/api/webhooks'),
      asCandidate.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', events: ['report.ready'] }),
      asCandidate.request('DELETE', `/api/webhooks/${id}`),
      asCandidate.post(`/api/webhooks/${id}/enabled`, { enabled: false }),
      asCandidate.post(`/api/webhooks/${id}/rotate-secret`),
      asCandidate.get(`/api/webhooks/${id}/deliveries`),
      asCandidate.post(`/api/webhooks/${id}/test`),
    ])
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403])
    expect(JSON.stringify(answers.map((a) => a.body))).not.toContain(endpoint.secret)
    expect((await api.get<WebhookEndpointInfo[]>('/api/webhooks')).body.map((e) => e.id)).toContain(
      id,
    )
  })
})

describe('a webhook delivery across a restart', () => {
  it('resumes: a retry due while the server was down is sent when it starts again', async () => {
    const env = { ...fastRetries, WEBHOOK_RETRY_SCHEDULE_MS: '0,300' }
    const first = await startTestServer({ env })
    const { api } = await setUpInterviewer(first.url)
    const ats = await receiver([500])
    const endpoint = await register(api, ats.url)
    await api.post(`/api/webhooks/${endpoint.id}/test`)
    await waitFor(async () => (await deliveries(api, endpoint.id))[0]?.attempts === 1, 'a failure')
    await first.close()

    const second = await startTestServer({ dataDir: first.dataDir, env })
    try {
      const again = new Api(second.url, { cookie: api.cookie ?? '' })
      await waitFor(
        async () => (await deliveries(again, endpoint.id))[0]?.status === 'delivered',
        'the retry after the restart',
      )
      expect((await deliveries(again, endpoint.id))[0]?.attempts).toBe(2)
      expect(ats.received).toHaveLength(2)
    } finally {
      await second.cleanup()
    }
  })
})

/**
 * Server-side request forgery: a webhook URL is a request the server makes for whoever registered
 * it. Pointed at loopback, the internal network or the cloud metadata service (169.254.169.254,
 * which hands out credentials), it would let an interviewer account read what only the server
 * can reach. Each of these is refused at registration and again at delivery.
 */
describe('server-side request forgery', () => {
  let server: TestServer
  let api: Api

  beforeAll(async () => {
    server = await startTestServer({ env: { ...fastRetries, TANDEM_WEBHOOK_ALLOW_PRIVATE: '0' } })
    ;({ api } = await setUpInterviewer(server.url))
  })
  afterAll(() => server.cleanup())

  const attacks: [string, string][] = [
    ['loopback', 'http://127.0.0.1:3000/api/interviews'],
    ['the private network', 'http://10.0.0.1/admin'],
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/iam/'],
    ['IPv6 loopback', 'http://[::1]:3000/'],
    ['a host name that resolves to loopback', 'http://localhost:3000/'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
    ['loopback written as one decimal number', 'http://2130706433/'],
    ['carrier-grade NAT', 'http://100.64.0.1/'],
    ['the unspecified address', 'http://0.0.0.0:3000/'],
    ['an IPv6 unique-local address', 'https://[fd00::1]/'],
  ]
  for (const [what, url] of attacks) {
    it(`refuses to register an endpoint on ${what}`, async () => {
      const answer = await api.post<ApiErrorBody>('/api/webhooks', {
        url,
        events: ['report.ready'],
      })
      expect(answer.status).toBe(400)
      expect(answer.body.error.message).toMatch(/may not reach .*TANDEM_WEBHOOK_ALLOW_PRIVATE/)
    })
  }

  it('refuses the delivery too, when the address turned private after registration (DNS rebinding)', async () => {
    const ats = await receiver()
    // As if the name had resolved to a public address at registration: straight into the store.
    const owner = await server.tandem.store.users.byEmail('ada@example.com')
    const id = 'rebound'
    await server.tandem.store.webhooks.createEndpoint({
      id,
      url: ats.url,
      secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
      events: ['report.ready'],
      enabled: true,
      disabledReason: null,
      createdBy: owner?.id ?? '',
      createdAt: new Date().toISOString(),
    })
    expect(await server.tandem.webhooks.emit('report.ready', { probe: true })).toBe(1)
    await waitFor(
      async () => (await deliveries(api, id))[0]?.status === 'failed',
      'the delivery refused',
    )
    const [delivery] = await deliveries(api, id)
    expect(delivery?.lastError).toMatch(/may not reach 127\.0\.0\.1: it is loopback/)
    expect(delivery?.lastStatusCode).toBeNull()
    expect(ats.received).toEqual([])
  })

  it('connects to the address it checked, never asking DNS again (rebinding cannot swap it)', async () => {
    const ats = await receiver()
    // A name only this guard's resolver knows: the connection can land only where it pointed.
    const guard = new OutboundGuard({
      allowPrivate: true,
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    })
    const outcome = await postWebhook({
      url: `http://receiver.invalid:${String(ats.port)}/hook`,
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      guard,
      userAgent: 'test',
    })
    expect(outcome).toMatchObject({ delivered: true, statusCode: 200 })
    expect(ats.received).toHaveLength(1)
  })

  it('refuses a redirect rather than following it to wherever it points', async () => {
    const guard = new OutboundGuard({ allowPrivate: true })
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' })
      res.end()
    })
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))
    const { port } = redirector.address() as AddressInfo
    try {
      const outcome = await postWebhook({
        url: `http://127.0.0.1:${String(port)}/`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
        guard,
        userAgent: 'test',
      })
      expect(outcome).toMatchObject({ delivered: false, statusCode: 302 })
      expect(outcome.delivered ? '' : outcome.error).toMatch(/does not follow redirects/)
    } finally {
      redirector.close()
    }
  })
})
