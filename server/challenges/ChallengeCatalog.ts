/**
 * The loaded challenges and what each role may see of them. Hidden tests' inputs and expected
 * values, and the challenge's interviewer guide (interviewer.md), are only ever put in answers to
 * interviewers.
 */
import type { ChallengeSummary, ChallengeView, TestCaseView } from '../../protocol/api.ts'
import { LanguageIds, type LanguageId } from '../../protocol/languages.ts'
import type { Role } from '../../protocol/people.ts'
import type { JobTest } from '../../protocol/run.ts'
import { hiddenTestName } from '../../protocol/run.ts'
import { formatSignature } from '../../protocol/types.ts'
import { displayArgs, displayText, displayValue, starterFor } from '../../sandbox/index.ts'
import { TandemError } from '../errors.ts'
import type { Challenge } from './loadChallenges.ts'

export class ChallengeCatalog {
  readonly #challenges: ReadonlyMap<string, Challenge>

  constructor(challenges: ReadonlyMap<string, Challenge>) {
    this.#challenges = challenges
  }

  get size(): number {
    return this.#challenges.size
  }

  get(slug: string): Challenge {
    const challenge = this.#challenges.get(slug)
    if (challenge === undefined) throw new TandemError('not_found', `No challenge "${slug}".`)
    return challenge
  }

  list(): ChallengeSummary[] {
    return [...this.#challenges.values()].map(summarise)
  }

  /** The challenge as `role` may see it: candidates get visible tests only, and a count of the rest. */
  view(slug: string, role: Role): ChallengeView {
    const challenge = this.get(slug)
    const tests = challenge.tests
      .map((test, index) => viewTest(challenge, { test, index, role }))
      .filter((test): test is TestCaseView => test !== null)
    return {
      ...summarise(challenge),
      statementHtml: challenge.statementHtml,
      ...(challenge.problem.style === 'function'
        ? {
            signature: formatSignature(challenge.problem.signature),
            call: challenge.problem.signature,
          }
        : {}),
      tests,
      hiddenTestCount: challenge.tests.filter((t) => t.hidden).length,
      // interviewer.md: what it assesses, follow-ups, the rubric. Never in a candidate's view.
      ...(role === 'interviewer' ? { interviewer: challenge.interviewer } : {}),
    }
  }

  /** The author's starter for a language, or one generated from the signature. */
  starter(slug: string, language: LanguageId): string {
    const challenge = this.get(slug)
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
  const { problem } = challenge
  if ('stdin' in test.input) {
    return {
      id: test.id,
      name,
      hidden: test.hidden,
      input: displayText(test.input.stdin),
      expected: displayText(typeof test.expected === 'string' ? test.expected : ''),
    }
  }
  return {
    id: test.id,
    name,
    hidden: test.hidden,
    input:
      problem.style === 'function' ? displayArgs(problem.signature.params, test.input.args) : '',
    expected: displayValue(test.expected),
    args: test.input.args,
  }
}
