/**
 * A solution in several files, in an isolate (issue 14 B.4): the candidate's other files beside
 * the solution are modules it can `require` (or `import`, transpiled), resolved as Node resolves
 * them, with errors that name the file. Through the real runner: a sandbox process, isolated-vm,
 * esbuild.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunJob } from '../../protocol/run.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { collect, jsJob, verdicts } from './jsKit.ts'

let runner: LocalRunner

beforeAll(() => {
  runner = new LocalRunner({ concurrency: 2 })
})

afterAll(async () => {
  await runner.close()
})

/** A two-sum job whose solution sits in `two-sum/` with `files` beside it. */
function treeJob(options: {
  code: string
  files: Record<string, string>
  language?: 'javascript' | 'typescript'
}): RunJob {
  const job = jsJob({
    code: options.code,
    ...(options.language ? { language: options.language } : {}),
  })
  const entry = `two-sum/${job.entry}`
  return {
    ...job,
    entry,
    files: [
      { path: entry, content: options.code },
      ...Object.entries(options.files).map(([path, content]) => ({
        path: `two-sum/${path}`,
        content,
      })),
    ],
  }
}

const findPair = `module.exports.findPair = function (nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i]
    seen.set(nums[i], i)
  }
  return []
}
`

describe('a javascript solution in several files', () => {
  it('requires a file beside it, and one in a folder that requires back up', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "const { findPair } = require('./lib/pairs')\nfunction twoSum(nums, target) { return findPair(nums, target) }\n",
        files: {
          'lib/pairs.js':
            "const { findPair } = require('../util.js')\nmodule.exports = { findPair }\n",
          'util.js': findPair,
        },
      }),
    )
    expect(run.summary).toMatchObject({ verdict: 'passed', passed: 3, total: 3 })
  })

  it('reads a JSON file as its value, and loads each module once, as Node does', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: [
          "const config = require('./config.json')",
          "const counter = require('./counter')",
          "require('./counter')",
          'function twoSum(nums, target) {',
          '  if (counter.loads !== 1 || config.answer !== 42) return [-1, -1]',
          '  for (let i = 0; i < nums.length; i++)',
          '    for (let j = i + 1; j < nums.length; j++) if (nums[i] + nums[j] === target) return [i, j]',
          '}',
          '',
        ].join('\n'),
        files: {
          'config.json': '{ "answer": 42 }',
          'counter.js':
            'globalThis.loadsSoFar = (globalThis.loadsSoFar ?? 0) + 1\nmodule.exports = { loads: globalThis.loadsSoFar }\n',
        },
      }),
    )
    expect(run.summary).toMatchObject({ verdict: 'passed', passed: 3 })
  })

  it('resolves a require cycle with the partly built exports, as Node does', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "const a = require('./a')\nfunction twoSum() { return [a.fromB, a.seenA ? 1 : 0] }\n",
        files: {
          'a.js':
            "exports.early = 0\nconst b = require('./b')\nexports.fromB = b.sawEarly\nexports.seenA = true\n",
          'b.js': "const a = require('./a')\nexports.sawEarly = a.early\n",
        },
      }),
    )
    // [0, 1] is the answer of the first and third tests; the hidden [3,2,4] wants [1, 2].
    expect(verdicts(run)).toEqual(['passed', 'failed', 'passed'])
  })

  it('says which module is missing and from where, as a runtime error of the test', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "function twoSum() { return require('./helpers').pair() }\n",
        files: { 'lib/other.js': "require('./nope')\n" },
      }),
    )
    expect(verdicts(run)).toEqual(['runtime_error', 'runtime_error', 'runtime_error'])
    expect(run.results[0]?.error?.message).toContain(
      "Cannot find module './helpers': there is no such file beside the solution",
    )
  })

  it('reports a syntax error in another file as a compile error naming that file and line', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "const u = require('./util')\nfunction twoSum() { return u.pair() }\n",
        files: { 'util.js': 'exports.pair = function () {\n  return [0, 1\n}\n' },
      }),
    )
    expect(run.summary.verdict).toBe('compile_error')
    expect(run.summary.compileOutput).toMatch(/^util\.js:3:/m)
  })

  it('reports bad JSON as a compile error naming the file', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "const c = require('./config.json')\nfunction twoSum() { return c.pair }\n",
        files: { 'config.json': '{ "pair": [0, 1], }' },
      }),
    )
    expect(run.summary.verdict).toBe('compile_error')
    expect(run.summary.compileOutput).toContain('config.json: error: not valid JSON')
  })

  it('keeps a module’s line numbers in its stack trace', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: "const u = require('./util')\nfunction twoSum() { return u.pair() }\n",
        files: { 'util.js': "exports.pair = function () {\n  throw new Error('boom')\n}\n" },
      }),
    )
    expect(run.results[0]?.verdict).toBe('runtime_error')
    expect(run.results[0]?.error?.stack).toContain('util.js:2')
  })

  it('cannot reach the module registry: candidate code finds no loader on the global object', async () => {
    const run = await collect(
      runner,
      treeJob({
        code: [
          "require('./util')",
          'function twoSum() {',
          "  const names = Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith('__tandem'))",
          '  return names.length === 0 ? [0, 1] : [names.length, -1]',
          '}',
          '',
        ].join('\n'),
        files: { 'util.js': 'exports.x = 1\n' },
      }),
    )
    expect(run.results[0]?.verdict).toBe('passed')
  })
})

describe('a typescript solution in several files', () => {
  it('imports a typed module and a JSON file, transpiled like the solution', async () => {
    const run = await collect(
      runner,
      treeJob({
        language: 'typescript',
        code: [
          "import { findPair } from './pairs'",
          "import settings from './settings.json'",
          'export function twoSum(nums: number[], target: number): number[] {',
          '  return settings.enabled ? findPair(nums, target) : []',
          '}',
          '',
        ].join('\n'),
        files: {
          'pairs.ts': [
            'export function findPair(nums: number[], target: number): number[] {',
            '  const seen = new Map<number, number>()',
            '  for (const [i, n] of nums.entries()) {',
            '    const j = seen.get(target - n)',
            '    if (j !== undefined) return [j, i]',
            '    seen.set(n, i)',
            '  }',
            '  return []',
            '}',
            '',
          ].join('\n'),
          'settings.json': '{ "enabled": true }',
        },
      }),
    )
    expect(run.summary).toMatchObject({ verdict: 'passed', passed: 3, total: 3 })
  })
})
