/**
 * Reads every folder under the challenges directory, validates it, and renders its statement.
 * A bad challenge is reported with its file and field and skipped; the others still load.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import type { InterviewerGuide } from '../../protocol/api.ts'
import type { Problem } from '../../protocol/challenge.ts'
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
import { InterviewerGuideError, parseInterviewerGuide } from './parseInterviewerGuide.ts'
import { renderStatement } from './renderStatement.ts'

export interface Challenge {
  slug: string
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

export interface LoadedChallenges {
  challenges: Map<string, Challenge>
  problems: ChallengeProblem[]
}

class ChallengeFileError extends Error {
  readonly problems: ChallengeProblem[]
  constructor(problems: ChallengeProblem[]) {
    super(problems.map((p) => `${p.file} ${p.field}: ${p.message}`).join('\n'))
    this.problems = problems
  }
}

export async function loadChallenges(dir: string): Promise<LoadedChallenges> {
  const challenges = new Map<string, Challenge>()
  const problems: ChallengeProblem[] = []
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    problems.push({
      file: dir,
      field: '',
      message: `cannot read the challenges folder: ${String(error)}`,
    })
    return { challenges, problems }
  }
  for (const entry of entries
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      const challenge = await loadChallenge(dir, entry.name)
      challenges.set(challenge.slug, challenge)
    } catch (error) {
      if (error instanceof ChallengeFileError) problems.push(...error.problems)
      else problems.push({ file: entry.name, field: '', message: String(error) })
    }
  }
  return { challenges, problems }
}

export async function loadChallenge(root: string, slug: string): Promise<Challenge> {
  const fail = (file: string, field: string, message: string): never => {
    throw new ChallengeFileError([{ file: `${slug}/${file}`, field, message }])
  }
  if (!slugPattern.test(slug)) fail('', '', 'folder name must be lowercase words joined by "-"')
  const dir = path.join(root, slug)
  const readText = async (file: string): Promise<string | undefined> => {
    try {
      return (await readFile(path.join(dir, file), 'utf8')).replace(/\r\n?/g, '\n')
    } catch {
      return undefined
    }
  }
  const readJson = async (file: string): Promise<unknown> => {
    const source = await readText(file)
    if (source === undefined) return fail(file, '', 'file is missing')
    try {
      return JSON.parse(source)
    } catch (error) {
      return fail(file, '', `not valid JSON: ${(error as Error).message}`)
    }
  }
  // `at` names the file and, within it, the field the value came from (for the error).
  const parse = <T extends z.ZodType>(
    schema: T,
    value: unknown,
    at: { file: string; prefix?: string },
  ): z.infer<T> => {
    const { file, prefix = '' } = at
    const result = schema.safeParse(value)
    if (result.success) return result.data
    throw new ChallengeFileError(
      result.error.issues.map((issue) => ({
        file: `${slug}/${file}`,
        field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
        message: issue.message,
      })),
    )
  }

  const meta = parse(ChallengeJson, await readJson('challenge.json'), { file: 'challenge.json' })
  const statement = await readText('statement.md')
  if (statement === undefined || statement.trim() === '')
    fail('statement.md', '', 'file is missing or empty')
  rejectInterviewerText(statement ?? '', fail)
  const interviewerSource = await readText('interviewer.md')
  if (interviewerSource === undefined)
    fail('interviewer.md', '', 'file is missing: what this assesses, follow-ups and a rubric')
  let interviewer: InterviewerGuide
  try {
    interviewer = parseInterviewerGuide(interviewerSource ?? '')
  } catch (error) {
    if (!(error instanceof InterviewerGuideError)) throw error
    return fail('interviewer.md', error.problem.field, error.problem.message)
  }
  const rawTests = parse(TestsJson, await readJson('tests.json'), { file: 'tests.json' }).tests

  const problem: Problem =
    meta.style === 'function'
      ? { style: 'function', signature: meta.signature, compare: meta.compare }
      : { style: 'stdio', compare: meta.compare }

  const tests: JobTest[] = rawTests.map((raw, i): JobTest => {
    const field = `tests.${i}`
    const id = `t${i + 1}`
    if (problem.style === 'stdio') {
      const t = parse(StdioTestJson, raw, { file: 'tests.json', prefix: field })
      return {
        id: t.id ?? id,
        name: t.name,
        hidden: t.hidden,
        input: { stdin: t.stdin.replace(/\r\n?/g, '\n') },
        expected: t.stdout.replace(/\r\n?/g, '\n'),
      }
    }
    const t = parse(FunctionTestJson, raw, { file: 'tests.json', prefix: field })
    const { params, returns } = problem.signature
    for (const name of Object.keys(t.input)) {
      if (!params.some((p) => p.name === name))
        fail('tests.json', `${field}.input.${name}`, 'no such parameter')
    }
    const args = params.map((param) => {
      if (!Object.hasOwn(t.input, param.name))
        fail('tests.json', `${field}.input`, `missing argument "${param.name}"`)
      const value = t.input[param.name]
      const misfit = checkValue(param.type, value, param.name)
      if (misfit !== null) fail('tests.json', `${field}.input.${param.name}`, misfit)
      return value
    })
    const misfit = checkValue(returns, t.expected ?? null, 'expected')
    if (misfit !== null) fail('tests.json', `${field}.expected`, misfit)
    return {
      id: t.id ?? id,
      name: t.name,
      hidden: t.hidden,
      input: { args },
      expected: t.expected ?? null,
    }
  })
  const ids = new Set(tests.map((t) => t.id))
  if (ids.size !== tests.length) fail('tests.json', 'tests', 'test ids must be unique')
  if (!tests.some((t) => !t.hidden))
    fail('tests.json', 'tests', 'at least one test must be visible')

  const starters: Partial<Record<LanguageId, string>> = {}
  const solutions: Partial<Record<LanguageId, string>> = {}
  for (const language of LanguageIds) {
    const file = `solution.${languageFacts[language].extension}`
    const starter = await readText(`starter/${file}`)
    if (starter !== undefined) starters[language] = starter
    const solution = await readText(`solutions/${file}`)
    if (solution !== undefined) solutions[language] = solution
  }
  if (Object.keys(solutions).length === 0) {
    fail('solutions', '', 'at least one reference solution (solutions/solution.<ext>) is required')
  }

  return {
    slug,
    title: meta.title,
    difficulty: meta.difficulty,
    tags: meta.tags,
    problem,
    statementHtml: renderStatement(statement ?? ''),
    interviewer,
    tests: [...tests.filter((t) => !t.hidden), ...tests.filter((t) => t.hidden)],
    starters,
    solutions,
    timeLimitMs: meta.limits.timeMs,
    memoryLimitMb: meta.limits.memoryMb,
  }
}

/**
 * Candidates read the statement, so text meant for interviewers must not be in it. The authoring
 * guide used to ask for "What this assesses" and follow-ups there; those belong in interviewer.md.
 */
function rejectInterviewerText(
  statement: string,
  fail: (file: string, field: string, message: string) => never,
): void {
  const heading =
    /^#{1,6}\s*(what this assesses|follow-ups?|good follow-ups|rubric|for interviewers?|interviewer notes)\b/im
  const followUps = /^\s*good follow-ups\s*:/im
  const found = heading.exec(statement) ?? followUps.exec(statement)
  if (found !== null) {
    fail(
      'statement.md',
      '',
      `"${found[0].trim()}" is for interviewers, and candidates read the statement: ` +
        'move it to interviewer.md',
    )
  }
}
