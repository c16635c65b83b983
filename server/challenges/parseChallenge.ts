/**
 * The challenge parser: the files of one challenge folder in, a validated challenge (or every
 * problem found, each naming its file and field) out. Pure: no file system, no clock, so the same
 * files give the same challenge and the same version wherever they were read from (a folder on
 * disk today, the store for challenges authored in the app next; see ChallengeSource.ts).
 *
 * What is common to every challenge (challenge.json's shared fields, statement.md, interviewer.md,
 * reference solutions and starters) is parsed here; what a kind adds (the function signature and
 * argument tests, or stdin/stdout tests) is in the `parse*Kind` functions below, which are meant
 * to move to one folder per kind.
 */
import type { z } from 'zod'
import type { InterviewerGuide } from '../../protocol/api.ts'
import type { FunctionProblem, Problem } from '../../protocol/challenge.ts'
import { LanguageIds, languageFacts, type LanguageId } from '../../protocol/languages.ts'
import type { JobTest } from '../../protocol/run.ts'
import { checkValue } from '../../protocol/types.ts'
import {
  ChallengeJson,
  FunctionTestJson,
  StdioTestJson,
  TestsJson,
  slugPattern,
} from './ChallengeFiles.ts'
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
  timeLimitMs: number | undefined
  memoryLimitMb: number | undefined
}

export interface ChallengeProblem {
  /** Path relative to the challenges directory, e.g. `two-sum/tests.json`. */
  file: string
  /** Dotted field path inside the file, e.g. `tests.3.expected`, or '' for the whole file. */
  field: string
  message: string
}

export type ParsedChallenge =
  { ok: true; challenge: Challenge } | { ok: false; problems: ChallengeProblem[] }

export class ChallengeFileError extends Error {
  readonly problems: ChallengeProblem[]
  constructor(problems: ChallengeProblem[]) {
    super(problems.map((p) => `${p.file} ${p.field}: ${p.message}`).join('\n'))
    this.problems = problems
  }
}

/** One Windows or old-Mac line ending becomes "\n", so a checkout's settings change nothing. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

/**
 * Reads what a parser needs from one challenge's files, and remembers which it read: those (and
 * only those) make up the version, so a README beside the challenge changes nothing.
 */
class FileReader {
  readonly #files: ChallengeFileSet
  readonly #slug: string
  readonly used: Record<string, string> = {}

  constructor(slug: string, files: ChallengeFileSet) {
    this.#slug = slug
    this.#files = files
  }

  fail(file: string, field: string, message: string): never {
    throw new ChallengeFileError([{ file: `${this.#slug}/${file}`, field, message }])
  }

  text(file: string): string | undefined {
    if (!Object.hasOwn(this.#files, file)) return undefined
    const text = normaliseLineEndings(this.#files[file] ?? '')
    this.used[file] = text
    return text
  }

  json(file: string): unknown {
    const source = this.text(file)
    if (source === undefined) return this.fail(file, '', 'file is missing')
    try {
      return JSON.parse(source)
    } catch (error) {
      return this.fail(file, '', `not valid JSON: ${(error as Error).message}`)
    }
  }

  /** `at` names the file and, within it, the field the value came from (for the error). */
  parse<T extends z.ZodType>(
    schema: T,
    value: unknown,
    at: { file: string; prefix?: string },
  ): z.infer<T> {
    const { file, prefix = '' } = at
    const result = schema.safeParse(value)
    if (result.success) return result.data
    throw new ChallengeFileError(
      result.error.issues.map((issue) => ({
        file: `${this.#slug}/${file}`,
        field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
        message: issue.message,
      })),
    )
  }
}

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

  const { problem, tests } =
    meta.style === 'function'
      ? parseFunctionKind(meta, { rawTests, read })
      : parseStdioKind(meta, { rawTests, read })
  const ids = new Set(tests.map((t) => t.id))
  if (ids.size !== tests.length) read.fail('tests.json', 'tests', 'test ids must be unique')
  if (!tests.some((t) => !t.hidden))
    read.fail('tests.json', 'tests', 'at least one test must be visible')

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
    timeLimitMs: meta.limits.timeMs,
    memoryLimitMb: meta.limits.memoryMb,
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

/** What a kind makes of challenge.json's kind fields and of tests.json's tests. */
interface KindInput {
  rawTests: unknown[]
  read: FileReader
}
interface KindParsed {
  problem: Problem
  tests: JobTest[]
}

/** Kind "stdio": each test is stdin and the stdout expected, compared by the challenge's rules. */
function parseStdioKind(
  meta: Extract<ChallengeJson, { style: 'stdio' }>,
  { rawTests, read }: KindInput,
): KindParsed {
  const tests = rawTests.map((raw, i): JobTest => {
    const t = read.parse(StdioTestJson, raw, { file: 'tests.json', prefix: `tests.${i}` })
    return {
      id: t.id ?? `t${i + 1}`,
      name: t.name,
      hidden: t.hidden,
      input: { stdin: normaliseLineEndings(t.stdin) },
      expected: normaliseLineEndings(t.stdout),
    }
  })
  return { problem: { style: 'stdio', compare: meta.compare }, tests }
}

/** Kind "function": each test gives arguments by parameter name, each checked against its type. */
function parseFunctionKind(
  meta: Extract<ChallengeJson, { style: 'function' }>,
  { rawTests, read }: KindInput,
): KindParsed {
  const problem: FunctionProblem = {
    style: 'function',
    signature: meta.signature,
    compare: meta.compare,
  }
  const { params, returns } = problem.signature
  const tests = rawTests.map((raw, i): JobTest => {
    const field = `tests.${i}`
    const t = read.parse(FunctionTestJson, raw, { file: 'tests.json', prefix: field })
    for (const name of Object.keys(t.input)) {
      if (!params.some((p) => p.name === name))
        read.fail('tests.json', `${field}.input.${name}`, 'no such parameter')
    }
    const args = params.map((param) => {
      if (!Object.hasOwn(t.input, param.name))
        read.fail('tests.json', `${field}.input`, `missing argument "${param.name}"`)
      const value = t.input[param.name]
      const misfit = checkValue(param.type, value, param.name)
      if (misfit !== null) read.fail('tests.json', `${field}.input.${param.name}`, misfit)
      return value
    })
    const misfit = checkValue(returns, t.expected ?? null, 'expected')
    if (misfit !== null) read.fail('tests.json', `${field}.expected`, misfit)
    return {
      id: t.id ?? `t${i + 1}`,
      name: t.name,
      hidden: t.hidden,
      input: { args },
      expected: t.expected ?? null,
    }
  })
  return { problem, tests }
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
