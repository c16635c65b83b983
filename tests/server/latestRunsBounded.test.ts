/**
 * Regression (issue 14 A.9): the run service kept every interview's latest run events in memory
 * for late joiners, forever — heap after GC grew 44 → 80 MB over 3 000 interviews that each ran
 * once (~12 KB each). The map is now a bounded LRU and an evicted interview's latest run is read
 * back from the store. Real SQLite and the real sandbox process (JavaScript in an isolate).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunEvent } from '../../protocol/run.ts'
import { AccessGate } from '../../server/access/AccessGate.ts'
import { AuthService } from '../../server/auth/AuthService.ts'
import { ChallengeCatalog } from '../../server/challenges/ChallengeCatalog.ts'
import { loadChallenges } from '../../server/challenges/loadChallenges.ts'
import { loadConfig } from '../../server/config.ts'
import { newId } from '../../server/ids.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { RunService } from '../../server/runs/RunService.ts'
import { openSqliteStore } from '../../server/store/SqliteStore.ts'
import type { ParticipantRecord, Store } from '../../server/store/Store.ts'
import { waitFor } from '../helpers/waitFor.ts'

const twoSum = `function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
    seen.set(nums[i], i)
  }
}
`

let dataDir: string
let store: Store
let runner: LocalRunner
let runs: RunService
/** Exits seen by the broadcaster, per interview. */
const exits = new Map<string, RunEvent>()

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-latest-'))
  store = openSqliteStore(dataDir)
  const { challenges } = await loadChallenges(loadConfig({ DATA_DIR: dataDir }).challengesDir)
  const catalog = new ChallengeCatalog(challenges)
  runner = new LocalRunner({ concurrency: 1 })
  const languages = await runner.languages()
  runs = new RunService({
    store,
    access: new AccessGate({ store, auth: new AuthService(store) }),
    catalog,
    // The code every interview's document holds.
    docs: {
      readFile: () => Promise.resolve(twoSum),
      readFolder: (_interviewId, folder) =>
        Promise.resolve([{ path: `${folder}/solution.js`, content: twoSum }]),
      seedFile: () => Promise.resolve(),
      endRoom: () => Promise.resolve(),
      flush: () => Promise.resolve(),
      reviewAccess: () => undefined,
    },
    runner,
    languages: () => languages,
    broadcaster: {
      publish: (interviewId, full) => {
        if (full.type === 'exit') exits.set(interviewId, full)
      },
      publishToInterviewers: () => undefined,
    },
    latestRunsCached: 3,
  })
})
afterAll(async () => {
  await runs.close()
  await runner.close()
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** An interview on two-sum in JavaScript, and its interviewer. */
async function interviewWithInterviewer(): Promise<ParticipantRecord> {
  const interviewId = newId()
  const now = new Date().toISOString()
  const email = `${newId()}@example.com`
  const { id: userId } = await store.users.create({ email, name: 'Ada', passwordHash: 'unused' })
  await store.interviews.create({
    id: interviewId,
    title: 'Leak probe',
    challengeSlug: 'two-sum',
    challengeVersion: null,
    language: 'javascript',
    status: 'open',
    candidateToken: newId(),
    createdBy: userId,
    createdAt: now,
    endedAt: null,
    plannedMinutes: 60,
  })
  const participant: ParticipantRecord = {
    id: newId(),
    interviewId,
    role: 'interviewer',
    name: 'Ada',
    userId,
    tokenHash: newId(),
    createdAt: now,
    removedAt: null,
  }
  await store.participants.create(participant)
  return participant
}

describe('the latest run of each interview', () => {
  it('stays bounded in memory after many interviews ran once, and late joiners still see it', async () => {
    const participants: ParticipantRecord[] = []
    for (let i = 0; i < 8; i++) {
      const participant = await interviewWithInterviewer()
      participants.push(participant)
      await runs.start(participant, { mode: 'tests' })
      await waitFor(() => exits.has(participant.interviewId), 'the run to exit')
      await waitFor(() => runs.activeRun(participant.interviewId) === null, 'the run to settle')
      expect(runs.cachedLatestRuns).toBeLessThanOrEqual(3)
    }
    expect(runs.cachedLatestRuns).toBe(3)
    // The first interview was evicted long ago; a late joiner still gets its run, from the store.
    const first = participants[0]
    if (first === undefined) throw new Error('no interviews')
    const history = await runs.history(first.interviewId, 'interviewer')
    expect(history.at(-1)).toEqual(exits.get(first.interviewId))
    expect(history.at(-1)).toMatchObject({ type: 'exit', summary: { verdict: 'passed' } })
    expect(runs.cachedLatestRuns).toBe(3)
  })
})
