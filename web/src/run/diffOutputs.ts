/**
 * A readable diff of a test's expected and actual output, for the results panel. Lines are
 * matched first (stdio output is line based); lines that changed are then compared token by token
 * (function outputs are one line of compact JSON, where the interesting difference is one element).
 */

/** A run of text within one line; `changed` marks what the other side does not have. */
export interface DiffSpan {
  text: string
  changed: boolean
}

export interface DiffLine {
  /** True when the whole line or part of it differs from the other side. */
  changed: boolean
  spans: DiffSpan[]
}

export interface OutputDiff {
  expected: DiffLine[]
  actual: DiffLine[]
  /** True when the two texts are equal (e.g. a verdict other than a wrong answer). */
  equal: boolean
}

/** Past this many cells, the LCS table is skipped and the differing middle is marked as a whole. */
const maxTableCells = 1_000_000

export function diffOutputs(expected: string, actual: string): OutputDiff {
  const want = splitLines(expected)
  const got = splitLines(actual)
  const out: OutputDiff = { expected: [], actual: [], equal: expected === actual }
  let removed: string[] = []
  let added: string[] = []
  // Pairs a block of removed lines with the block of added lines that replaced it.
  const flush = (): void => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const a = removed[i]
      const b = added[i]
      if (a !== undefined && b !== undefined) {
        const [left, right] = diffLine(a, b)
        out.expected.push(left)
        out.actual.push(right)
      } else if (a !== undefined) {
        out.expected.push(wholeLine(a, true))
      } else if (b !== undefined) {
        out.actual.push(wholeLine(b, true))
      }
    }
    removed = []
    added = []
  }
  for (const op of diffSequences(want, got)) {
    if (op.kind === 'same') {
      flush()
      out.expected.push(wholeLine(op.value, false))
      out.actual.push(wholeLine(op.value, false))
    } else if (op.kind === 'removed') {
      removed.push(op.value)
    } else {
      added.push(op.value)
    }
  }
  flush()
  return out
}

/** Splits JSON-ish text into tokens: strings, numbers/words, punctuation and whitespace. */
export function tokenize(line: string): string[] {
  return line.match(/"(?:[^"\\]|\\.)*"?|[\s]+|[[\]{}(),:]|[^\s[\]{}(),:"]+/g) ?? []
}

function diffLine(a: string, b: string): [DiffLine, DiffLine] {
  const left: DiffSpan[] = []
  const right: DiffSpan[] = []
  for (const op of diffSequences(tokenize(a), tokenize(b))) {
    if (op.kind !== 'added') pushSpan(left, op.value, op.kind === 'removed')
    if (op.kind !== 'removed') pushSpan(right, op.value, op.kind === 'added')
  }
  return [
    { changed: true, spans: left },
    { changed: true, spans: right },
  ]
}

function pushSpan(spans: DiffSpan[], text: string, changed: boolean): void {
  const last = spans[spans.length - 1]
  // Merge neighbours of the same kind so the DOM gets a few spans, not one per token.
  if (last?.changed === changed) last.text += text
  else spans.push({ text, changed })
}

function wholeLine(text: string, changed: boolean): DiffLine {
  return { changed, spans: text === '' ? [] : [{ text, changed }] }
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n/g, '\n').split('\n')
}

export type DiffOp = { kind: 'same' | 'removed' | 'added'; value: string }

/**
 * Longest-common-subsequence diff of two sequences, after trimming their common prefix and
 * suffix. When the differing middle is too large for the table, it is reported as removed + added.
 */
export function diffSequences(a: readonly string[], b: readonly string[]): DiffOp[] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const ops: DiffOp[] = a.slice(0, start).map((value) => ({ kind: 'same', value }))
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  if (midA.length * midB.length > maxTableCells) {
    for (const value of midA) ops.push({ kind: 'removed', value })
    for (const value of midB) ops.push({ kind: 'added', value })
  } else {
    ops.push(...lcsDiff(midA, midB))
  }
  for (const value of a.slice(endA)) ops.push({ kind: 'same', value })
  return ops
}

function lcsDiff(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length
  const m = b.length
  // lengths[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const lengths = new Uint32Array((n + 1) * (m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * (m + 1) + j] ?? 0, lengths[i * (m + 1) + j + 1] ?? 0)
    }
  }
  const ops: DiffOp[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    const x = a[i] as string
    const y = b[j] as string
    if (x === y) {
      ops.push({ kind: 'same', value: x })
      i++
      j++
    } else if ((lengths[(i + 1) * (m + 1) + j] ?? 0) >= (lengths[i * (m + 1) + j + 1] ?? 0)) {
      ops.push({ kind: 'removed', value: x })
      i++
    } else {
      ops.push({ kind: 'added', value: y })
      j++
    }
  }
  for (; i < n; i++) ops.push({ kind: 'removed', value: a[i] as string })
  for (; j < m; j++) ops.push({ kind: 'added', value: b[j] as string })
  return ops
}
