/**
 * The function kind's judge: the candidate's return value against the expected one, under the
 * signature's return type (floats within the tolerance, the top-level array unordered if the
 * challenge says so). Runs on the host; expected values never enter a box or an isolate.
 */
import type { FunctionProblem } from '../../../protocol/challenge.ts'
import { checkValue, type TypeSpec } from '../../../protocol/types.ts'
import { clip } from '../../../protocol/run.ts'
import { canonicalJson, floatsClose, type Judgement } from '../../judge.ts'

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
