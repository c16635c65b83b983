/**
 * The challenge parser: the files of one challenge folder in, a validated challenge (or every
 * problem found, each naming its file and field) out. Pure: no file system, no clock, so the same
 * files give the same challenge and the same version wherever they were read from (a folder on
 * disk today, the store for challenges authored in the app next; see ChallengeSource.ts).
 *
 * What is common to every challenge (challenge.json's shared fields, statement.md, interviewer.md,
 * reference solutions and starters) is parsed here; what a kind adds (the function signature and
 * argument tests, or stdin/stdout tests) is its folder's, `kinds/<kind>/` (see kinds/index.ts).
 */
import type { InterviewerGuide } from '../../protocol/api.ts'
import type { Problem } from '../../protocol/challenge.ts'
import { LanguageIds, languageFacts, type LanguageId } from '../../protocol/languages.ts'
import type { JobTest } from '../../protocol/run.ts'
import { TestsJson, slugPattern } from './ChallengeFiles.ts'
import { ChallengeFileError, FileReader, type ChallengeProblem } from './ChallengeFileReader.ts'

// What callers of the parser need of its errors, from one place.
export { ChallengeFileError, type ChallengeProblem } from './ChallengeFileReader.ts'
import { ChallengeJson, parseKind } from './kinds/index.ts'
import type { ChallengeFileSet } from './ChallengeSource.ts'
import { challengeVersion } from './challengeVersion.ts'
import { InterviewerGuideError, parseInterviewerGuide } from './parseInterviewerGuide.ts'
import { renderStatement } from './renderStatement.ts'

export interface Challenge {
  slug: string
  /** Content hash of the files this challenge was parsed from (challengeVersion.ts). */
  version: string
  /** Those files, line endings normalised: enough to parse this exact version again. */
  files: ChallengeFileSet
  title: string
  difficulty: ChallengeJson['difficulty']
  tags: string[]
  problem: Problem
  statementHtml: string
  /** From interviewer.md; only ever put in answers to interviewers. */
  interviewer: InterviewerGuide
  /** Visible tests first, then hidden, each in file order. */
  tests: JobTest[]
  /** Author-written starters; languages without one get a starter generated from the signature. */
  starters: Partial<Record<LanguageId, string>>
  solutions: Partial<Record<LanguageId, string>>
  /**
   * Known-bad solutions (`bad/<name>.<ext>`): plausible mistakes the tests must catch, each of
   * which must compile and fail at least one test. In path order.
   */
  knownBad: KnownBadSolution[]
  timeLimitMs: number | undefined
  memoryLimitMb: number | undefined
}

export interface KnownBadSolution {
  /** The file's name without its extension, e.g. `no-complement-check`: what the mistake is. */
  name: string
  language: LanguageId
  source: string
}

/** A known-bad solution's name: lowercase words joined by "-", like a slug. */
const badNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export type ParsedChallenge =
  { ok: true; challenge: Challenge } | { ok: false; problems: ChallengeProblem[] }

/** Parses one challenge; `files` maps paths inside its folder (e.g. `starter/solution.py`) to text. */
export function parseChallenge(slug: string, files: ChallengeFileSet): ParsedChallenge {
  try {
    return { ok: true, challenge: parseOrThrow(slug, files) }
  } catch (error) {
    if (error instanceof ChallengeFileError) return { ok: false, problems: error.problems }
    return { ok: false, problems: [{ file: slug, field: '', message: String(error) }] }
  }
}

function parseOrThrow(slug: string, files: ChallengeFileSet): Challenge {
  const read: FileReader = new FileReader(slug, files)
  if (!slugPattern.test(slug))
    read.fail('', '', 'folder name must be lowercase words joined by "-"')

  const meta = read.parse(ChallengeJson, read.json('challenge.json'), { file: 'challenge.json' })
  const statement = read.text('statement.md') ?? ''
  if (statement.trim() === '') read.fail('statement.md', '', 'file is missing or empty')
  rejectInterviewerText(statement, read)
  const interviewer = parseGuide(read)
  const rawTests = read.parse(TestsJson, read.json('tests.json'), { file: 'tests.json' }).tests

  const { problem, tests } = parseKind(meta, { rawTests, read })
  const ids = new Set(tests.map((t) => t.id))
  if (ids.size !== tests.length) read.fail('tests.json', 'tests', 'test ids must be unique')
  if (!tests.some((t) => !t.hidden))
    read.fail('tests.json', 'tests', 'at least one test must be visible')
  if (!tests.some((t) => t.hidden)) {
    read.fail(
      'tests.json',
      'tests',
      'at least one test must be hidden: code written to the visible examples alone must not pass',
    )
  }
  rejectHiddenInStatement(statement, tests, read)

  const starters: Partial<Record<LanguageId, string>> = {}
  const solutions: Partial<Record<LanguageId, string>> = {}
  for (const language of LanguageIds) {
    const file = `solution.${languageFacts[language].extension}`
    const starter = read.text(`starter/${file}`)
    if (starter !== undefined) starters[language] = starter
    const solution = read.text(`solutions/${file}`)
    if (solution !== undefined) solutions[language] = solution
  }
  if (Object.keys(solutions).length === 0) {
    read.fail(
      'solutions',
      '',
      'at least one reference solution (solutions/solution.<ext>) is required',
    )
  }

  const knownBad = parseKnownBad(read)

  return {
    slug,
    version: challengeVersion(read.used),
    files: read.used,
    title: meta.title,
    difficulty: meta.difficulty,
    tags: meta.tags,
    problem,
    statementHtml: renderStatement(statement),
    interviewer,
    tests: [...tests.filter((t) => !t.hidden), ...tests.filter((t) => t.hidden)],
    starters,
    solutions,
    knownBad,
    timeLimitMs: meta.limits.timeMs,
    memoryLimitMb: meta.limits.memoryMb,
  }
}

/** `bad/<name>.<ext>`, one known-bad solution each; any other file there is a mistake. */
function parseKnownBad(read: FileReader): KnownBadSolution[] {
  const byExtension = new Map(LanguageIds.map((id) => [languageFacts[id].extension, id]))
  return read.filesUnder('bad').map((file) => {
    const match = /^bad\/([^/]+)\.([a-z]+)$/.exec(file)
    const language = match === null ? undefined : byExtension.get(match[2] ?? '')
    const name = match?.[1] ?? ''
    if (language === undefined || !badNamePattern.test(name)) {
      read.fail(
        file,
        '',
        'a known-bad solution is bad/<name>.<ext>: a name of lowercase words joined by "-" ' +
          `saying what is wrong, and the extension of a language (${[...byExtension.keys()].join(', ')})`,
      )
    }
    return { name, language, source: read.text(file) ?? '' }
  })
}

/** Values shorter than this (once spaces are gone) are too common to call a leak: `6`, `[0,1]`. */
const leakMinChars = 8

/**
 * A hidden test is hidden only if the statement does not show it: an input or expected value of
 * one (compared without whitespace, so a reformatted copy counts too) in statement.md is a
 * problem naming the test. Short values are left alone: `[0,1]` is in many statements for good.
 */
function rejectHiddenInStatement(statement: string, tests: JobTest[], read: FileReader): void {
  const squeeze = (text: string): string => text.replace(/\s+/g, '')
  const shown = squeeze(statement)
  for (const test of tests.filter((t) => t.hidden)) {
    const inputs = 'args' in test.input ? test.input.args.map((a) => JSON.stringify(a)) : []
    const stdin = 'stdin' in test.input ? [test.input.stdin] : []
    const expected =
      typeof test.expected === 'string' ? test.expected : JSON.stringify(test.expected)
    for (const [what, value] of [
      ...[...inputs, ...stdin].map((v) => ['input', v] as const),
      ['expected value', expected] as const,
    ]) {
      const text = squeeze(value)
      if (text.length >= leakMinChars && shown.includes(text)) {
        read.fail(
          'statement.md',
          '',
          `shows the ${what} of the hidden test "${test.name}" (${text.slice(0, 60)}); ` +
            'make that test visible, or change the example',
        )
      }
    }
  }
}

function parseGuide(read: FileReader): InterviewerGuide {
  const source = read.text('interviewer.md')
  if (source === undefined)
    read.fail('interviewer.md', '', 'file is missing: what this assesses, follow-ups and a rubric')
  try {
    return parseInterviewerGuide(source)
  } catch (error) {
    if (!(error instanceof InterviewerGuideError)) throw error
    return read.fail('interviewer.md', error.problem.field, error.problem.message)
  }
}

/**
 * Candidates read the statement, so text meant for interviewers must not be in it. The authoring
 * guide used to ask for "What this assesses" and follow-ups there; those belong in interviewer.md.
 */
function rejectInterviewerText(statement: string, read: FileReader): void {
  const heading =
    /^#{1,6}\s*(what this assesses|follow-ups?|good follow-ups|rubric|for interviewers?|interviewer notes)\b/im
  const followUps = /^\s*good follow-ups\s*:/im
  const found = heading.exec(statement) ?? followUps.exec(statement)
  if (found !== null) {
    read.fail(
      'statement.md',
      '',
      `"${found[0].trim()}" is for interviewers, and candidates read the statement: ` +
        'move it to interviewer.md',
    )
  }
}
