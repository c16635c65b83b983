/**
 * The two mutants every conformance row gets, so a known-good pass means something:
 *
 * - **empty return**: the function returns its language's empty value (`None`, `undefined`,
 *   `{}`, a Go zero value, a Java default) before its first statement; the rest of the body
 *   stays, dead, so the program still compiles.
 * - **off by one**: the first integer literal of the solution's body (outside strings, comments
 *   and regular expressions) becomes itself plus one.
 *
 * Both are plain text edits of the data; no parser is involved, so a mutant can fail to compile
 * (a Go array length, a duplicated `case`): the runner reports those as stillborn.
 */
import type { ConformanceLanguage } from './ConformanceCase.ts'

/** The statement that makes a function return its empty value at once. */
export function emptyReturn(language: ConformanceLanguage, signature: string): string {
  switch (language) {
    case 'python':
      return 'return None'
    case 'javascript':
    case 'typescript':
      return 'return undefined;'
    case 'cpp':
      // Value-initialises any return type: 0, false, "", an empty vector.
      return 'return {};'
    case 'go':
      return goZeroReturn(signature)
    case 'java':
      // `if (true)` keeps the rest of the body reachable, which javac insists on.
      return `if (true) return ${javaEmptyValue(signature)};`
  }
}

/** `return *new(T)` is the zero value of any T: nil slices and maps, "", 0, false. */
function goZeroReturn(signature: string): string {
  const results = goResults(signature)
  if (results === '') return 'return'
  if (!results.startsWith('(')) return `return *new(${results})`
  const parts = splitTopLevel(results.slice(1, -1))
  // Named results: a bare return hands back their zero values.
  if (parts.some((part) => /^\w+\s+\S/.test(part))) return 'return'
  return `return ${parts.map((part) => `*new(${part})`).join(', ')}`
}

/** The result list of a Go `func Name(params) results {` line. */
export function goResults(signature: string): string {
  const open = signature.indexOf('(')
  if (open < 0) throw new Error(`not a Go signature: ${signature}`)
  let depth = 0
  for (let i = open; i < signature.length; i++) {
    const char = signature[i]
    if (char === '(') depth++
    else if (char === ')' && --depth === 0) {
      return signature
        .slice(i + 1)
        .replace(/\{\s*$/, '')
        .trim()
    }
  }
  throw new Error(`unbalanced Go signature: ${signature}`)
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const char = list[i]
    if (char === '(' || char === '[' || char === '{' || char === '<') depth++
    else if (char === ')' || char === ']' || char === '}' || char === '>') depth--
    else if (char === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(list.slice(start).trim())
  return parts.filter((part) => part !== '')
}

/** The return type of a Java method declaration line, e.g. `List<Integer>`. */
export function javaReturnType(signature: string): string {
  const match =
    /^\s*(?:(?:public|private|protected|static|final)\s+)*([\w.<>,?[\]\s]+?)\s+\w+\s*\(/.exec(
      signature,
    )
  if (match?.[1] === undefined) throw new Error(`not a Java method: ${signature}`)
  return match[1].trim()
}

/**
 * A well-typed "nothing" for a Java method's return type, so a test fails on its assertion
 * rather than on a null: zero, false, "", an empty collection or Optional, a javatuples tuple of
 * those; `null` only where nothing obvious fits.
 */
export function javaEmptyValue(signature: string): string {
  return javaEmptyOf(javaReturnType(signature))
}

const boxedZero: Record<string, string> = {
  Long: '0L',
  Integer: '0',
  Short: '(short) 0',
  Byte: '(byte) 0',
  Double: '0.0',
  Float: '0.0f',
  Character: "'\\0'",
  Boolean: 'false',
}

function javaEmptyOf(type: string): string {
  if (/^(int|long|short|byte|double|float|char)$/.test(type)) return `(${type}) 0`
  if (type === 'boolean') return 'false'
  if (type === 'String') return '""'
  const boxed = boxedZero[type]
  if (boxed !== undefined) return boxed
  if (/^(List|ArrayList)\b/.test(type)) return 'new ArrayList<>()'
  if (/^(Map|HashMap)\b/.test(type)) return 'new HashMap<>()'
  if (/^Optional\b/.test(type)) return 'Optional.empty()'
  const tuple = /^(Pair|Triplet)<(.*)>$/.exec(type)
  if (tuple?.[1] !== undefined && tuple[2] !== undefined) {
    // An explicit type witness lets Optional.empty() and friends take the declared types.
    const args = splitTopLevel(tuple[2])
    return `${tuple[1]}.<${args.join(', ')}>with(${args.map(javaEmptyOf).join(', ')})`
  }
  return 'null'
}

/** Where the off-by-one mutant changed the body. */
export interface OffByOne {
  /** The mutated body. */
  body: string
  /** e.g. ``0 → 1 in `for (let i = 0; i < n; i++)` ``: the literal and its line. */
  note: string
}

/** The body with its first integer literal raised by one; undefined when it has none. */
export function offByOne(language: ConformanceLanguage, body: string): OffByOne | undefined {
  const literal = firstIntegerLiteral(language, body)
  if (literal === undefined) return undefined
  const { start, end } = literal
  const text = body.slice(start, end)
  const raised = (BigInt(text) + 1n).toString()
  const lineStart = body.lastIndexOf('\n', start - 1) + 1
  const lineEnd = body.indexOf('\n', start)
  const line = body.slice(lineStart, lineEnd < 0 ? body.length : lineEnd).trim()
  return {
    body: body.slice(0, start) + raised + body.slice(end),
    note: `${text} → ${raised} in \`${line.length > 80 ? `${line.slice(0, 77)}...` : line}\``,
  }
}

/** A number token of any kind: digits, dots, letters, digit separators, a signed exponent. */
const numberToken = /^(?:[eEpP][+-](?=\d)|[\w.'])+/

/** Integer suffixes the C family allows after a literal (`10L`, `1ll`, `2u`). */
const cSuffix = /^(?:[uU]?(?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)/

function firstIntegerLiteral(
  language: ConformanceLanguage,
  source: string,
): { start: number; end: number } | undefined {
  const skip = skipper(language)
  let i = 0
  while (i < source.length) {
    const skipped = skip(source, i)
    if (skipped > i) {
      i = skipped
      continue
    }
    const char = source[i] ?? ''
    if (/[A-Za-z_$]/.test(char)) {
      // An identifier: digits inside it are not literals.
      while (i < source.length && /[\w$]/.test(source[i] ?? '')) i++
      continue
    }
    if (/\d/.test(char) && !/[\w.$]/.test(source[i - 1] ?? '')) {
      let end = i
      while (/\d/.test(source[end] ?? '')) end++
      let after = end
      if (language === 'java' || language === 'cpp')
        after += cSuffix.exec(source.slice(end))?.[0].length ?? 0
      const next = source[after] ?? ''
      // Floats (1.5, 1e3), hex, octal and binary prefixes, digit separators: not plain integers.
      const plain = !/[\w.$']/.test(next) && !/^0\d/.test(source.slice(i, end))
      if (plain) return { start: i, end }
      // Skip the whole number token, exponent sign included (`1e-4` holds no integer 4).
      i += numberToken.exec(source.slice(i))?.[0].length ?? 1
      continue
    }
    i++
  }
  return undefined
}

/** Returns a function giving the index after a string, comment or regex at `i` (or `i`). */
function skipper(language: ConformanceLanguage): (source: string, i: number) => number {
  return (source, i) => {
    const char = source[i]
    const two = source.slice(i, i + 2)
    if (language === 'python') {
      if (char === '#') return lineEnd(source, i)
      const quote = /^[rbfuRBFU]{0,2}('''|"""|'|")/.exec(source.slice(i))
      if (quote?.[1] !== undefined && (i === 0 || !/\w/.test(source[i - 1] ?? ''))) {
        const delimiter = quote[1]
        return closing(source, i + quote[0].length, delimiter)
      }
      return i
    }
    if (two === '//') return lineEnd(source, i)
    if (two === '/*') {
      const end = source.indexOf('*/', i + 2)
      return end < 0 ? source.length : end + 2
    }
    if (char === '"' || char === "'") return closing(source, i + 1, char)
    if (char === '`' && language !== 'java' && language !== 'cpp') {
      // JS template literals (interpolations included) and Go raw strings.
      return closing(source, i + 1, '`')
    }
    if (char === '/' && (language === 'javascript' || language === 'typescript')) {
      const before = source.slice(0, i).trimEnd()
      const last = before.at(-1) ?? ''
      const regexFollows =
        last === '' ||
        '(,=:[!&|?{};+-*%<>~^'.includes(last) ||
        /\b(?:return|typeof|case|in|of|void|delete|throw)$/.test(before)
      if (regexFollows) return regexEnd(source, i + 1)
    }
    return i
  }
}

function lineEnd(source: string, i: number): number {
  const end = source.indexOf('\n', i)
  return end < 0 ? source.length : end
}

/** The index after the closing `delimiter`, honouring backslash escapes. */
function closing(source: string, from: number, delimiter: string): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source.startsWith(delimiter, i)) return i + delimiter.length
  }
  return source.length
}

function regexEnd(source: string, from: number): number {
  let inClass = false
  for (let i = from; i < source.length; i++) {
    const char = source[i]
    if (char === '\\') i++
    else if (char === '[') inClass = true
    else if (char === ']') inClass = false
    else if (char === '/' && !inClass) return i + 1
    else if (char === '\n') return i
  }
  return source.length
}
