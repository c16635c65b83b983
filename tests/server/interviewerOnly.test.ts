/**
 * A challenge's interviewer-only part (interviewer.md: what it assesses, follow-ups, the rubric)
 * reaches interviewers and nothing a candidate can read.
 *
 * Regression for issue 14, A.3: the authoring guide told every challenge to put "What this
 * assesses" and follow-up questions in statement.md, so every candidate read how they would be
 * judged and what the interviewer would ask next. The text now lives in interviewer.md, which the
 * server puts only in interviewers' views. Here every line of it carries a marker (`qzint-`) found
 * nowhere else, and the test searches everything a candidate receives: REST answers, every
 * socket.io event after joining and a run, the collab document, and the page and scripts a
 * candidate link serves.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { ChallengeView, RoomView } from '../../protocol/api.ts'
import { solutionPath } from '../../protocol/collab.ts'
import type { Ack } from '../../protocol/errors.ts'
import { loadChallenges } from '../../server/challenges/loadChallenges.ts'
import { ensureWebBuild } from '../browser/browser.ts'
import { Api, openInterview, setUpInterviewer } from '../helpers/api.ts'
import { ask, connectDoc, connectRoom, typeInRoom, waitForSync } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

const slug = 'two-sum'
const marker = 'qzint-'

/** An interviewer.md in which notes, follow-ups, criterion names and every level carry the marker. */
const guide = `# Two Sum: for interviewers

## What this assesses

- ${marker}assesses hash maps over the pair check.

## Follow-up questions

- ${marker}followup what if the input is sorted?

## Rubric

### ${marker}approach

1. ${marker}level one
2. ${marker}level two
3. ${marker}level three
4. ${marker}level four

### ${marker}communication

1. ${marker}silent
2. ${marker}when asked
3. ${marker}plans first
4. ${marker}trade-offs
`

let dir: string
let server: TestServer
let admin: Api

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tandem-interviewer-only-'))
  cpSync(path.join('challenges', slug), path.join(dir, slug), { recursive: true })
  writeFileSync(path.join(dir, slug, 'interviewer.md'), guide)
  // The candidate's page is part of what they can read, so the built app is served too.
  await ensureWebBuild()
  server = await startTestServer({ env: { CHALLENGES_DIR: dir } })
  ;({ api: admin } = await setUpInterviewer(server.url))
}, 180_000)

afterAll(async () => {
  await server.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

/** The page at `route` and every script and stylesheet it loads, chunks imported lazily included. */
async function pageAndAssets(url: string, route: string): Promise<string> {
  const seen = new Map<string, string>()
  const pending = [route]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue
    const response = await fetch(url + next)
    const text = await response.text()
    seen.set(next, text)
    for (const [, asset] of text.matchAll(/["'(/]((?:\/)?assets\/[\w.-]+\.(?:js|css))["')]/g)) {
      if (asset !== undefined) pending.push(asset.startsWith('/') ? asset : `/${asset}`)
    }
  }
  // The room screen is a lazy chunk: make sure the crawl got past the entry.
  expect([...seen.keys()].filter((file) => file.endsWith('.js')).length).toBeGreaterThan(1)
  return [...seen.values()].join('\n')
}

describe('the interviewer-only part of a challenge', () => {
  it('never reaches a candidate, on any channel, while the interviewer sees all of it', async () => {
    const { interview, interviewer, candidate, candidateToken } = await openInterview(
      admin,
      slug,
      'javascript',
    )
    const candidateApi = new Api(server.url, { bearer: candidate.participantToken })
    const interviewerApi = new Api(server.url, { bearer: interviewer.participantToken })

    // socket.io: every event a candidate's socket receives, from the handshake on.
    const candidateClient = await connectRoom(server.url, candidate.participantToken)
    const received: unknown[] = []
    candidateClient.socket.onAny((event: string, ...args: unknown[]) => received.push(event, args))
    const stopTyping = await typeInRoom({
      url: server.url,
      interviewId: interview.id,
      token: candidate.participantToken,
      path: solutionPath(slug, 'javascript'),
      code: readFileSync(path.join(dir, slug, 'solutions', 'solution.js'), 'utf8'),
    })
    const { doc, provider } = connectDoc(server.url, interview.id, candidate.participantToken)
    try {
      const ack = await ask<Ack<{ runId: string }>>(candidateClient.socket, 'run:start', {
        mode: 'tests',
      })
      if (!ack.ok) throw new Error(`run refused: ${ack.error.message}`)
      const runEvents = await candidateClient.runEvents(ack.runId)
      expect(runEvents.at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
      await waitFor(() => received.length > 0, 'the candidate socket to receive events')

      // The collab document, in full: every shared type and the raw update bytes.
      await waitForSync(provider)
      const collab = [
        JSON.stringify([...doc.share].map(([name, type]) => [name, type.toJSON() as unknown])),
        Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1'),
      ]

      // REST: what a candidate's token can ask for, and what the join page shows before joining.
      const rest = await Promise.all([
        candidateApi.get<RoomView>('/api/room'),
        candidateApi.get(`/api/challenges/${slug}`),
        candidateApi.get('/api/challenges'),
        candidateApi.get(`/api/interviews/${interview.id}`),
        new Api(server.url).get(`/api/join/${candidateToken}`),
        candidateApi.get('/api/languages'),
      ])
      const room = rest[0]
      expect(room.status).toBe(200)
      expect(room.body.challenge.slug).toBe(slug)
      expect(room.body.challenge.interviewer).toBeUndefined()

      const page = await pageAndAssets(server.url, `/join/${candidateToken}`)

      const candidateSaw = {
        rest: JSON.stringify(rest.map((answer) => answer.body)),
        socket: JSON.stringify([
          received,
          candidateClient.events,
          candidateClient.states,
          candidateClient.history,
        ]),
        collab: collab.join('\n'),
        page,
      }
      for (const [channel, text] of Object.entries(candidateSaw)) {
        expect({ channel, leaked: text.includes(marker) }).toEqual({ channel, leaked: false })
      }

      // The interviewer's room view and challenge view have every line of it.
      const interviewerRoom = await interviewerApi.get<RoomView>('/api/room')
      const catalogView = await admin.get<ChallengeView>(`/api/challenges/${slug}`)
      for (const view of [interviewerRoom.body.challenge, catalogView.body]) {
        const seen = view.interviewer
        expect(seen?.notesHtml).toContain(`${marker}assesses`)
        expect(seen?.notesHtml).toContain(`${marker}followup`)
        expect(seen?.rubric.map((c) => c.name)).toEqual([
          `${marker}approach`,
          `${marker}communication`,
        ])
        expect(seen?.rubric[0]?.levels).toEqual([1, 2, 3, 4].map(levelText))
      }
    } finally {
      stopTyping()
      provider.destroy()
      doc.destroy()
      candidateClient.close()
    }
  })

  it('is not in any bundled statement that candidates read', async () => {
    // Every bundled challenge loads (the loader refuses statements with interviewer-only
    // headings), and each has a rubric of 3 or 4 criteria.
    const { challenges, problems } = await loadChallenges('challenges')
    expect(problems).toEqual([])
    for (const challenge of challenges.values()) {
      expect(challenge.statementHtml).not.toMatch(/What this assesses|follow-up|rubric/i)
      expect(challenge.interviewer.rubric.length).toBeGreaterThanOrEqual(3)
      expect(challenge.interviewer.rubric.length).toBeLessThanOrEqual(4)
    }
  })
})

function levelText(n: number): string {
  return `${marker}level ${['one', 'two', 'three', 'four'][n - 1] ?? ''}`
}
