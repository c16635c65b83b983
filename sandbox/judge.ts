/**
 * What every kind's judge shares: canonical JSON, the depth check on candidate values, float
 * closeness and display forms. Each kind's own comparison is in sandbox/kinds/<kind>/judge.ts.
 * Judges run outside every isolate and box; expected values never leave the host.
 */
import { clip } from '../protocol/run.ts'
import type { Param } from '../protocol/types.ts'

export interface Judgement {
  passed: boolean
  /** Where expected and actual first differ, in words. */
  mismatch?: string
}

/** Display strings are capped so one huge value cannot flood the room; characters. */
export const displayCap = 4_000

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

/** displayValue, or the raw JSON clipped when the value is too deep to walk. */
export function safeDisplay(value: unknown, fallbackJson: string): string {
  try {
    return displayValue(value)
  } catch {
    return clip(fallbackJson, displayCap)
  }
}

/** A judge's verdict, or a failure saying why a value too deep to walk cannot be compared. */
export function safeJudge(judge: () => Judgement): Judgement {
  try {
    return judge()
  } catch {
    return { passed: false, mismatch: 'the value is nested too deeply to compare' }
  }
}
