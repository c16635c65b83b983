/**
 * Every signature type through every process language's starter and harness: the generated
 * starter compiles, and an identity function written into it hands back exactly the value the
 * test passed in (JSON → the language's own types → JSON), edge cases included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { languageModules } from '../../sandbox/languages/index.ts'
import {
  createTestEngine,
  functionProblem,
  makeJob,
  processLanguages,
  runJob,
} from './boxTestKit.ts'

/** A type and values it must survive, each sent in and expected back unchanged. */
const cases: [string, unknown[]][] = [
  ['int', [0, -5, 9007199254740991, -9007199254740991]],
  ['float', [0.1, -2.5e-10, 1e21, 3]],
  ['bool', [true, false]],
  ['string', ['', 'héllo wörld ✓ 😀', 'quote" backslash\\ newline\n tab\t \u0001']],
  ['int[]', [[], [1, -2, 3]]],
  ['float[][]', [[[0.5], []], []]],
  ['bool[]', [[true, false, true]]],
  ['map<string, int>', [{}, { a: 1, b: -2 }]],
  ['map<string, string[]>', [{ k: ['x', 'y'], ü: [] }]],
  ['int?', [null, 7]],
  ['string[]?', [null, ['a']]],
  ['int?[]', [[1, null, 3]]],
  ['map<string, int>[]', [[{ a: 1 }, {}]]],
]

/** Writes `return value` into the starter in place of its placeholder body. */
const returnArgument: Record<(typeof processLanguages)[number], (starter: string) => string> = {
  python: (starter) => starter.replace('    pass', '    return value'),
  java: (starter) => starter.replace(/return [^;]*;/, 'return value;'),
  cpp: (starter) => starter.replace('return {};', 'return value;'),
  go: (starter) => starter.replace(/\treturn .*$/m, '\treturn value'),
}

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

describe.each(processLanguages.map((language) => [language]))('%s', (language: LanguageId) => {
  it.each(cases)('passes %s through the harness and back unchanged', async (type, values) => {
    const problem = functionProblem('identity', [['value', type]], type)
    const starter = languageModules[language].starter(problem)
    const source = returnArgument[language as (typeof processLanguages)[number]](starter)
    expect(source).not.toBe(starter)
    const { summary, results } = await runJob(
      engine,
      makeJob({
        language,
        source,
        problem,
        tests: values.map((value) => ({ args: [value], expected: value })),
      }),
    )
    expect(results.map((r) => [r.verdict, r.mismatch ?? r.error?.message ?? ''])).toEqual(
      values.map(() => ['passed', '']),
    )
    expect(summary.verdict).toBe('passed')
  })

  it('runs its unchanged starter: it compiles and fails the tests, it does not crash', async () => {
    const problem = functionProblem(
      'twoSum',
      [
        ['nums', 'int[]'],
        ['target', 'int'],
      ],
      'int[]',
    )
    const source = languageModules[language].starter(problem)
    const { summary } = await runJob(
      engine,
      makeJob({ language, source, problem, tests: [{ args: [[1, 2], 3], expected: [0, 1] }] }),
    )
    expect(summary.verdict).toBe('failed')
  })
})
