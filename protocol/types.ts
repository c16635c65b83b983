/**
 * The type language of challenge signatures. An author writes a type once, as a string, and
 * every language's starter code and harness are generated from it.
 *
 *   int             64-bit signed integer (JSON values must be safe integers, |v| < 2^53)
 *   float           64-bit IEEE float
 *   bool, string
 *   T[]             array of T (nest freely: int[][])
 *   map<string, T>  map from string keys to T
 *   T?              optional T (JSON null when absent)
 */
import { z } from 'zod'

/** A parsed type; `of` is the element, value or wrapped type. Getters make it recursive. */
export const TypeSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('int') }),
  z.strictObject({ kind: z.literal('float') }),
  z.strictObject({ kind: z.literal('bool') }),
  z.strictObject({ kind: z.literal('string') }),
  z.strictObject({
    kind: z.literal('array'),
    get of() {
      return TypeSpec
    },
  }),
  z.strictObject({
    kind: z.literal('map'),
    get of() {
      return TypeSpec
    },
  }),
  z.strictObject({
    kind: z.literal('optional'),
    get of() {
      return TypeSpec
    },
  }),
])
export type TypeSpec = z.infer<typeof TypeSpec>

export const Param = z.strictObject({ name: z.string(), type: TypeSpec })
export type Param = z.infer<typeof Param>

/** A function-style challenge's signature: the function the candidate writes. */
export const Signature = z.strictObject({
  /** Function name in camelCase; harnesses adapt it per language where the language's idiom differs. */
  function: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/),
  params: z.array(Param),
  returns: TypeSpec,
})
export type Signature = z.infer<typeof Signature>

export class TypeSyntaxError extends Error {
  override name = 'TypeSyntaxError'
}

/** Parses `map<string, int[]>?` and friends. Throws TypeSyntaxError with the offending position. */
export function parseType(source: string): TypeSpec {
  let pos = 0
  const skipSpace = (): void => {
    while (source[pos] === ' ') pos++
  }
  const fail = (what: string): never => {
    throw new TypeSyntaxError(`${what} at position ${pos} in type "${source}"`)
  }
  const parseOne = (): TypeSpec => {
    skipSpace()
    const word = /^[a-z]+/.exec(source.slice(pos))?.[0]
    if (word === undefined) return fail('expected a type name')
    pos += word.length
    let type: TypeSpec
    switch (word) {
      case 'int':
      case 'float':
      case 'bool':
      case 'string':
        type = { kind: word }
        break
      case 'map': {
        skipSpace()
        if (source[pos] !== '<') fail('expected "<" after map')
        pos++
        skipSpace()
        if (!source.startsWith('string', pos)) fail('map keys must be string')
        pos += 'string'.length
        skipSpace()
        if (source[pos] !== ',') fail('expected "," in map<string, T>')
        pos++
        const of = parseOne()
        skipSpace()
        if (source[pos] !== '>') fail('expected ">" to close map')
        pos++
        type = { kind: 'map', of }
        break
      }
      default:
        return fail(`unknown type "${word}"`)
    }
    for (;;) {
      skipSpace()
      if (source.startsWith('[]', pos)) {
        pos += 2
        type = { kind: 'array', of: type }
      } else if (source[pos] === '?') {
        pos++
        if (type.kind === 'optional') fail('double "?"')
        type = { kind: 'optional', of: type }
      } else {
        return type
      }
    }
  }
  const type = parseOne()
  skipSpace()
  if (pos !== source.length) fail('unexpected trailing text')
  return type
}

/** Inverse of parseType, in canonical spacing: `map<string, int[]>?`. */
export function formatType(type: TypeSpec): string {
  switch (type.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'string':
      return type.kind
    case 'array':
      return `${formatType(type.of)}[]`
    case 'map':
      return `map<string, ${formatType(type.of)}>`
    case 'optional':
      return `${formatType(type.of)}?`
  }
}

/**
 * Checks a JSON value against a type. Returns null when it fits, or a message naming the path of
 * the first misfit, e.g. `[2][0]: expected int, got 1.5`.
 */
export function checkValue(type: TypeSpec, value: unknown, path = ''): string | null {
  const misfit = (expected: string): string =>
    `${path || 'value'}: expected ${expected}, got ${describe(value)}`
  switch (type.kind) {
    case 'int':
      return Number.isSafeInteger(value) ? null : misfit('int')
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? null : misfit('float')
    case 'bool':
      return typeof value === 'boolean' ? null : misfit('bool')
    case 'string':
      return typeof value === 'string' ? null : misfit('string')
    case 'array': {
      if (!Array.isArray(value)) return misfit(formatType(type))
      for (let i = 0; i < value.length; i++) {
        const inner = checkValue(type.of, value[i], `${path}[${i}]`)
        if (inner !== null) return inner
      }
      return null
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return misfit(formatType(type))
      }
      for (const [key, inner] of Object.entries(value)) {
        const problem = checkValue(type.of, inner, `${path}[${JSON.stringify(key)}]`)
        if (problem !== null) return problem
      }
      return null
    }
    case 'optional':
      return value === null ? null : checkValue(type.of, value, path)
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return 'string'
  return typeof value
}

/** `twoSum(nums: int[], target: int) -> int[]` */
export function formatSignature(signature: Signature): string {
  const params = signature.params.map((p) => `${p.name}: ${formatType(p.type)}`).join(', ')
  return `${signature.function}(${params}) -> ${formatType(signature.returns)}`
}
