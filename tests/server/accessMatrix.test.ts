/**
 * Who may do what (issue 14 A.11, B.2), asserted cell by cell through the real channels: REST,
 * socket.io and the collab upgrade, with real clients against a real server. The table is the
 * server's own policy (server/access/accessPolicy.ts), not a copy: a cell changed there is a cell
 * this test expects, and proves, on every channel.
 *
 * The team model: one team per instance. Every interviewer can see, enter, read, run in and end
 * every interview, whoever created it (a hiring committee shares interviews); interviewers A and
 * B both walk the interviewer row. A candidate reaches only their own interview, only while it is
 * live and until they are removed; a locked editor drops their edits, disabled runs refuse their
 * runs. An ended interview is read-only for everyone. docs/PROTOCOL.md ("Who may do what") is
 * this table in prose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type * as Y from 'yjs'
import type { Interview, InviteCreated, RoomTicket } from '../../protocol/api.ts'
import { collabParams, solutionPath } from '../../protocol/collab.ts'
import type { Ack, ApiErrorBody, ErrorCode } from '../../protocol/errors.ts'
import type { Scorecards } from '../../protocol/scorecards.ts'
import { PROTOCOL_VERSION } from '../../protocol/version.ts'
import {
  accessActions,
  accessPolicy,
  type AccessAction,
  type AccessRow,
  type AccessState,
  type Outcome,
  type Who as PolicyWho,
} from '../../server/access/accessPolicy.ts'
import { Api, openInterview, setUpInterviewer, testPassword } from '../helpers/api.ts'
import {
  ask,
  connectDoc,
  connectRoom,
  refusedRoom,
  waitForSync,
  type RecordingClient,
} from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

type Who = 'interviewerA' | 'interviewerB' | 'candidate' | 'otherCandidate' | 'nobody'
/** The policy's row each test actor walks. */
const rowOf: Record<Who, PolicyWho> = {
  interviewerA: 'interviewer',
  interviewerB: 'interviewer',
  candidate: 'candidate',
  otherCandidate: 'otherCandidate',
  nobody: 'nobody',
}

let server: TestServer
let apiA: Api
let apiB: Api
/** A live interview in another room, whose candidate is `otherCandidate`. */
let elsewhere: RoomTicket
const cleanups: (() => void)[] = []

beforeAll(async () => {
  // The webhook cells register endpoints on loopback (refused, so answered at once, when tested).
  server = await startTestServer({ env: { TANDEM_WEBHOOK_ALLOW_PRIVATE: '1' } })
  ;({ api: apiA } = await setUpInterviewer(server.url))
  const invite = await apiA.post<InviteCreated>('/api/invites')
  apiB = new Api(server.url)
  const accepted = await apiB.post(`/api/invites/${invite.body.token}/accept`, {
    email: 'barbara@example.com',
    password: testPassword,
    name: 'Barbara Liskov',
  })
  expect(accepted.status).toBe(201)
  elsewhere = (await openInterview(apiA, 'two-sum', 'javascript')).candidate
})
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await server.cleanup()
})

/** One interview per cell's state, with a candidate who joined while it was live. */
interface Scene {
  interview: Interview
  candidate: RoomTicket
  /** Interviewer A's own connection, to watch the document. */
  watcher: { doc: Y.Doc; provider: ReturnType<typeof connectDoc>['provider'] }
}

/** Puts a fresh interview into `state` through the interviewers' own REST endpoints. */
async function scene(state: AccessState): Promise<Scene> {
  const { interview, interviewer, candidate } = await openInterview(apiA, 'two-sum', 'javascript')
  const id = interview.id
  const made = {
    live: null,
    ended: () => apiA.post(`/api/interviews/${id}/end`),
    locked: () => apiA.post(`/api/interviews/${id}/lock`, { locked: true }),
    runsDisabled: () => apiA.post(`/api/interviews/${id}/runs-enabled`, { enabled: false }),
    removed: () =>
      apiA.request(
        'DELETE',
        `/api/interviews/${id}/participants/${candidate.participant.participantId}`,
      ),
  }[state]
  if (made !== null) expect((await made()).status).toBeLessThan(300)
  const watcher = connectDoc(server.url, interview.id, interviewer.participantToken)
  cleanups.push(() => watcher.provider.destroy())
  await waitForSync(watcher.provider)
  return { interview, candidate, watcher }
}

/** `who`'s participant token for the scene's interview; null for nobody. */
async function tokenOf(who: Who, s: Scene): Promise<string | null> {
  switch (who) {
    case 'interviewerA':
    case 'interviewerB': {
      const api = who === 'interviewerA' ? apiA : apiB
      const entered = await api.post<RoomTicket>(`/api/interviews/${s.interview.id}/enter`)
      expect(entered.status).toBe(200)
      return entered.body.participantToken
    }
    case 'candidate':
      return s.candidate.participantToken
    case 'otherCandidate':
      return elsewhere.participantToken
    case 'nobody':
      return null
  }
}

/** The collab upgrade's answer: 'open', or the error code its refusal's body carries. */
function upgrade(interviewId: string, token: string | null): Promise<Outcome | 'open'> {
  // Nobody's request still speaks this protocol version, so it is refused for the token alone.
  const query =
    token === null
      ? `?protocolVersion=${PROTOCOL_VERSION}`
      : `?${new URLSearchParams(collabParams(token)).toString()}`
  const url = `${server.url.replace(/^http/, 'ws')}/collab/${interviewId}${query}`
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.once('unexpected-response', (_request, response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => {
        ws.terminate()
        resolve((JSON.parse(body) as ApiErrorBody).error.code)
      })
    })
    ws.once('error', reject)
  })
}

/**
 * A socket.io client in the scene's interview, or the code it was refused with. A valid ticket
 * for another interview connects to *that* interview: nothing it sends reaches this one.
 */
async function roomClient(s: Scene, token: string | null): Promise<RecordingClient | ErrorCode> {
  if (token === null) {
    const refused = await refusedRoom(server.url, undefined, { protocolVersion: PROTOCOL_VERSION })
    return (refused.data as { code: ErrorCode }).code
  }
  try {
    const client = await connectRoom(server.url, token)
    cleanups.push(() => client.close())
    if (client.states[0]?.interviewId !== s.interview.id) return 'forbidden'
    return client
  } catch (error) {
    return (error as { data: { code: ErrorCode } }).data.code
  }
}

/** `who`'s REST client: interviewers by session, participants by their token, nobody bare. */
async function restOf(who: Who, s: Scene): Promise<Api> {
  if (who === 'interviewerA') return apiA
  if (who === 'interviewerB') return apiB
  const token = await tokenOf(who, s)
  return new Api(server.url, token === null ? {} : { bearer: token })
}

/** The answer's error code, or 'allowed' for a 2xx. */
function restOutcome(answer: { status: number; body: unknown }): Outcome {
  if (answer.status < 300) return 'allowed'
  return (answer.body as ApiErrorBody).error.code
}

const probes: Record<AccessAction, (s: Scene, who: Who) => Promise<Outcome>> = {
  async read(s, who) {
    const token = await tokenOf(who, s)
    const collab = await upgrade(s.interview.id, token)
    const socket = await roomClient(s, token)
    const rest = await new Api(server.url, token === null ? {} : { bearer: token }).get<
      { interviewId: string } | ApiErrorBody
    >('/api/room')
    const restOutcome: Outcome =
      'error' in rest.body
        ? rest.body.error.code
        : rest.body.interviewId === s.interview.id
          ? 'allowed'
          : 'forbidden'
    const outcomes = [
      collab === 'open' ? 'allowed' : collab,
      typeof socket === 'string' ? socket : 'allowed',
      restOutcome,
    ]
    expect(
      new Set(outcomes).size,
      `collab, socket.io and REST disagree: ${outcomes.join(', ')}`,
    ).toBe(1)
    return restOutcome
  },
  // An edit through a real provider; allowed when interviewer A's connection hears it.
  async edit(s, who) {
    const token = await tokenOf(who, s)
    const collab = await upgrade(s.interview.id, token)
    if (collab !== 'open' || token === null) return collab === 'open' ? 'internal' : collab
    const writer = connectDoc(server.url, s.interview.id, token)
    cleanups.push(() => writer.provider.destroy())
    await waitForSync(writer.provider)
    const path = solutionPath('two-sum', 'javascript')
    const marker = `// ${who} was here\n`
    ;(writer.doc.getMap('files').get(path) as Y.Text).insert(0, marker)
    // The cursor move after the edit: once the watcher has it, the server handled the edit.
    writer.provider.awareness.setLocalStateField('marker', marker)
    const id = writer.provider.awareness.clientID
    await waitFor(
      () =>
        (s.watcher.provider.awareness.getStates().get(id) as { marker?: string } | undefined)
          ?.marker === marker,
      "the writer's cursor move",
    )
    const text = (s.watcher.doc.getMap('files').get(path) as Y.Text).toJSON()
    writer.provider.destroy()
    return text.includes(marker) ? 'allowed' : 'dropped'
  },
  async run(s, who) {
    const client = await roomClient(s, await tokenOf(who, s))
    if (typeof client === 'string') return client
    const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
    if (!ack.ok) return ack.error.code
    // One run at a time per room: let it finish before the next cell.
    await client.runEvents(ack.runId)
    await waitFor(() => client.states.length > 0, 'room state')
    return 'allowed'
  },
  async setLanguage(s, who) {
    const client = await roomClient(s, await tokenOf(who, s))
    if (typeof client === 'string') return client
    const ack = await ask<Ack>(client.socket, 'language:set', { language: 'typescript' })
    if (!ack.ok) return ack.error.code
    const back = await ask<Ack>(client.socket, 'language:set', { language: 'javascript' })
    expect(back.ok).toBe(true)
    return 'allowed'
  },
  // A cancel the policy lets through reaches the run lookup, which finds no run in flight under
  // this id: `not_found` there means allowed here (cancel.test.ts stops real runs).
  async cancel(s, who) {
    const client = await roomClient(s, await tokenOf(who, s))
    if (typeof client === 'string') return client
    const ack = await ask<Ack>(client.socket, 'run:cancel', { runId: 'no-such-run' })
    if (ack.ok) return 'internal'
    return ack.error.code === 'not_found' ? 'allowed' : ack.error.code
  },
  // Ending is REST only: interviewers by session, candidates by their participant token.
  async end(s, who) {
    const answer = await (
      await restOf(who, s)
    ).post<Interview>(`/api/interviews/${s.interview.id}/end`)
    if (answer.status < 300) expect(answer.body.status).toBe('ended')
    return restOutcome(answer)
  },
  async lock(s, who) {
    const answer = await (
      await restOf(who, s)
    ).post<Interview>(`/api/interviews/${s.interview.id}/lock`, { locked: true })
    if (answer.status < 300) expect(answer.body.locked).toBe(true)
    return restOutcome(answer)
  },
  async setRunsEnabled(s, who) {
    const answer = await (
      await restOf(who, s)
    ).post<Interview>(`/api/interviews/${s.interview.id}/runs-enabled`, { enabled: false })
    if (answer.status < 300) expect(answer.body.runsDisabled).toBe(true)
    return restOutcome(answer)
  },
  async removeParticipant(s, who) {
    const api = await restOf(who, s)
    const path = `/api/interviews/${s.interview.id}/participants/${s.candidate.participant.participantId}`
    return restOutcome(await api.request('DELETE', path))
  },
  // A focus report over socket.io; allowed when it is acknowledged (and so recorded).
  async reportSignal(s, who) {
    const client = await roomClient(s, await tokenOf(who, s))
    if (typeof client === 'string') return client
    const ack = await ask<Ack>(client.socket, 'signal:report', { kind: 'focus', state: 'lost' })
    return ack.ok ? 'allowed' : ack.error.code
  },
  // Signals reach a socket on join (signal:history, sent before run:history) and live (signal).
  // While the scene's candidate can still connect, they report a paste: a round trip on the
  // asker's own socket afterwards proves whether the live signal was sent to it, since a socket's
  // packets arrive in order. Both ways must agree.
  async receiveSignals(s, who) {
    const client = await roomClient(s, await tokenOf(who, s))
    if (typeof client === 'string') return client
    await waitFor(() => client.history.length > 0, 'run:history')
    const onJoin = client.signalHistory.length > 0
    const reporter =
      who === 'candidate' ? client : await roomClient(s, s.candidate.participantToken)
    if (typeof reporter !== 'string') {
      const paste = { kind: 'paste', chars: 12, lines: 1, path: 'two-sum/solution.js', line: 1 }
      expect(await ask<Ack>(reporter.socket, 'signal:report', paste)).toMatchObject({ ok: true })
      await ask<Ack>(client.socket, 'run:cancel', { runId: 'a-round-trip' })
      const live = client.signals.some((signal) => signal.detail.kind === 'paste')
      expect(live, 'signal:history and the live signal disagree').toBe(onJoin)
    }
    return onJoin ? 'allowed' : 'forbidden'
  },
  // Saving a draft of one's own card, then reading the cards: both answer alike.
  async scorecard(s, who) {
    const api = await restOf(who, s)
    const base = `/api/interviews/${s.interview.id}/scorecards`
    const draft = {
      criteria: [],
      recommendation: null,
      overallNote: `${who}'s draft`,
      submit: false,
    }
    const put = restOutcome(await api.request<Scorecards>('PUT', `${base}/me`, draft))
    const answer = await api.get<Scorecards>(base)
    if (answer.status < 300) expect(answer.body.mine?.overallNote).toBe(`${who}'s draft`)
    expect(restOutcome(answer), 'PUT and GET disagree').toBe(put)
    return put
  },
  // The timeline and the code at a moment answer alike; allowed when both do, with the code.
  async replay(s, who) {
    const api = await restOf(who, s)
    const timeline = await api.get(`/api/interviews/${s.interview.id}/timeline`)
    const code = await api.get<{ files?: unknown[] } | ApiErrorBody>(
      `/api/interviews/${s.interview.id}/code?at=${Date.now()}`,
    )
    const outcomes = [restOutcome(timeline), restOutcome(code)]
    expect(new Set(outcomes).size, `timeline and code disagree: ${outcomes.join(', ')}`).toBe(1)
    if (outcomes[0] === 'allowed')
      expect('files' in code.body && code.body.files).not.toHaveLength(0)
    return restOutcome(code)
  },
  // A replay run the policy lets through is followed to its end (its record's summary).
  async replayRun(s, who) {
    const api = await restOf(who, s)
    const started = await api.post<{ runId: string }>(
      `/api/interviews/${s.interview.id}/replay-runs`,
      { at: Date.now() },
    )
    if (started.status >= 300) return restOutcome(started)
    const path = `/api/interviews/${s.interview.id}/replay-runs/${started.body.runId}`
    await waitFor(
      async () => ((await api.get<{ summary: unknown }>(path)).body.summary ?? null) !== null,
      'the replay run to finish',
    )
    return 'allowed'
  },
}

describe('who may do what', () => {
  for (const who of Object.keys(rowOf) as Who[]) {
    const states = accessPolicy[rowOf[who]] as Partial<Record<AccessState, AccessRow>>
    for (const [state, row] of Object.entries(states) as [AccessState, AccessRow][]) {
      it(`${who} in a ${state} interview: ${JSON.stringify(row)}`, async () => {
        const actual: Partial<Record<AccessAction, Outcome>> = {}
        for (const action of accessActions) {
          // Several actions change the state: each gets its own interview.
          actual[action] = await probes[action](await scene(state), who)
        }
        expect(actual).toEqual(row)
      })
    }
  }
})

/**
 * The instance's webhooks (`/api/webhooks`, issue 9.9) belong to no interview: every interviewer
 * manages every endpoint (an ATS integration is the team's), and a participant token, even an
 * interviewer's own for a room, is refused on every one of them.
 */
const webhookCells: Record<Who, Outcome> = {
  interviewerA: 'allowed',
  interviewerB: 'allowed',
  candidate: 'forbidden',
  otherCandidate: 'forbidden',
  nobody: 'unauthorized',
}

const webhookProbes: Record<string, (api: Api, endpointId: string) => Promise<Outcome>> = {
  list: async (api) => restOutcome(await api.get('/api/webhooks')),
  create: async (api) =>
    restOutcome(
      await api.post('/api/webhooks', { url: 'http://127.0.0.1:1/hook', events: ['report.ready'] }),
    ),
  deliveries: async (api, id) => restOutcome(await api.get(`/api/webhooks/${id}/deliveries`)),
  test: async (api, id) => restOutcome(await api.post(`/api/webhooks/${id}/test`)),
  setEnabled: async (api, id) =>
    restOutcome(await api.post(`/api/webhooks/${id}/enabled`, { enabled: false })),
  rotateSecret: async (api, id) => restOutcome(await api.post(`/api/webhooks/${id}/rotate-secret`)),
  delete: async (api, id) => restOutcome(await api.request('DELETE', `/api/webhooks/${id}`)),
}

describe('who may manage the instance’s webhooks', () => {
  for (const who of Object.keys(webhookCells) as Who[]) {
    const expected = webhookCells[who]
    it(`${who}: ${expected} on every /api/webhooks endpoint`, async () => {
      const api = await restOf(who, await scene('live'))
      const actual: Record<string, Outcome> = {}
      for (const [name, probe] of Object.entries(webhookProbes)) {
        // Interviewer A registers a fresh endpoint for each probe (some change or delete it).
        const created = await apiA.post<{ id: string }>('/api/webhooks', {
          url: 'http://127.0.0.1:1/hook',
          events: ['report.ready'],
        })
        expect(created.status).toBe(201)
        actual[name] = await probe(api, created.body.id)
      }
      expect(actual).toEqual(
        Object.fromEntries(Object.keys(webhookProbes).map((name) => [name, expected])),
      )
    })
  }
})
