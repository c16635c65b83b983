/**
 * Custom input for function-style challenges: one JSON value per parameter, checked against the
 * parameter's type before it is sent, so a typo is reported next to its field instead of as a
 * failed run. The server checks again; this is for the person typing.
 */
import {
  checkValue,
  formatType,
  type Signature,
  type TypeSpec,
} from '../../../../protocol/types.ts'

export interface SignatureParam {
  name: string
  /** As written in the signature, e.g. `int[]`. */
  typeText: string
  type: TypeSpec
}

/** The fields of a signature's parameters, from the signature as data (ChallengeView.call). */
export function signatureParams(signature: Signature): SignatureParam[] {
  return signature.params.map((param) => ({
    name: param.name,
    typeText: formatType(param.type),
    type: param.type,
  }))
}

/**
 * Starting values for the fields: a test's arguments (ChallengeView's `args`) when it has one
 * per parameter, each as JSON, otherwise a neutral value per type.
 */
export function prefillArgs(
  params: readonly SignatureParam[],
  args?: readonly unknown[],
): string[] {
  if (args?.length === params.length) return args.map((value) => JSON.stringify(value))
  return params.map((param) => JSON.stringify(neutralValue(param.type)))
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
