/**
 * A small REST client for tests: JSON in and out, a cookie jar of one, bearer tokens. Like a
 * browser on a Tandem page it sends `Origin` (the server's) on every state-changing request;
 * set `origin` to undefined to act as a non-browser client.
 */
import type { Interview, RoomTicket, User } from '../../protocol/api.ts'

export interface ApiAnswer<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export class Api {
  readonly url: string
  cookie: string | undefined
  bearer: string | undefined
  origin: string | undefined

  constructor(url: string, auth: { cookie?: string; bearer?: string } = {}) {
    this.url = url
    this.origin = new URL(url).origin
    this.cookie = auth.cookie
    this.bearer = auth.bearer
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const sendsOrigin = method !== 'GET' && method !== 'HEAD' && this.origin !== undefined
    const response = await fetch(this.url + path, {
      method,
      headers: {
        ...(sendsOrigin ? { origin: this.origin } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
        ...(this.bearer === undefined ? {} : { authorization: `Bearer ${this.bearer}` }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie !== null) this.cookie = setCookie.split(';')[0]
    const text = await response.text()
    return {
      status: response.status,
      body: (text === '' ? null : JSON.parse(text)) as T,
      headers: response.headers,
    }
  }

  get<T = unknown>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path)
  }

  post<T = unknown>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, body ?? {})
  }
}

export const testPassword = 'correct horse battery'

/** Creates the first interviewer and returns a signed-in client. */
export async function setUpInterviewer(
  url: string,
  email = 'ada@example.com',
): Promise<{ api: Api; user: User }> {
  const api = new Api(url)
  const answer = await api.post<{ user: User }>('/api/setup', {
    email,
    password: testPassword,
    name: 'Ada Lovelace',
  })
  if (answer.status !== 201)
    throw new Error(`setup failed: ${answer.status} ${JSON.stringify(answer.body)}`)
  return { api, user: answer.body.user }
}

/** An interview on `challenge`, with an interviewer ticket and a candidate ticket. */
export async function openInterview(
  api: Api,
  challenge = 'two-sum',
  language?: string,
): Promise<{
  interview: Interview
  interviewer: RoomTicket
  candidate: RoomTicket
  candidateToken: string
}> {
  const created = await api.post<Interview>('/api/interviews', {
    challenge,
    ...(language === undefined ? {} : { language }),
  })
  if (created.status !== 201)
    throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`)
  const interview = created.body
  const interviewer = (await api.post<RoomTicket>(`/api/interviews/${interview.id}/enter`)).body
  const candidateToken = interview.candidateUrl.split('/join/')[1] ?? ''
  const joined = await new Api(api.url).post<RoomTicket>('/api/join', {
    token: candidateToken,
    displayName: 'Grace',
  })
  if (joined.status !== 201)
    throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`)
  return { interview, interviewer, candidate: joined.body, candidateToken }
}
