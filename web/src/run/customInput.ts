/**
 * Custom input for function-style challenges: one JSON value per parameter, checked against the
 * parameter's type before it is sent, so a typo is reported next to its field instead of as a
 * failed run. The server checks again; this is for the person typing.
 */
import { checkValue, parseType, type TypeSpec } from '../../../protocol/types.ts'

export interface SignatureParam {
  name: string
  /** As written in the signature, e.g. `int[]`. */
  typeText: string
  type: TypeSpec
}

/**
 * Parses the display form of a signature, `twoSum(nums: int[], target: int) -> int[]`, into its
 * parameters. Null when the text does not have that shape or a type does not parse.
 */
export function parseSignatureParams(signature: string): SignatureParam[] | null {
  const match = /^\s*[A-Za-z_$][\w$]*\s*\((.*)\)\s*(?:->.*)?$/.exec(signature)
  const list = match?.[1]
  if (list === undefined) return null
  if (list.trim() === '') return []
  const params: SignatureParam[] = []
  for (const part of splitTopLevel(list)) {
    const colon = part.indexOf(':')
    if (colon === -1) return null
    const name = part.slice(0, colon).trim()
    const typeText = part.slice(colon + 1).trim()
    try {
      params.push({ name, typeText, type: parseType(typeText) })
    } catch {
      return null
    }
  }
  return params
}

/** Splits on commas outside `<…>`, so `m: map<string, int>, k: int` gives two parts. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '<') depth++
    else if (c === '>') depth--
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

/**
 * Starting values for the fields: taken from a test's display input (`nums = [2,7], target = 9`)
 * when it splits cleanly into valid JSON per parameter, otherwise a neutral value per type.
 */
export function prefillArgs(params: readonly SignatureParam[], input?: string): string[] {
  if (input !== undefined) {
    const fromTest = splitDisplayInput(params, input)
    if (fromTest !== null) return fromTest
  }
  return params.map((param) => JSON.stringify(neutralValue(param.type)))
}

function splitDisplayInput(params: readonly SignatureParam[], input: string): string[] | null {
  const [param, ...rest] = params
  if (param === undefined) return input === '' ? [] : null
  const head = `${param.name} = `
  if (!input.startsWith(head)) return null
  const body = input.slice(head.length)
  const next = rest[0]
  if (next === undefined) return validateArg(param, body) === null ? [body] : null
  // The separator can also occur inside a string value, so try each occurrence until the value
  // before it is valid and the remainder splits too.
  const separator = `, ${next.name} = `
  for (let end = body.indexOf(separator); end !== -1; end = body.indexOf(separator, end + 1)) {
    const value = body.slice(0, end)
    if (validateArg(param, value) !== null) continue
    const tail = splitDisplayInput(rest, body.slice(end + 2))
    if (tail !== null) return [value, ...tail]
  }
  return null
}

function neutralValue(type: TypeSpec): unknown {
  switch (type.kind) {
    case 'int':
    case 'float':
      return 0
    case 'bool':
      return false
    case 'string':
      return ''
    case 'array':
      return []
    case 'map':
      return {}
    case 'optional':
      return null
  }
}

/** Null when `text` is JSON that fits the parameter's type, else a message for the field. */
export function validateArg(param: SignatureParam, text: string): string | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return `Not valid JSON (expected ${param.typeText})`
  }
  const misfit = checkValue(param.type, value, param.name)
  return misfit
}

export type ArgsResult = { ok: true; args: unknown[] } | { ok: false; errors: (string | null)[] }

/** Checks every field; on success the parsed arguments, in order, ready for `run:start`. */
export function validateArgs(
  params: readonly SignatureParam[],
  texts: readonly string[],
): ArgsResult {
  const errors = params.map((param, i) => validateArg(param, texts[i] ?? ''))
  if (errors.some((error) => error !== null)) return { ok: false, errors }
  return { ok: true, args: params.map((_, i) => JSON.parse(texts[i] ?? 'null') as unknown) }
}
