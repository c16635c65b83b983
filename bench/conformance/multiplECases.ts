/**
 * MultiPL-E: HumanEval's tests translated by another team, with no solutions. It adds what
 * HumanEval-X does not cover:
 *
 * - **TypeScript** (and JavaScript, the control that tells a TypeScript problem from a pairing
 *   problem): the known-good program borrows HumanEval-X's JavaScript solution of the same
 *   problem, scoped in a function so its camelCase name cannot clash, and the MultiPL-E function
 *   delegates to it. The tests use `require('node:assert')` and its loose `deepEqual`.
 * - **Java**, mutants only: its tests use Java's `assert`, so they fail only when the JVM runs
 *   with `-ea`, and its prompts `import org.javatuples.*`.
 */
import type { ConformanceCase, ConformanceProgram } from './ConformanceCase.ts'
import { humanEvalXJavaScript, lastSignature, withExclusion } from './humanEvalCases.ts'
import { loadRows, MultiPLERowSchema, problemNumber, type HumanEvalXRow } from './loadRows.ts'
import { javaEmptyValue, offByOne } from './mutations.ts'

export const multiplELanguages = ['typescript', 'javascript', 'java'] as const
export type MultiPLELanguage = (typeof multiplELanguages)[number]

const files: Record<MultiPLELanguage, string> = {
  typescript: 'multipl-e/humaneval-ts-reworded.jsonl.gz',
  javascript: 'multipl-e/humaneval-js-reworded.jsonl.gz',
  java: 'multipl-e/humaneval-java-reworded.jsonl.gz',
}

export async function multiplECases(
  dataDir: string,
  language: MultiPLELanguage,
): Promise<ConformanceCase[]> {
  const rows = await loadRows(dataDir, files[language], MultiPLERowSchema)
  const references = language === 'java' ? undefined : await humanEvalXJavaScript(dataDir)
  return rows.map((row) => {
    let programs: ConformanceProgram[]
    if (references === undefined) {
      const empty = javaEmptyValue(lastSignature('java', row.prompt))
      programs = [
        { kind: 'empty-return', source: `${row.prompt}        return ${empty};\n${row.tests}` },
      ]
    } else {
      const reference = references.get(problemNumber(row.name))
      if (reference === undefined) throw new Error(`${row.name}: no HumanEval-X JavaScript row`)
      const program = (solution: string, body: string): string =>
        `${scoped(reference, solution)}\n${row.prompt}${body}\n}\n${row.tests}\n`
      const delegate = '  return conformanceReference(...arguments);'
      programs = [
        { kind: 'canonical', source: program(reference.canonical_solution, delegate) },
        {
          kind: 'empty-return',
          source: program(reference.canonical_solution, '  return undefined;'),
        },
      ]
      const shifted = offByOne('javascript', reference.canonical_solution)
      if (shifted !== undefined) {
        programs.push({
          kind: 'off-by-one',
          source: program(shifted.body, delegate),
          note: shifted.note,
        })
      }
    }
    return withExclusion({ dataset: 'multipl-e', language, id: row.name, programs })
  })
}

/** HumanEval-X's JavaScript prompt and `solution` in a function scope, its function returned. */
function scoped(reference: HumanEvalXRow, solution: string): string {
  const name = /(?:const|let|var|function)\s+(\w+)\s*=?[^\n]*\n?$/.exec(reference.prompt.trimEnd())
  if (name?.[1] === undefined) throw new Error(`${reference.task_id}: no function in its prompt`)
  return `const conformanceReference = (() => {\n${reference.prompt}${solution}\nreturn ${name[1]}\n})()\n`
}
