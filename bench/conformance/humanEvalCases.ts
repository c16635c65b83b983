/**
 * HumanEval (Python) and HumanEval-X (Python, JavaScript, Java, C++, Go): every row has a
 * canonical solution and tests, so every row gives a known-good program and two mutants.
 *
 * A program is `prompt + body + tests`: the prompt ends inside the function (after its
 * signature, or its docstring), the canonical solution is the rest of the function, and the
 * mutants put a statement before it or change one of its literals.
 */
import type { ConformanceCase, ConformanceLanguage, ConformanceProgram } from './ConformanceCase.ts'
import { exclusionOf } from './exclusions.ts'
import { goProgram } from './goProgram.ts'
import {
  HumanEvalRowSchema,
  HumanEvalXRowSchema,
  loadRows,
  type HumanEvalXRow,
} from './loadRows.ts'
import { emptyReturn, offByOne } from './mutations.ts'

/** HumanEval-X's file name for each language it covers. */
export const humanEvalXFiles = {
  python: 'python',
  javascript: 'js',
  java: 'java',
  cpp: 'cpp',
  go: 'go',
} as const satisfies Partial<Record<ConformanceLanguage, string>>

export type HumanEvalXLanguage = keyof typeof humanEvalXFiles

/** openai/human-eval: `prompt + body + test + check(entry_point)`. */
export async function humanEvalCases(dataDir: string): Promise<ConformanceCase[]> {
  const rows = await loadRows(dataDir, 'humaneval/HumanEval.jsonl.gz', HumanEvalRowSchema)
  return rows.map((row) => {
    const program = (body: string): string =>
      `${row.prompt}${body}\n${row.test}\ncheck(${row.entry_point})\n`
    return withExclusion({
      dataset: 'humaneval',
      language: 'python',
      id: row.task_id,
      programs: programsOf({
        language: 'python',
        solution: row.canonical_solution,
        prompt: row.prompt,
        program,
      }),
    })
  })
}

/** THUDM/CodeGeeX HumanEval-X in one language: `prompt + body + "\n" + test`. */
export async function humanEvalXCases(
  dataDir: string,
  language: HumanEvalXLanguage,
): Promise<ConformanceCase[]> {
  const file = `humaneval-x/humaneval_${humanEvalXFiles[language]}.jsonl.gz`
  const rows = await loadRows(dataDir, file, HumanEvalXRowSchema)
  return rows.map((row) => {
    const program =
      language === 'go'
        ? (body: string): string => goProgram(row, body)
        : (body: string): string => `${row.prompt}${body}\n${row.test}\n`
    return withExclusion({
      dataset: 'humaneval-x',
      language,
      id: row.task_id,
      programs: programsOf({
        language,
        solution: row.canonical_solution,
        prompt: row.prompt,
        program,
      }),
    })
  })
}

/** The HumanEval-X JavaScript rows, by problem number (MultiPL-E borrows their solutions). */
export async function humanEvalXJavaScript(dataDir: string): Promise<Map<number, HumanEvalXRow>> {
  const rows = await loadRows(dataDir, 'humaneval-x/humaneval_js.jsonl.gz', HumanEvalXRowSchema)
  return new Map(rows.map((row) => [Number(row.task_id.split('/')[1]), row]))
}

/**
 * The canonical program and its two mutants. `prompt` ends inside the function whose body
 * `solution` completes; its last signature line says what an empty return looks like.
 */
export function programsOf({
  language,
  solution,
  prompt,
  program,
}: {
  language: ConformanceLanguage
  /** The canonical solution: the body that completes `prompt`. */
  solution: string
  prompt: string
  /** The whole program around a body (prompt, body, tests). */
  program: (body: string) => string
}): ConformanceProgram[] {
  const programs: ConformanceProgram[] = [{ kind: 'canonical', source: program(solution) }]
  programs.push({
    kind: 'empty-return',
    source: program(
      `${bodyIndent(language, solution)}${emptyReturn(language, lastSignature(language, prompt))}\n${solution}`,
    ),
  })
  const shifted = offByOne(language, solution)
  if (shifted !== undefined) {
    programs.push({ kind: 'off-by-one', source: program(shifted.body), note: shifted.note })
  }
  return programs
}

/** The indentation of the body's first line: Python insists the inserted line matches it. */
function bodyIndent(language: ConformanceLanguage, solution: string): string {
  const first = solution.split('\n').find((line) => line.trim() !== '') ?? ''
  const indent = /^\s*/.exec(first)?.[0] ?? ''
  return language === 'python' ? indent : indent || '    '
}

/** The last function signature in the prompt: Go and Java need its result type. */
export function lastSignature(language: ConformanceLanguage, prompt: string): string {
  if (language !== 'go' && language !== 'java') return ''
  const pattern =
    language === 'go'
      ? /^func\s+\w+\s*\(.*$/gm
      : /^\s*(?:public|private|protected)\b.*\)(?:\s*throws\s+[\w.,\s]+?)?\s*\{\s*$/gm
  const last = prompt.match(pattern)?.at(-1)
  if (last === undefined)
    throw new Error(`no ${language} signature at the end of: ${prompt.slice(-200)}`)
  return last
}

export function withExclusion(conformanceCase: ConformanceCase): ConformanceCase {
  const { dataset, language, id } = conformanceCase
  const reason = exclusionOf(dataset, language, id)
  return reason === undefined ? conformanceCase : { ...conformanceCase, excluded: reason }
}
