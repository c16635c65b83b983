/**
 * JavaScript and TypeScript through the real runner: a sandbox process, isolated-vm, esbuild.
 * What candidates see: verdicts, mismatches, stack traces in their own line numbers, console
 * output per test, compile errors with positions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { effectiveLimits } from '../../protocol/languages.ts'
import { javascript } from '../../sandbox/languages/javascript/index.ts'
import { typescript } from '../../sandbox/languages/typescript/index.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { collect, jsJob, loadTwoSum, runJs, stdioProblem, twoSumJs, verdicts } from './jsKit.ts'

let runner: LocalRunner

beforeAll(() => {
  runner = new LocalRunner({ concurrency: 2 })
})

afterAll(async () => {
  await runner.close()
})

describe('two-sum reference solutions', () => {
  it.each(['javascript', 'typescript'] as const)(
    'pass every test of the challenge in %s',
    async (language) => {
      const challenge = await loadTwoSum()
      const info = (await runner.languages()).find((l) => l.id === language)
      expect(info?.available).toBe(true)
      if (info === undefined) return
      const code = challenge.solutions[language]
      expect(code).toBeDefined()
      const run = await collect(
        runner,
        jsJob({
          code: code ?? '',
          language,
          problem: challenge.problem,
          tests: challenge.tests,
          limits: effectiveLimits(info, challenge),
        }),
      )
      expect(run.summary).toMatchObject({ verdict: 'passed', passed: 6, total: 6 })
      expect(run.summary.message).toBe('All 6 tests passed')
      expect(run.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5])
      expect(run.results[0]).toMatchObject({
        input: 'nums = [2,7,11,15], target = 9',
        expected: '[0,1]',
        actual: '[0,1]',
      })
    },
  )
})

describe('javascript runs', () => {
  it('reports a wrong answer with the first difference', async () => {
    const run = await runJs(runner, 'function twoSum(nums, target) { return [0, 2] }')
    expect(verdicts(run)).toEqual(['failed', 'failed', 'failed'])
    expect(run.results[0]).toMatchObject({ actual: '[0,2]', mismatch: 'at [1]: expected 1, got 2' })
    expect(run.summary.verdict).toBe('failed')
    expect(run.summary.message).toBe('Wrong answer on test 1 (0 of 3 tests passed)')
  })

  it('fails only the test that throws and runs the next one', async () => {
    const run = await runJs(
      runner,
      [
        'function twoSum(nums, target) {',
        '  if (nums.length === 3) null.x',
        '  return [0, 1]',
        '}',
      ].join('\n'),
    )
    expect(verdicts(run)).toEqual(['passed', 'runtime_error', 'passed'])
    expect(run.results[1]?.error?.message).toBe(
      "TypeError: Cannot read properties of null (reading 'x')",
    )
    expect(run.results[1]?.error?.stack).toContain('at twoSum (solution.js:2:')
    expect(run.summary.message).toBe('Runtime error on test 2 (hidden) (2 of 3 tests passed)')
  })

  it('reports a syntax error as a compile error with its line and column', async () => {
    const run = await runJs(runner, 'function twoSum(nums, target) {\n  return [0, 1\n}\n')
    expect(run.results).toEqual([])
    expect(run.summary.verdict).toBe('compile_error')
    expect(run.summary.compileOutput).toMatch(/^solution\.js:3:1: error: Unexpected token '}'/)
    expect(run.summary.compileOutput).toContain('  3 | }')
    expect(run.summary.message).toBe("Compile error at line 3, column 1: Unexpected token '}'")
  })

  it('awaits an async solution, and its timers run on a virtual clock', async () => {
    const code = `async function twoSum(nums, target) {
      await new Promise((resolve) => setTimeout(resolve, 60_000))
      return [0, 1]
    }`
    const run = await runJs(runner, code)
    expect(verdicts(run)).toEqual(['passed', 'failed', 'passed'])
  })

  it('attributes console output to the test that printed it', async () => {
    const code = `console.log('loading')
    function twoSum(nums, target) {
      console.log('n =', nums.length, { target })
      console.error('to stderr')
      return nums.length === 3 ? [1, 2] : [0, 1]
    }`
    const run = await runJs(runner, code)
    expect(verdicts(run)).toEqual(['passed', 'passed', 'passed'])
    expect(run.results.map((r) => r.stdout)).toEqual([
      'loading\nn = 4 { target: 9 }\nto stderr\n',
      'n = 3 { target: 6 }\nto stderr\n',
      'n = 2 { target: 6 }\nto stderr\n',
    ])
  })

  it('fails a test whose console.assert fails, even with the right answer', async () => {
    const code = `function twoSum(nums, target) {
      console.assert(nums.length !== 2, 'two numbers: %d', nums.length)
      return nums.length === 3 ? [1, 2] : [0, 1]
    }`
    const run = await runJs(runner, code)
    expect(verdicts(run)).toEqual(['passed', 'passed', 'failed'])
    expect(run.results[2]?.mismatch).toBe('Assertion failed: two numbers: 2')
    expect(run.results[2]?.stdout).toBe('Assertion failed: two numbers: 2\n')
  })

  it('finds the function as an ES module export or on module.exports', async () => {
    const exported = await runJs(runner, `export ${twoSumJs}`)
    expect(exported.summary.verdict).toBe('passed')
    const commonJs = await runJs(runner, `module.exports = { twoSum: ${twoSumJs} }`)
    expect(commonJs.summary.verdict).toBe('passed')
    const arrow = await runJs(runner, `const twoSum = (n, t) => n.length === 3 ? [1, 2] : [0, 1]`)
    expect(arrow.summary.verdict).toBe('passed')
  })

  it('maps stack positions back to the source when an ES module had to be transpiled', async () => {
    const code = [
      "import assert from 'node:assert'",
      '',
      'export function twoSum(nums) {',
      '  assert.ok(nums.length > 3, `only ${nums.length} numbers`)',
      '  return [0, 1]',
      '}',
    ].join('\n')
    const run = await runJs(runner, code)
    expect(verdicts(run)).toEqual(['passed', 'runtime_error', 'runtime_error'])
    expect(run.results[1]?.error?.message).toBe('AssertionError: only 3 numbers')
    expect(run.results[1]?.error?.stack).toMatch(/\n {4}at twoSum \(solution\.js:4:10\)$/)
  })

  it('explains a missing function instead of crashing', async () => {
    const run = await runJs(runner, 'function twoSums() {}')
    expect(verdicts(run)).toEqual(['runtime_error', 'skipped', 'skipped'])
    expect(run.results[0]?.error?.message).toMatch(/No function named "twoSum" was found/)
  })

  it('shows a custom run’s return value and console without judging it', async () => {
    const run = await runJs(
      runner,
      'function twoSum(nums, t) { console.log(t); return { sum: t } }',
      {
        mode: 'custom',
        tests: [
          {
            id: 'custom',
            name: 'Custom input',
            hidden: false,
            input: { args: [[1], 5] },
            expected: null,
          },
        ],
      },
    )
    expect(run.results).toHaveLength(1)
    expect(run.results[0]).toMatchObject({ verdict: 'passed', actual: '{"sum":5}', stdout: '5\n' })
    expect(run.results[0]?.expected).toBeUndefined()
    expect(run.summary).toMatchObject({ verdict: 'passed', message: 'Ran without errors' })
  })

  it('runs code that checks itself with node:assert, failing on a loose deepEqual mismatch', async () => {
    const checks = (answer: string) => `const assert = require('node:assert')
      function twoSum(nums, target) { return ${answer} }
      assert.deepEqual(twoSum([2, 7], 9), ['0', 1])
      assert.deepStrictEqual(new Map([[1, { a: [1] }]]), new Map([[1, { a: [1] }]]))
      assert.throws(() => { throw new TypeError('x') }, TypeError)`
    const custom = {
      mode: 'custom' as const,
      tests: [
        { id: 'c', name: 'Custom', hidden: false, input: { args: [[1], 1] }, expected: null },
      ],
    }
    expect((await runJs(runner, checks('[0, 1]'), custom)).summary.verdict).toBe('passed')
    const failing = await runJs(runner, checks('[1, 0]'), custom)
    expect(failing.summary.verdict).toBe('runtime_error')
    expect(failing.results[0]?.error?.message).toMatch(
      /^AssertionError: Expected values to be loosely deep-equal/,
    )
  })

  it('keeps no state from one run to the next', async () => {
    const first = await runJs(
      runner,
      `globalThis.leftover = 'run 1'; var count = 1
      function twoSum() { return [0, 1] }`,
    )
    expect(first.summary.verdict).toBe('failed')
    const second = await runJs(
      runner,
      `function twoSum() { return typeof leftover === 'undefined' && typeof count === 'undefined' ? [0, 1] : [9, 9] }`,
    )
    expect(second.results[0]?.verdict).toBe('passed')
  })

  // Symbol.for is replaced by a per-run registry (the isolate's own one outlives the run); code
  // that uses it must not notice within a run.
  it('keeps Symbol.for and Symbol.keyFor working within a run', async () => {
    const run = await runJs(
      runner,
      `function twoSum() {
        const a = Symbol.for('k'), b = Symbol.for('k')
        const ok = a === b && Symbol.keyFor(a) === 'k' && Symbol.keyFor(Symbol('k')) === undefined
          && Symbol.for('k') !== Symbol.for('j') && typeof a === 'symbol'
        return ok ? [0, 1] : [9, 9]
      }`,
    )
    expect(run.results[0]?.verdict).toBe('passed')
  })
})

describe('typescript runs', () => {
  it('maps a runtime error’s stack to the line and column in the TypeScript source', async () => {
    const code = [
      'type Pair = [number, number]',
      'function twoSum(nums: number[], target: number): Pair {',
      '  const first: number = nums[0]',
      '  if (first === 3) throw new RangeError(`no pair for ${target}`)',
      '  return [0, 1]',
      '}',
    ].join('\n')
    const run = await runJs(runner, code, { language: 'typescript' })
    expect(verdicts(run)).toEqual(['passed', 'runtime_error', 'runtime_error'])
    expect(run.results[1]?.error?.message).toBe('RangeError: no pair for 6')
    expect(run.results[1]?.error?.stack).toBe(
      'RangeError: no pair for 6\n    at twoSum (solution.ts:4:26)',
    )
  })

  it('reports a syntax error as a compile error with its line and column', async () => {
    const run = await runJs(
      runner,
      'function twoSum(nums: number[]): number[] {\n  const x: number = 1 x\n}',
      {
        language: 'typescript',
      },
    )
    expect(run.summary.verdict).toBe('compile_error')
    expect(run.summary.compileOutput).toBe(
      'solution.ts:2:23: error: Expected ";" but found "x"\n  2 |   const x: number = 1 x\n    |                       ^',
    )
    const stages = run.events.flatMap((e) => (e.type === 'stage' ? [e.stage] : []))
    expect(stages).toEqual(['preparing', 'compiling'])
  })

  it('runs enums, classes and generics, whose types are erased, not checked', async () => {
    const code = `enum Found { No, Yes }
      class Index<T> { private seen = new Map<T, number>(); get(v: T) { return this.seen.get(v) } set(v: T, i: number) { this.seen.set(v, i) } }
      export function twoSum(nums: number[], target: number): number[] {
        const index = new Index<number>()
        for (let i = 0; i < nums.length; i++) {
          const j = index.get(target - nums[i])
          if (j !== undefined && Found.Yes) return [j, i]
          index.set(nums[i], i)
        }
        const wrong: string = 42 as unknown as string
        return [wrong as unknown as number]
      }`
    const run = await runJs(runner, code, { language: 'typescript' })
    expect(run.summary.verdict).toBe('passed')
  })
})

describe('stdio problems', () => {
  const sumTests = [
    {
      id: 's1',
      name: 'two lines',
      hidden: false,
      input: { stdin: '1 2\n3 4\n' },
      expected: '3\n7\n',
    },
    { id: 's2', name: 'one line', hidden: true, input: { stdin: '10 5\n' }, expected: '15\n' },
  ]

  it.each([
    [
      'the input global',
      `for (const line of input.trim().split('\\n')) { const [a, b] = line.split(' ').map(Number); console.log(a + b) }`,
    ],
    [
      'readline()',
      `let line; while ((line = readline()) !== undefined) { const [a, b] = line.split(' ').map(Number); print(a + b) }`,
    ],
    [
      'fs.readFileSync(0)',
      `const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n'); lines.forEach((l) => console.log(l.split(' ').reduce((s, x) => s + Number(x), 0)))`,
    ],
    [
      'process.stdin events',
      `let data = ''
      process.stdin.resume(); process.stdin.setEncoding('utf-8')
      process.stdin.on('data', (chunk) => { data += chunk })
      process.stdin.on('end', () => { for (const l of data.trim().split('\\n')) process.stdout.write(l.split(' ').map(Number).reduce((a, b) => a + b) + '\\n') })`,
    ],
    [
      'the readline module',
      `const rl = require('readline').createInterface({ input: process.stdin }); const out = []; rl.on('line', (l) => out.push(l.split(' ').map(Number).reduce((a, b) => a + b))); rl.on('close', () => console.log(out.join('\\n')))`,
    ],
  ])('judges stdout of a program reading stdin through %s', async (_how, code) => {
    const run = await runJs(runner, code, { problem: stdioProblem(), tests: sumTests })
    expect(verdicts(run)).toEqual(['passed', 'passed'])
    expect(run.results[0]).toMatchObject({
      input: '1 2\n3 4\n',
      expected: '3\n7\n',
      actual: '3\n7\n',
    })
  })

  it('ends the program at process.exit, a runtime error when the code is not 0', async () => {
    const code = `const [a, b] = input.split(' ').map(Number)
      if (b === 5) process.exit(3)
      console.log(a + b); process.exit(0); console.log('never')`
    const run = await runJs(runner, code, {
      problem: stdioProblem(),
      tests: [
        { id: 'e1', name: 'exit 0', hidden: false, input: { stdin: '1 2\n' }, expected: '3\n' },
        { id: 'e2', name: 'exit 3', hidden: false, input: { stdin: '10 5\n' }, expected: '15\n' },
      ],
    })
    expect(verdicts(run)).toEqual(['passed', 'runtime_error'])
    expect(run.results[1]?.error?.message).toBe('The program exited with code 3')
  })

  it('shows what the program printed when it is wrong, and runs each test from a fresh start', async () => {
    const code = `var runs = (globalThis.runs ?? 0) + 1; globalThis.runs = runs; console.log(runs); console.error('debug')`
    const run = await runJs(runner, code, { problem: stdioProblem(), tests: sumTests })
    expect(verdicts(run)).toEqual(['failed', 'failed'])
    expect(run.results[0]).toMatchObject({
      actual: '1\n',
      stdout: '1\ndebug\n',
      mismatch: 'line 1: expected "3", got "1"',
    })
    expect(run.results[1]).toMatchObject({ actual: '1\n' })
  })
})

describe('starter code', () => {
  it('is generated from the signature and runs (returning nothing, so it fails)', async () => {
    const challenge = await loadTwoSum()
    for (const [language, module] of [
      ['javascript', javascript],
      ['typescript', typescript],
    ] as const) {
      const code = module.starter(challenge.problem)
      expect(code).toContain('function twoSum(nums')
      const run = await runJs(runner, code, { language })
      expect(verdicts(run)).toEqual(['failed', 'failed', 'failed'])
      expect(run.results[0]?.actual).toBe('null')
    }
  })

  it('uses TypeScript types for TypeScript and JSDoc for JavaScript', async () => {
    const { problem } = await loadTwoSum()
    expect(typescript.starter(problem)).toBe(
      'function twoSum(nums: number[], target: number): number[] {\n  \n}\n',
    )
    expect(javascript.starter(problem)).toContain(
      ' * @param {number[]} nums\n * @param {number} target\n',
    )
  })
})
