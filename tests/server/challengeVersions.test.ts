/**
 * An interview pins the challenge version it started with. Its statement, tests and runs stay on
 * that version after the challenge's files change on disk and the server restarts; a new
 * interview gets the new version. And a database from before versions existed opens, pins its
 * interviews to the challenge as found, and their rooms show it and run.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import type { RoomTicket, RoomView } from '../../protocol/api.ts'
import type { Ack } from '../../protocol/errors.ts'
import type { RunEvent } from '../../protocol/run.ts'
import { loadChallenge } from '../../server/challenges/loadChallenges.ts'
import { newSecret } from '../../server/ids.ts'
import { migrations } from '../../server/store/migrations.ts'
import { Api, openInterview, setUpInterviewer, testPassword } from '../helpers/api.ts'
import { ask, connectRoom } from '../helpers/clients.ts'
import { startTestServer, type TestServer } from '../helpers/tandemServer.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A challenges folder holding a copy of two-sum, deleted after the test. */
function challengesDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-versions-'))
  cpSync('challenges/two-sum', path.join(dir, 'two-sum'), { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function start(options: { challenges: string; dataDir?: string }): Promise<TestServer> {
  const server = await startTestServer({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    env: { CHALLENGES_DIR: options.challenges },
  })
  cleanups.push(() => server.close())
  return server
}

function roomView(server: TestServer, ticket: RoomTicket): Promise<RoomView> {
  return new Api(server.url, { bearer: ticket.participantToken })
    .get<RoomView>('/api/room')
    .then((answer) => {
      if (answer.status !== 200) throw new Error(`room: ${answer.status}`)
      return answer.body
    })
}

/** Runs the tests in the room and answers the names of the tests that were run. */
async function testsRun(server: TestServer, ticket: RoomTicket): Promise<string[]> {
  const client = await connectRoom(server.url, ticket.participantToken)
  try {
    const ack = await ask<Ack<{ runId: string }>>(client.socket, 'run:start', { mode: 'tests' })
    if (!ack.ok) throw new Error(`run refused: ${ack.error.message}`)
    const events = await client.runEvents(ack.runId)
    return events
      .filter((e): e is Extract<RunEvent, { type: 'test' }> => e.type === 'test')
      .map((e) => e.result.name)
  } finally {
    client.close()
  }
}

describe('challenge versions', () => {
  it('keeps an interview on the statement and tests it started with across an edit and a restart', async () => {
    const challenges = challengesDir()
    const original = await loadChallenge(challenges, 'two-sum')
    let server = await start({ challenges })
    const { api } = await setUpInterviewer(server.url)
    const before = await openInterview(api)
    const beforeView = await roomView(server, before.interviewer)
    expect(beforeView.challenge.statementHtml).not.toContain('Second edition')

    // The author edits the statement and replaces the tests; the server restarts on the same data.
    await server.close()
    appendFileSync(path.join(challenges, 'two-sum', 'statement.md'), '\nSecond edition.\n')
    writeFileSync(
      path.join(challenges, 'two-sum', 'tests.json'),
      JSON.stringify({
        tests: [
          { name: 'example', input: { nums: [2, 7, 11, 15], target: 9 }, expected: [0, 1] },
          {
            name: 'added in the second edition',
            input: { nums: [1, 5], target: 6 },
            expected: [0, 1],
          },
          {
            name: 'hidden in the second edition',
            hidden: true,
            input: { nums: [4, 9, 4], target: 8 },
            expected: [0, 2],
          },
        ],
      }),
    )
    server = await start({ challenges, dataDir: server.dataDir })
    const relogin = new Api(server.url)
    const login = await relogin.post('/api/auth/login', {
      email: 'ada@example.com',
      password: testPassword,
    })
    expect(login.status).toBe(200)

    const old = await roomView(server, before.interviewer)
    expect(old.challenge.statementHtml).toBe(beforeView.challenge.statementHtml)
    expect(old.challenge.tests).toEqual(beforeView.challenge.tests)
    expect(old.challenge.hiddenTestCount).toBe(beforeView.challenge.hiddenTestCount)
    expect(await testsRun(server, before.interviewer)).toEqual(original.tests.map((t) => t.name))
    // The candidate's view of the old interview is the old one too.
    expect((await roomView(server, before.candidate)).challenge.statementHtml).not.toContain(
      'Second edition',
    )

    const after = await openInterview(relogin)
    expect((await roomView(server, after.candidate)).challenge.statementHtml).toContain(
      'Second edition',
    )
    expect(await testsRun(server, after.interviewer)).toEqual([
      'example',
      'added in the second edition',
      'hidden in the second edition',
    ])
  })

  it('still opens and runs an interview whose challenge folder was deleted since', async () => {
    const challenges = challengesDir()
    const original = await loadChallenge(challenges, 'two-sum')
    let server = await start({ challenges })
    const { api } = await setUpInterviewer(server.url)
    const { interviewer } = await openInterview(api)
    await server.close()
    rmSync(path.join(challenges, 'two-sum'), { recursive: true })
    server = await start({ challenges, dataDir: server.dataDir })

    expect((await roomView(server, interviewer)).challenge.statementHtml).toBe(
      original.statementHtml,
    )
    expect(await testsRun(server, interviewer)).toEqual(original.tests.map((t) => t.name))
    // New interviews can only choose a challenge whose folder loads now.
    const relogin = new Api(server.url)
    await relogin.post('/api/auth/login', { email: 'ada@example.com', password: testPassword })
    expect((await relogin.post('/api/interviews', { challenge: 'two-sum' })).status).toBe(404)
  })

  it('opens a database from before versions, pins its interview to the challenge found, and runs it', async () => {
    const challenges = challengesDir()
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-versions-db-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    // The schema as it was: every migration before the one that added challenge versions.
    const mine = migrations.findIndex((sql) => sql.includes('CREATE TABLE challenge_versions'))
    expect(mine).toBeGreaterThan(0)
    const db = new DatabaseSync(path.join(dataDir, 'tandem.db'))
    for (const sql of migrations.slice(0, mine)) db.exec(sql)
    db.exec(`PRAGMA user_version = ${mine}`)
    const now = new Date().toISOString()
    const link = newSecret()
    db.prepare(
      'INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run('u1', 'ada@example.com', 'Ada', 'not a real hash', now)
    db.prepare(
      `INSERT INTO interviews (id, title, challenge_slug, language, status, candidate_token, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run('old-interview', 'From last year', 'two-sum', 'javascript', 'open', link, 'u1', now)
    db.close()

    const server = await start({ challenges, dataDir })
    const current = await loadChallenge(challenges, 'two-sum')
    expect((await server.tandem.store.interviews.byId('old-interview'))?.challengeVersion).toBe(
      current.version,
    )
    const joined = await new Api(server.url).post<RoomTicket>('/api/join', {
      token: link,
      displayName: 'Grace',
    })
    expect(joined.status).toBe(201)
    const view = await roomView(server, joined.body)
    expect(view.title).toBe('From last year')
    expect(view.challenge.statementHtml).toBe(current.statementHtml)
    const visible = current.tests.filter((t) => !t.hidden).length
    expect((await testsRun(server, joined.body)).slice(0, visible)).toEqual(
      current.tests.slice(0, visible).map((t) => t.name),
    )
  })
})
