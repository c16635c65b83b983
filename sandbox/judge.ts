/**
 * The host's judge: compares what the candidate's code produced with what the challenge expects.
 * It runs outside every isolate and box; expected values never leave the host.
 */
import type { FunctionProblem, StdioProblem } from '../protocol/challenge.ts'
import { checkValue, type Param, type TypeSpec } from '../protocol/types.ts'

export interface Judgement {
  passed: boolean
  /** Where expected and actual first differ, in words. */
  mismatch?: string
}

/** Display strings are capped so one huge value cannot flood the room; characters. */
export const displayCap = 4_000

export function judgeReturnValue(
  problem: FunctionProblem,
  expected: unknown,
  actual: unknown,
): Judgement {
  const { returns } = problem.signature
  const typeProblem = checkValue(returns, actual, 'return value')
  if (typeProblem !== null) return { passed: false, mismatch: typeProblem }
  let left = expected
  let right = actual
  if (problem.compare.unordered && Array.isArray(expected) && Array.isArray(actual)) {
    left = sortCanonically(expected)
    right = sortCanonically(actual)
  }
  const difference = firstDifference(returns, left, right, '', problem.compare.floatTolerance)
  return difference === null ? { passed: true } : { passed: false, mismatch: difference }
}

function sortCanonically(values: unknown[]): unknown[] {
  return values
    .map((value) => [canonicalJson(value), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => value)
}

/** A candidate's value may nest arrays and objects this many levels deep, no more. */
export const maxValueDepth = 1_000

export const tooDeepMessage = `The return value is nested deeper than ${maxValueDepth} levels`

/**
 * Whether `json` nests arrays and objects deeper than `limit`, read in one linear pass over its
 * text (brackets inside strings do not count). Every walk of a value — canonicalJson, the type
 * check, the comparison — recurses once per level: a candidate's `x = [x]` 50 000 times used to
 * overflow the sandbox process's stack inside canonicalJson and take every run on it down
 * (issue 13). Checking the text first means no recursion ever meets a value this deep.
 */
export function nestedDeeperThan(json: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i)
    if (inString) {
      if (code === 0x5c)
        i++ // a backslash: the next character is escaped, never a quote
      else if (code === 0x22) inString = false
      continue
    }
    if (code === 0x22) inString = true
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true
    } else if (code === 0x5d || code === 0x7d) depth--
  }
  return false
}

export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: string }

/** A value from candidate code, as JSON text: parsed only when it is not too deep to walk. */
export function parseCandidateValue(json: string): ParsedValue {
  if (nestedDeeperThan(json, maxValueDepth)) return { ok: false, message: tooDeepMessage }
  try {
    return { ok: true, value: JSON.parse(json) as unknown }
  } catch {
    return {
      ok: false,
      message: 'The function returned a value that cannot be represented as JSON.',
    }
  }
}

/**
 * JSON with object keys sorted, so equal maps print equally. Recursive, so callers hand it
 * values at most maxValueDepth deep (parseCandidateValue); deeper ones throw a RangeError here,
 * before the stack runs out, and the caller's try/catch makes that test's verdict.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > maxValueDepth) throw new RangeError(tooDeepMessage)
  // JSON.stringify answers undefined (not a string) for undefined and functions.
  if (value === undefined || typeof value === 'function') return 'null'
  if (Array.isArray(value)) {
    // Arrays of primitives (the usual large input) print the same through JSON.stringify, which
    // is an order of magnitude faster than a call per element.
    if (value.every((item) => item === null || typeof item !== 'object')) {
      return JSON.stringify(value)
    }
    return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const fields = entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`)
    return `{${fields.join(',')}}`
  }
  return JSON.stringify(value)
}

export function floatsClose(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true
  const diff = Math.abs(a - b)
  return diff <= tolerance || diff <= tolerance * Math.max(Math.abs(a), Math.abs(b))
}

/** Null when equal under `type`; otherwise a sentence naming the first differing path. */
function firstDifference(
  type: TypeSpec,
  expected: unknown,
  actual: unknown,
  path: string,
  tolerance: number,
): string | null {
  const at = path === '' ? '' : `at ${path}: `
  const differ = (): string =>
    `${at}expected ${clip(canonicalJson(expected), 200)}, got ${clip(canonicalJson(actual), 200)}`
  switch (type.kind) {
    case 'int':
    case 'bool':
    case 'string':
      return expected === actual ? null : differ()
    case 'float':
      return typeof expected === 'number' &&
        typeof actual === 'number' &&
        floatsClose(expected, actual, tolerance)
        ? null
        : differ()
    case 'optional':
      if (expected === null || actual === null) return expected === actual ? null : differ()
      return firstDifference(type.of, expected, actual, path, tolerance)
    case 'array': {
      if (!Array.isArray(expected) || !Array.isArray(actual)) return differ()
      const shared = Math.min(expected.length, actual.length)
      for (let i = 0; i < shared; i++) {
        const inner = firstDifference(type.of, expected[i], actual[i], `${path}[${i}]`, tolerance)
        if (inner !== null) return inner
      }
      if (expected.length !== actual.length) {
        return `${at}expected ${expected.length} elements, got ${actual.length}`
      }
      return null
    }
    case 'map': {
      if (!isRecord(expected) || !isRecord(actual)) return differ()
      for (const key of Object.keys(expected).sort()) {
        if (!Object.hasOwn(actual, key)) return `${at}missing key ${JSON.stringify(key)}`
        const inner = firstDifference(
          type.of,
          expected[key],
          actual[key],
          `${path}[${JSON.stringify(key)}]`,
          tolerance,
        )
        if (inner !== null) return inner
      }
      for (const key of Object.keys(actual).sort()) {
        if (!Object.hasOwn(expected, key)) return `${at}unexpected key ${JSON.stringify(key)}`
      }
      return null
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Compares stdout with the expected text by the challenge's rule. */
export function judgeStdout(problem: StdioProblem, expected: string, actual: string): Judgement {
  const { mode, floatTolerance } = problem.compare
  switch (mode) {
    case 'exact':
      return compareLines(expected.split('\n'), actual.split('\n'))
    case 'whitespace':
      return compareLines(trimLines(expected), trimLines(actual))
    case 'tokens': {
      const want = expected.split(/\s+/).filter(Boolean)
      const got = actual.split(/\s+/).filter(Boolean)
      for (let i = 0; i < Math.min(want.length, got.length); i++) {
        const [a, b] = [want[i] ?? '', got[i] ?? '']
        if (a === b) continue
        const [x, y] = [Number(a), Number(b)]
        const numeric =
          a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)
        if (numeric && floatsClose(x, y, floatTolerance)) continue
        return {
          passed: false,
          mismatch: `token ${i + 1}: expected ${clip(a, 80)}, got ${clip(b, 80)}`,
        }
      }
      if (want.length !== got.length) {
        return { passed: false, mismatch: `expected ${want.length} tokens, got ${got.length}` }
      }
      return { passed: true }
    }
  }
}

function trimLines(text: string): string[] {
  const lines = text.split('\n').map((line) => line.replace(/[ \t\r]+$/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

function compareLines(want: string[], got: string[]): Judgement {
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] === got[i]) continue
    if (want[i] === undefined)
      return { passed: false, mismatch: `line ${i + 1}: unexpected extra output` }
    if (got[i] === undefined)
      return { passed: false, mismatch: `line ${i + 1}: output ended early` }
    return {
      passed: false,
      mismatch: `line ${i + 1}: expected ${JSON.stringify(clip(want[i] ?? '', 120))}, got ${JSON.stringify(clip(got[i] ?? '', 120))}`,
    }
  }
  return { passed: true }
}

/** `nums = [2,7,11,15], target = 9` */
export function displayArgs(params: readonly Param[], args: readonly unknown[]): string {
  return clip(
    params.map((param, i) => `${param.name} = ${canonicalJson(args[i] ?? null)}`).join(', '),
    displayCap,
  )
}

export function displayValue(value: unknown): string {
  return clip(canonicalJson(value), displayCap)
}

export function displayText(text: string): string {
  return clip(text, displayCap)
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`
}
