/**
 * Every bundled challenge, in every language it has a reference solution for, run through the
 * real engine the way the server runs it: a LocalRunner and its sandbox process, the job built as
 * RunService builds it (the challenge's tests, effectiveLimits for the language). Each reference
 * solution must pass every test; each author starter of a debugging challenge must fail a visible
 * test; and a reference solution with one rule removed must fail, in every language.
 *
 * Runs go two at a time (the runner's concurrency); C++ and Java compile once per source, and the
 * compile cache is shared with tests/box, so the precompiled C++ header is built once per machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { languageFacts, type LanguageId, type LanguageInfo } from '../../protocol/languages.ts'
import {
  caseHolds,
  checkCases,
  describeFailures,
  runChallengeSource,
  type CheckCase,
  type CheckOutcome,
} from '../../server/challenges/checkChallenge.ts'
import { loadChallenges, type Challenge } from '../../server/challenges/loadChallenges.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { testCacheDir } from '../box/boxTestKit.ts'

const { challenges, problems } = await loadChallenges(
  new URL('../../challenges', import.meta.url).pathname,
)

/** The sources of one kind, each with its challenge and language. */
const cases = (kind: CheckCase['kind']): CheckCase[] =>
  checkCases(challenges.values()).filter((c) => c.kind === kind)

/** Compiles and queue waits count against a test's time: generous, since runs share 2 cores. */
const slow = { timeout: 180_000 }

let runner: LocalRunner
let languages: LanguageInfo[]

beforeAll(async () => {
  runner = new LocalRunner({ concurrency: 2, env: { TANDEM_BOX_CACHE_DIR: testCacheDir } })
  languages = await runner.languages()
})

afterAll(async () => {
  await runner.close()
})

/** Runs `source` against every test of the challenge, as the server would for an interview. */
function runChallenge(
  challenge: Challenge,
  language: LanguageId,
  source: string,
): Promise<CheckOutcome> {
  const info = languages.find((l) => l.id === language)
  if (info === undefined) throw new Error(`${languageFacts[language].name} is not offered here`)
  return runChallengeSource(runner, { challenge, language: info, source })
}

describe('bundled challenges', () => {
  it('all load without problems', () => {
    expect(problems).toEqual([])
    expect(challenges.size).toBeGreaterThan(0)
  })
})

describe.concurrent('reference solutions', () => {
  it.for(cases('solution'))(
    '$slug in $language passes every test',
    slow,
    async ({ language, challenge, source }, { expect }) => {
      const outcome = await runChallenge(challenge, language, source)
      expect(outcome.summary.verdict, describeFailures(outcome)).toBe('passed')
      expect(outcome.results.map((r) => r.verdict)).toEqual(challenge.tests.map(() => 'passed'))
    },
  )
})

describe.concurrent('author starters of debugging challenges', () => {
  it.for(cases('starter'))(
    'the $slug starter in $language compiles, runs and fails a visible test',
    slow,
    async ({ language, challenge, source }, { expect }) => {
      const outcome = await runChallenge(challenge, language, source)
      // A wrong answer on a visible test, not a crash: the starter is plausible code with bugs.
      expect(caseHolds('starter', outcome), describeFailures(outcome)).toBe(true)
    },
  )
})

describe.concurrent('known-bad solutions', () => {
  it('are there for every bundled challenge, so its tests are shown to catch mistakes', () => {
    const withBad = new Set(cases('bad').map((c) => c.slug))
    expect([...challenges.keys()].filter((slug) => !withBad.has(slug))).toEqual([])
  })

  it.for(cases('bad'))(
    'the $slug known-bad "$name" in $language compiles and fails a test',
    slow,
    async ({ language, challenge, source }, { expect }) => {
      const outcome = await runChallenge(challenge, language, source)
      expect(caseHolds('bad', outcome), describeFailures(outcome)).toBe(true)
    },
  )
})

describe.concurrent('a wrong solution', () => {
  it.for(cases('solution').filter((c) => c.slug === 'merge-bookings'))(
    'that does not merge touching bookings fails merge-bookings in $language',
    slow,
    async ({ language, challenge, source }, { expect }) => {
      // The reference with `start <= end of block` turned into `<`: [1, 3) and [3, 5) stay apart.
      const wrong = source.replace('start <= ', 'start < ')
      expect(wrong, 'the reference no longer has the line this mutates').not.toBe(source)
      const outcome = await runChallenge(challenge, language, wrong)
      expect(outcome.summary.verdict).toBe('failed')
      const touching = outcome.results.find((r) => r.name === 'touching bookings merge')
      expect(touching).toMatchObject({ verdict: 'failed', hidden: false })
    },
  )
})
