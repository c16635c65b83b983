import { describe, expect, it } from 'vitest'
import {
  diffOutputs,
  diffSequences,
  tokenize,
  type DiffLine,
} from '../../web/src/run/diffOutputs.ts'

/** A side rendered as text with changed spans in [brackets], for readable assertions. */
function render(lines: DiffLine[]): string[] {
  return lines.map((line) => line.spans.map((s) => (s.changed ? `[${s.text}]` : s.text)).join(''))
}

describe('output diff', () => {
  it('marks nothing when the outputs are equal', () => {
    const diff = diffOutputs('[0,1]', '[0,1]')
    expect(diff.equal).toBe(true)
    expect(render(diff.expected)).toEqual(['[0,1]'])
    expect(diff.expected.every((line) => !line.changed)).toBe(true)
  })

  it('highlights only the differing element of a one-line JSON value', () => {
    const diff = diffOutputs('[1,2,3,4]', '[1,2,5,4]')
    expect(render(diff.expected)).toEqual(['[1,2,[3],4]'])
    expect(render(diff.actual)).toEqual(['[1,2,[5],4]'])
  })

  it('pairs changed lines and keeps equal lines plain in multi-line output', () => {
    const diff = diffOutputs('a\nb 1\nc', 'a\nb 2\nc')
    expect(render(diff.expected)).toEqual(['a', 'b [1]', 'c'])
    expect(render(diff.actual)).toEqual(['a', 'b [2]', 'c'])
    expect(diff.expected.map((line) => line.changed)).toEqual([false, true, false])
  })

  it('shows missing and extra lines as wholly changed', () => {
    const diff = diffOutputs('1\n2\n3', '1\n3\n4')
    expect(render(diff.expected)).toEqual(['1', '[2]', '3'])
    expect(render(diff.actual)).toEqual(['1', '3', '[4]'])
  })

  it('treats CRLF output like LF output', () => {
    expect(diffOutputs('x\ny', 'x\r\ny').expected.every((line) => !line.changed)).toBe(true)
  })

  it('keeps JSON strings with commas and escaped quotes as single tokens', () => {
    expect(tokenize('["a,b","c\\"d"]')).toEqual(['[', '"a,b"', ',', '"c\\"d"', ']'])
  })

  it('falls back to removed-then-added when the differing middle is too large to align', () => {
    const a = Array.from({ length: 1500 }, (_, i) => `a${i}`)
    const b = Array.from({ length: 1500 }, (_, i) => `b${i}`)
    const ops = diffSequences(a, b)
    expect(ops.filter((op) => op.kind === 'removed')).toHaveLength(1500)
    expect(ops.filter((op) => op.kind === 'added')).toHaveLength(1500)
  })

  it('produces an edit script that rebuilds both sides', () => {
    const a = 'the quick brown fox jumps'.split(' ')
    const b = 'the slow brown dog jumps high'.split(' ')
    const ops = diffSequences(a, b)
    expect(ops.filter((op) => op.kind !== 'added').map((op) => op.value)).toEqual(a)
    expect(ops.filter((op) => op.kind !== 'removed').map((op) => op.value)).toEqual(b)
  })
})
