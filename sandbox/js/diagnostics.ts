/**
 * What the candidate reads when their code fails: compile errors with `line:col` and the line
 * itself, and runtime stack traces whose positions point into their own file (through the
 * transpiler's source map when there is one), without the harness's frames.
 */
import { originalPositionFor, type TraceMap } from '@jridgewell/trace-mapping'
import { preludeFilename } from './prelude.ts'

/** One compile error, in the candidate's coordinates (line and column from 1). */
export interface Diagnostic {
  file: string
  line: number
  column: number
  message: string
  /** The source line, to print with a caret under the column. */
  lineText?: string | undefined
}

/**
 * solution.ts:3:15: error: Expected ";" but found "x"
 *     3 | const a = 1 x
 *       |               ^
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const head = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: error: ${diagnostic.message}`
  if (diagnostic.lineText === undefined) return head
  const gutter = String(diagnostic.line)
  const pad = ' '.repeat(gutter.length)
  const lineText = diagnostic.lineText.slice(0, 300)
  const caret = ' '.repeat(Math.min(Math.max(diagnostic.column - 1, 0), lineText.length)) + '^'
  return `${head}\n  ${gutter} | ${lineText}\n  ${pad} | ${caret}`
}

/** V8 ends a compile error's message with ` [file:line:col]`; columns from 1. */
const v8Location = /^(.*) \[(.+):(\d+):(\d+)\]$/s

/**
 * A V8 SyntaxError from compiling the candidate's script, as a Diagnostic in the candidate's
 * coordinates. `map` translates positions when the script is transpiled output.
 */
export function syntaxErrorDiagnostic(options: {
  message: string
  source: string
  filename: string
  map: TraceMap | undefined
}): Diagnostic {
  const match = v8Location.exec(options.message)
  if (match === null)
    return { file: options.filename, line: 1, column: 1, message: options.message }
  let line = Number(match[3])
  let column = Number(match[4])
  if (options.map !== undefined) {
    const original = originalPositionFor(options.map, { line, column: Math.max(column - 1, 0) })
    if (original.line !== null) {
      line = original.line
      column = original.column + 1
    }
  }
  return {
    file: options.filename,
    line,
    column,
    message: match[1] ?? options.message,
    lineText: options.source.split('\n')[line - 1],
  }
}

/** `    at twoSum (solution.ts:3:15)` or `    at solution.ts:3:15`: the location part. */
const framePosition = /^(\s+at (?:.*?\()?)(.+?):(\d+):(\d+)(\)?)$/

/**
 * Rewrites a V8 stack: candidate frames mapped to their source positions, harness and host
 * frames removed, the header replaced by `message`. Capped at 30 frames.
 */
export function mapStack(options: {
  stack: string
  message: string
  filename: string
  map: TraceMap | undefined
}): string {
  const frames: string[] = []
  let lastCandidateFrame = -1
  for (const line of options.stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue
    // Everything past this marker is the host calling into the isolate.
    if (line.includes('<isolated-vm boundary>')) break
    if (line.includes(preludeFilename)) continue
    const match = framePosition.exec(line)
    if (match !== null && match[2] === options.filename) {
      frames.push(mapFrame(match, options.map))
      lastCandidateFrame = frames.length - 1
    } else {
      frames.push(line)
    }
    if (frames.length >= 30) break
  }
  // Built-in frames below the candidate's outermost frame are the harness calling in.
  const shown = lastCandidateFrame === -1 ? frames : frames.slice(0, lastCandidateFrame + 1)
  return [options.message, ...shown.map((frame) => `    ${frame.trimStart()}`)].join('\n')
}

function mapFrame(match: RegExpExecArray, map: TraceMap | undefined): string {
  const [, prefix = '', file = '', lineText = '1', columnText = '1', suffix = ''] = match
  let line = Number(lineText)
  let column = Number(columnText)
  if (map !== undefined) {
    const original = originalPositionFor(map, { line, column: Math.max(column - 1, 0) })
    if (original.line === null) return `${prefix}${file}${suffix}`
    line = original.line
    column = original.column + 1
  }
  return `${prefix}${file}:${line}:${column}${suffix}`
}
