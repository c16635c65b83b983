/**
 * HumanEval-X's Go tests are `go test` files that import testify from the network. The sandbox
 * compiles one self-contained `package main` file, so each row becomes one: imports, the shim of
 * the two testify calls the tests use (testifyShim.go), the prompt and solution, the tests with
 * `*testing.T` rewritten, and a main that runs them.
 *
 * Imports are chosen the way HumanEval-X's own harness (CodeGeeX `evaluate_humaneval_x.py`)
 * chooses them, since several rows depend on it: the prompt's import block is dropped; the test
 * file's imports are kept (less testing and testify); and each package of a fixed list is added
 * when the solution mentions `name.` (Go/17 uses `strings`, Go/20 `math` and `sort`, without
 * importing them; Go/27 imports `strings` and never uses it).
 */
import { readFileSync } from 'node:fs'
import type { HumanEvalXRow } from './loadRows.ts'

const shimSource = readFileSync(new URL('./testifyShim.go', import.meta.url), 'utf8')

/** Packages the harness adds when the solution mentions them (CodeGeeX's list). */
const helperPackages = [
  'math',
  'strings',
  'fmt',
  'strconv',
  'time',
  'bytes',
  'regexp',
  'sort',
  'math/rand',
  'crypto/md5',
]

/** Packages the test files import that the shim replaces. */
const replaced = new Set(['testing', 'github.com/stretchr/testify/assert'])

const importBlock = /^import\s*\(([^)]*)\)\s*$|^import\s+("[^"]+")\s*$/gm

/** The import paths of every import declaration in `source`. */
function importsOf(source: string): string[] {
  const paths: string[] = []
  for (const match of source.matchAll(importBlock)) {
    const list = match[1] ?? match[2] ?? ''
    for (const quoted of list.matchAll(/"([^"]+)"/g))
      if (quoted[1] !== undefined) paths.push(quoted[1])
  }
  return paths
}

function withoutImports(source: string): string {
  return source.replace(importBlock, '').replace(/^package\s+\w+\s*$/m, '')
}

/** The shim without its package clause and imports: what every program gets pasted in. */
const shimBody = withoutImports(shimSource).trim()

/** One Go program: `row`'s prompt, then `body` (the solution or a mutant of it), then its tests. */
export function goProgram(row: HumanEvalXRow, body: string): string {
  const testImports = importsOf(row.test_setup ?? '')
  const mentioned = helperPackages.filter(
    (path) => !testImports.includes(path) && body.includes(`${path.split('/').at(-1) ?? path}.`),
  )
  const imports = new Set(
    [...testImports, ...mentioned, ...importsOf(shimSource)].filter((path) => !replaced.has(path)),
  )
  const tests = row.test.replace(/\*testing\.T\b/g, '*conformanceT')
  const testNames = [...tests.matchAll(/^func (Test\w+)\(/gm)].map((match) => match[1])
  if (testNames.length === 0) throw new Error(`${row.task_id}: no Test function in its tests`)
  return [
    'package main',
    '',
    `import (\n${[...imports].map((path) => `\t"${path}"`).join('\n')}\n)`,
    '',
    shimBody,
    '',
    withoutImports(row.prompt).trimStart() + body,
    tests,
    `func main() {\n\tconformanceMain(${testNames.join(', ')})\n}\n`,
  ].join('\n')
}
