/**
 * The challenges and what each role may see of them. Hidden tests' inputs and expected values,
 * and the challenge's interviewer guide (interviewer.md), are only ever put in answers to
 * interviewers.
 *
 * The catalog offers the current version of each challenge (what its source holds now) for new
 * interviews, and keeps every version it has loaded in the store, so an interview is shown and
 * judged by the version it started with after the files change and the server restarts.
 */
import type { ChallengeSummary, ChallengeView, TestCaseView } from '../../protocol/api.ts'
import { LanguageIds, type LanguageId } from '../../protocol/languages.ts'
import type { Role } from '../../protocol/people.ts'
import type { JobTest } from '../../protocol/run.ts'
import { hiddenTestName } from '../../protocol/run.ts'
import { starterFor } from '../../sandbox/index.ts'
import { describeProblem, viewTestInput } from './kinds/index.ts'
import { TandemError } from '../errors.ts'
import type { Store } from '../store/Store.ts'
import type { ChallengeSource } from './ChallengeSource.ts'
import { loadFromSource } from './loadChallenges.ts'
import { parseChallenge, type Challenge, type ChallengeProblem } from './parseChallenge.ts'

/**
 * Older versions kept parsed in memory (a bundled challenge's tests are about 1 MB of JSON);
 * others are parsed again from the store when asked for.
 */
const cachedVersions = 8

export class ChallengeCatalog {
  readonly #challenges: ReadonlyMap<string, Challenge>
  readonly #versions: Store['challengeVersions'] | undefined
  /** Parsed older versions by `slug@version`, oldest first (a Map keeps insertion order). */
  readonly #older = new Map<string, Challenge>()

  /**
   * `challenges` are the current versions. Without `versions` (a store), only those can be
   * found: tests and tools that never restart need no more.
   */
  constructor(challenges: ReadonlyMap<string, Challenge>, versions?: Store['challengeVersions']) {
    this.#challenges = challenges
    this.#versions = versions
  }

  /**
   * Reads and parses every challenge of `sources`, keeps each version in `store`, and pins the
   * interviews created before versions existed to the version found now. Invalid challenges are
   * skipped and returned as problems; so is a slug an earlier source already offers (the bundled
   * folder and a team's own challenges will be two sources, and a slug names one challenge).
   */
  static async open({
    sources,
    store,
  }: {
    sources: readonly ChallengeSource[]
    store: Pick<Store, 'challengeVersions' | 'interviews'>
  }): Promise<{ catalog: ChallengeCatalog; problems: ChallengeProblem[] }> {
    const challenges = new Map<string, Challenge>()
    const problems: ChallengeProblem[] = []
    for (const source of sources) {
      const loaded = await loadFromSource(source)
      problems.push(...loaded.problems)
      for (const [slug, challenge] of loaded.challenges) {
        if (challenges.has(slug)) {
          problems.push({ file: slug, field: '', message: 'another source already has this slug' })
        } else challenges.set(slug, challenge)
      }
    }
    const now = new Date().toISOString()
    for (const challenge of challenges.values()) {
      const { slug, version, files } = challenge
      await store.challengeVersions.save({ slug, version, files: { ...files }, createdAt: now })
      await store.interviews.pinUnversioned(slug, version)
    }
    return { catalog: new ChallengeCatalog(challenges, store.challengeVersions), problems }
  }

  get size(): number {
    return this.#challenges.size
  }

  /** The current version of a challenge: what new interviews start with. */
  get(slug: string): Challenge {
    const challenge = this.#challenges.get(slug)
    if (challenge === undefined) throw new TandemError('not_found', `No challenge "${slug}".`)
    return challenge
  }

  /**
   * The version an interview is pinned to, even when the challenge's files have changed or gone
   * since. `version` null (an interview that predates versions and whose challenge was missing
   * when the server started) means the current version.
   */
  async pinned(slug: string, version: string | null): Promise<Challenge> {
    const current = this.#challenges.get(slug)
    if (version === null || current?.version === version) return this.get(slug)
    const key = `${slug}@${version}`
    const cached = this.#older.get(key)
    if (cached !== undefined) return cached
    const record = await this.#versions?.get(slug, version)
    if (record === undefined || record === null) {
      throw new TandemError('not_found', `Version ${version} of challenge "${slug}" is not kept.`)
    }
    const parsed = parseChallenge(slug, record.files)
    if (!parsed.ok) {
      // The parser must keep reading every version it once accepted; this is our bug, not the user's.
      throw new Error(
        `stored version ${version} of "${slug}" no longer parses: ${JSON.stringify(parsed.problems)}`,
      )
    }
    this.#older.set(key, parsed.challenge)
    const oldest = this.#older.keys().next()
    if (this.#older.size > cachedVersions && oldest.done !== true) this.#older.delete(oldest.value)
    return parsed.challenge
  }

  /** The current versions, for choosing one to start an interview with. */
  list(): ChallengeSummary[] {
    return [...this.#challenges.values()].map(summarise)
  }

  /** The challenge as `role` may see it: candidates get visible tests only, and a count of the rest. */
  view(challenge: Challenge, role: Role): ChallengeView {
    const tests = challenge.tests
      .map((test, index) => viewTest(challenge, { test, index, role }))
      .filter((test): test is TestCaseView => test !== null)
    return {
      ...summarise(challenge),
      statementHtml: challenge.statementHtml,
      ...describeProblem(challenge.problem),
      tests,
      hiddenTestCount: challenge.tests.filter((t) => t.hidden).length,
      // interviewer.md: what it assesses, follow-ups, the rubric. Never in a candidate's view.
      ...(role === 'interviewer' ? { interviewer: challenge.interviewer } : {}),
    }
  }

  /** The author's starter for a language, or one generated from the signature. */
  starter(challenge: Challenge, language: LanguageId): string {
    return challenge.starters[language] ?? starterFor(language, challenge.problem)
  }
}

/** Languages a challenge offers: those it has a reference solution for (CI proves each passes). */
export function challengeLanguages(challenge: Challenge): LanguageId[] {
  return LanguageIds.filter((id) => challenge.solutions[id] !== undefined)
}

function summarise(challenge: Challenge): ChallengeSummary {
  return {
    slug: challenge.slug,
    title: challenge.title,
    difficulty: challenge.difficulty,
    tags: challenge.tags,
    style: challenge.problem.style,
    languages: challengeLanguages(challenge),
    ...(challenge.timeLimitMs === undefined ? {} : { timeLimitMs: challenge.timeLimitMs }),
    ...(challenge.memoryLimitMb === undefined ? {} : { memoryLimitMb: challenge.memoryLimitMb }),
  }
}

/** Test `index` of the challenge as `role` may see it; null for a hidden one shown to a candidate. */
function viewTest(
  challenge: Challenge,
  { test, index, role }: { test: JobTest; index: number; role: Role },
): TestCaseView | null {
  if (test.hidden && role === 'candidate') return null
  const name = test.hidden && role === 'candidate' ? hiddenTestName(index) : test.name
  return { id: test.id, name, hidden: test.hidden, ...viewTestInput(challenge.problem, test) }
}
