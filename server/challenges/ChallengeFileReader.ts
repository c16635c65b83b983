/**
 * Reading one challenge's files for the parser: each read is remembered (those files, and only
 * those, make up the version) and every problem names its file and field.
 */
import type { z } from 'zod'
import type { ChallengeFileSet } from './ChallengeSource.ts'

export interface ChallengeProblem {
  /** Path relative to the challenges directory, e.g. `two-sum/tests.json`. */
  file: string
  /** Dotted field path inside the file, e.g. `tests.3.expected`, or '' for the whole file. */
  field: string
  message: string
}

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
export class FileReader {
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

  /** Paths of every file under `folder/` (e.g. `bad`), sorted; reading them is up to the caller. */
  filesUnder(folder: string): string[] {
    return Object.keys(this.#files)
      .filter((file) => file.startsWith(`${folder}/`))
      .sort()
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
