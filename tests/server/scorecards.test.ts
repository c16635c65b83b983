/**
 * Scorecards (issue 9.5) through the real server: two interviewer accounts of the instance, A and
 * B, score one interview on the two-sum rubric independently. B cannot read A's card before
 * submitting their own through any endpoint (GET scorecards, the report as JSON and as
 * report.html, the lobby) nor any socket.io event; a candidate's token is refused everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InviteCreated } from '../../protocol/api.ts'
import type { ApiErrorBody } from '../../protocol/errors.ts'
import type { InterviewReport } from '../../protocol/report.ts'
import {
  Scorecards as ScorecardsSchema,
  type InterviewListEntry,
  type ScorecardPutBody,
  type Scorecards,
} from '../../protocol/scorecards.ts'
import { Api, openInterview, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { connectRoom } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

let server: TestServer
let apiA: Api
let apiB: Api

/** What only A's card says: found in B's answers, it would be a leak. */
const secret = 'A-thinks-the-hash-map-came-late'

beforeAll(async () => {
  server = await startTestServer()
  ;({ api: apiA } = await setUpInterviewer(server.url))
  const invite = await apiA.post<InviteCreated>('/api/invites')
  apiB = new Api(server.url)
  const accepted = await apiB.post(`/api/invites/${invite.body.token}/accept`, {
    email: 'barbara@example.com',
    password: testPassword,
    name: 'Barbara Liskov',
  })
  expect(accepted.status).toBe(201)
})
afterAll(() => server.cleanup())

const pathOf = (id: string) => `/api/interviews/${id}/scorecards`
const put = (api: Api, id: string, body: ScorecardPutBody) =>
  api.request<Scorecards & ApiErrorBody>('PUT', `${pathOf(id)}/me`, body)

/** report.html as `api`'s account downloads it. */
async function reportHtml(api: Api, id: string): Promise<string> {
  const answer = await fetch(`${server.url}/api/interviews/${id}/report.html`, {
    headers: { cookie: api.cookie ?? '' },
  })
  expect(answer.status).toBe(200)
  return answer.text()
}

/** A complete card on the interview's rubric: every criterion at `score`, with a note. */
async function fullCard(
  api: Api,
  id: string,
  o: { score: 1 | 2 | 3 | 4; note: string; recommendation: ScorecardPutBody['recommendation'] },
): Promise<ScorecardPutBody> {
  const { rubric } = (await api.get<Scorecards>(pathOf(id))).body
  return {
    criteria: rubric.map((c) => ({
      criterion: c.id,
      score: o.score,
      note: `${o.note} (${c.name})`,
    })),
    recommendation: o.recommendation,
    overallNote: o.note,
    submit: true,
  }
}

describe('scorecards', () => {
  it('gives each interviewer the rubric of the interview and an empty card to start from', async () => {
    const { interview } = await openInterview(apiA)
    const answer = await apiA.get<Scorecards>(pathOf(interview.id))
    expect(answer.status).toBe(200)
    const view = ScorecardsSchema.parse(answer.body)
    expect(view.rubric.map((c) => c.name)).toEqual(['Approach', 'Correctness', 'Communication'])
    expect(view.rubric[0]?.levels).toHaveLength(4)
    expect(view).toMatchObject({ mine: null, othersVisible: false, others: [] })
  })

  it('saves a draft with criteria unscored, then refuses to submit it until it is complete', async () => {
    const { interview } = await openInterview(apiA)
    const draft = await put(apiA, interview.id, {
      criteria: [{ criterion: 'approach', score: 3, note: 'Hash map after a nudge' }],
      recommendation: null,
      overallNote: '',
      submit: false,
    })
    expect(draft.status).toBe(200)
    expect(draft.body.mine).toMatchObject({ status: 'draft', submittedAt: null })
    // Every criterion is on the card, in the rubric's order; those not sent are unscored.
    expect(draft.body.mine?.criteria).toEqual([
      { criterion: 'approach', score: 3, note: 'Hash map after a nudge' },
      { criterion: 'correctness', score: null, note: '' },
      { criterion: 'communication', score: null, note: '' },
    ])

    const early = await put(apiA, interview.id, {
      criteria: [{ criterion: 'approach', score: 3, note: '' }],
      recommendation: null,
      overallNote: '',
      submit: true,
    })
    expect(early.status).toBe(400)
    expect(early.body.error.issues?.map((i) => i.path)).toEqual([
      'criteria.1.score',
      'criteria.2.score',
      'recommendation',
    ])
    const stillDraft = await apiA.get<Scorecards>(pathOf(interview.id))
    expect(stillDraft.body.mine?.status).toBe('draft')
  })

  it('refuses a criterion the rubric does not have, a score outside 1 to 4 and unknown fields', async () => {
    const { interview } = await openInterview(apiA)
    const base = { recommendation: null, overallNote: '', submit: false }
    const unknown = await put(apiA, interview.id, {
      ...base,
      criteria: [{ criterion: 'charisma', score: 2, note: '' }],
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.issues?.[0]?.path).toBe('criteria.0.criterion')
    const twice = await put(apiA, interview.id, {
      ...base,
      criteria: [
        { criterion: 'approach', score: 2, note: '' },
        { criterion: 'approach', score: 3, note: '' },
      ],
    })
    expect(twice.status).toBe(400)
    const five = await apiA.request<ApiErrorBody>('PUT', `${pathOf(interview.id)}/me`, {
      ...base,
      criteria: [{ criterion: 'approach', score: 5, note: '' }],
    })
    expect(five.status).toBe(400)
    const extra = await apiA.request<ApiErrorBody>('PUT', `${pathOf(interview.id)}/me`, {
      ...base,
      criteria: [],
      verdict: 'hire',
    })
    expect(extra.status).toBe(400)
    expect(extra.body.error.issues?.[0]).toEqual({ path: 'verdict', message: 'Unknown field' })
    expect((await apiA.get<Scorecards>(pathOf(interview.id))).body.mine).toBeNull()
  })

  it('makes a submitted card final: a later save answers 409 and changes nothing', async () => {
    const { interview } = await openInterview(apiA)
    const card = await fullCard(apiA, interview.id, {
      score: 3,
      note: 'Solid',
      recommendation: 'yes',
    })
    const submitted = await put(apiA, interview.id, card)
    expect(submitted.status).toBe(200)
    expect(submitted.body.mine?.status).toBe('submitted')
    expect(submitted.body.mine?.submittedAt).not.toBeNull()
    const changed = await put(apiA, interview.id, { ...card, recommendation: 'strong_no' })
    expect(changed.status).toBe(409)
    expect(changed.body.error.code).toBe('conflict')
    const draftAgain = await put(apiA, interview.id, { ...card, submit: false })
    expect(draftAgain.status).toBe(409)
    const after = await apiA.get<Scorecards>(pathOf(interview.id))
    expect(after.body.mine?.recommendation).toBe('yes')
  })

  it('lets interviewers score after the interview has ended', async () => {
    const { interview } = await openInterview(apiA)
    expect((await apiA.post(`/api/interviews/${interview.id}/end`)).status).toBe(200)
    const card = await fullCard(apiA, interview.id, {
      score: 2,
      note: 'Late',
      recommendation: 'no',
    })
    expect((await put(apiA, interview.id, card)).status).toBe(200)
  })

  it('refuses a candidate’s token, an interviewer’s room token and no credentials', async () => {
    const { interview, candidate, interviewer } = await openInterview(apiA)
    const draft = { criteria: [], recommendation: null, overallNote: 'mine', submit: false }
    for (const [token, status] of [
      [candidate.participantToken, 403],
      [interviewer.participantToken, 403],
      [undefined, 401],
    ] as const) {
      const api = new Api(server.url, token === undefined ? {} : { bearer: token })
      expect((await api.get(pathOf(interview.id))).status).toBe(status)
      expect((await api.request('PUT', `${pathOf(interview.id)}/me`, draft)).status).toBe(status)
    }
    expect((await apiA.get<Scorecards>(pathOf(interview.id))).body).toMatchObject({
      mine: null,
      others: [],
    })
    expect((await apiA.get(pathOf('no-such-interview'))).status).toBe(404)
  })

  it('answers an API token as its account: the same card as the session’s', async () => {
    const { interview } = await openInterview(apiA)
    const created = await apiA.post<{ token: string }>('/api/tokens', { name: 'ats' })
    const script = new Api(server.url, { bearer: created.body.token })
    script.origin = undefined
    const saved = await put(script, interview.id, {
      criteria: [],
      recommendation: 'yes',
      overallNote: 'from the ATS',
      submit: false,
    })
    expect(saved.status).toBe(200)
    expect((await apiA.get<Scorecards>(pathOf(interview.id))).body.mine?.overallNote).toBe(
      'from the ATS',
    )
  })
})

describe('scorecard independence', () => {
  it('B cannot read A’s scorecard before submitting, through any endpoint or socket event', async () => {
    const { interview } = await openInterview(apiA)
    const id = interview.id
    // B is in the room, listening to every socket.io event, while A scores.
    const bTicket = await apiB.post<{ participantToken: string }>(`/api/interviews/${id}/enter`)
    const bRoom = await connectRoom(server.url, bTicket.body.participantToken)
    const heard: string[] = []
    bRoom.socket.onAny((event: string, ...args: unknown[]) => {
      heard.push(JSON.stringify([event, ...args]))
    })
    const cardA = await fullCard(apiA, id, { score: 4, note: secret, recommendation: 'strong_yes' })
    expect((await put(apiA, id, cardA)).status).toBe(200)
    expect((await apiA.post(`/api/interviews/${id}/end`)).status).toBe(200)

    // Before B has a card, and with a draft: A shows as a name and a status, nothing more.
    const bDraft = {
      criteria: [],
      recommendation: 'no' as const,
      overallNote: 'B so far',
      submit: false,
    }
    for (const step of ['no card', 'draft'] as const) {
      if (step === 'draft') expect((await put(apiB, id, bDraft)).status).toBe(200)
      const view = await apiB.get<Scorecards>(pathOf(id))
      expect(view.body.othersVisible).toBe(false)
      expect(view.body.others).toEqual([
        {
          interviewerId: expect.any(String) as string,
          interviewerName: 'Ada Lovelace',
          status: 'submitted',
          scorecard: null,
        },
      ])
      const report = await apiB.get<InterviewReport>(`/api/interviews/${id}/report`)
      expect(report.status).toBe(200)
      expect(report.body.scorecards.others[0]?.scorecard).toBeNull()
      const html = await reportHtml(apiB, id)
      const lobby = await apiB.get<InterviewListEntry[]>('/api/interviews')
      const entry = lobby.body.find((e) => e.id === id)
      expect(entry?.scorecards).toEqual({ submitted: 1, recommendations: null })
      for (const [where, text] of [
        ['GET scorecards', JSON.stringify(view.body)],
        ['report JSON', JSON.stringify(report.body)],
        ['report.html', html],
        ['the lobby', JSON.stringify(lobby.body)],
        ['socket.io', heard.join('\n')],
      ] as const) {
        expect(text, `${where} (${step})`).not.toContain(secret)
        expect(text, `${where} (${step})`).not.toContain('strong_yes')
      }
    }

    // B submits: A's card is theirs to read everywhere, and A now sees B's too.
    const cardB = await fullCard(apiB, id, { score: 2, note: 'B saw gaps', recommendation: 'yes' })
    const submitted = await put(apiB, id, cardB)
    expect(submitted.status).toBe(200)
    expect(submitted.body.othersVisible).toBe(true)
    expect(submitted.body.others[0]?.scorecard?.overallNote).toBe(secret)
    expect(submitted.body.others[0]?.scorecard?.recommendation).toBe('strong_yes')
    const report = await apiB.get<InterviewReport>(`/api/interviews/${id}/report`)
    expect(report.body.scorecards.others[0]?.scorecard?.overallNote).toBe(secret)
    expect(await reportHtml(apiB, id)).toContain(secret)
    const lobby = await apiB.get<InterviewListEntry[]>('/api/interviews')
    expect(lobby.body.find((e) => e.id === id)?.scorecards).toEqual({
      submitted: 2,
      recommendations: ['strong_yes', 'yes'],
    })
    const forA = await apiA.get<Scorecards>(pathOf(id))
    expect(forA.body.others[0]).toMatchObject({ interviewerName: 'Barbara Liskov' })
    expect(forA.body.others[0]?.scorecard?.overallNote).toBe('B saw gaps')
    // Nothing of a scorecard ever went over B's socket.
    expect(heard.join('\n')).not.toContain(secret)
    bRoom.close()
  })
})
