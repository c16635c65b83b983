/**
 * The Python harness on its own, outside any box: its C JSON path (`_json`) and the fallback to
 * the `json` module on an interpreter whose `_json` is missing or different must report the
 * same frames for values, errors and tracebacks alike.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const harness = fileURLToPath(new URL('../../sandbox/languages/python/harness.py', import.meta.url))
const nonce = 'n0nce'

const source = [
  'import math',
  '',
  'def echo(kind, value):',
  '    if kind == "set":',
  '        return {1, 2}',
  '    if kind == "nan":',
  '        return math.nan',
  '    if kind == "raise":',
  '        return helper(value)',
  '    return value',
  '',
  'def helper(value):',
  '    return value["missing"]',
  '',
].join('\n')

const config = {
  function: 'echo',
  params: [
    { name: 'kind', type: { kind: 'string' } },
    { name: 'value', type: { kind: 'map', of: { kind: 'float' } } },
  ],
  returns: { kind: 'map', of: { kind: 'float' } },
  source,
  memoryBytes: 256 << 20,
}

const tests = [
  ['value', { 'é\u2028"\\': 2, big: 1e300, small: -0.5 }],
  ['set', {}],
  ['nan', {}],
  ['raise', { present: 1 }],
]

const stdin = [
  nonce,
  JSON.stringify(config),
  String(tests.length),
  ...tests.map((t) => JSON.stringify(t)),
]
  .join('\n')
  .concat('\n')

/** The harness's stdout for `stdin`; `blockCJson` makes `import _json` fail first. */
async function harnessOutput(blockCJson: boolean): Promise<string> {
  const prelude = blockCJson ? 'import sys; sys.modules["_json"] = None; ' : ''
  const program = `${prelude}exec(compile(open(${JSON.stringify(harness)}).read(), "harness.py", "exec"), {"__name__": "__main__"})`
  const child = run('/usr/bin/python3', ['-I', '-S', '-B', '-c', program], { encoding: 'utf8' })
  child.child.stdin?.end(stdin)
  return (await child).stdout
}

describe('the Python harness', () => {
  it('reports the same frames with the C JSON path as with the json module', async () => {
    const [fast, fallback] = await Promise.all([harnessOutput(false), harnessOutput(true)])
    const frames = fast.split('\n').filter((line) => line !== '')
    expect(frames[1]).toBe(`\x1e${nonce}R0 {"\\u00e9\\u2028\\"\\\\":2.0,"big":1e+300,"small":-0.5}`)
    expect(frames[3]).toContain('Object of type set is not JSON serializable')
    expect(frames[5]).toContain('Out of range float values are not JSON compliant')
    // The traceback names the candidate's lines, read through the module's loader.
    expect(frames[7]).toContain('line 13, in helper\\n    return value[\\"missing\\"]')
    expect(frames[8]).toBe(`\x1e${nonce}D`)
    // json's pure-Python encoder (what is left without _json) names the value in this one message.
    expect(fallback.replaceAll('compliant: nan', 'compliant')).toBe(fast)
  })
})
