/**
 * The stdio kind's judge: the program's stdout against the expected text, by the challenge's
 * rule (exact, whitespace, tokens). Runs on the host.
 */
import type { StdioProblem } from '../../../protocol/challenge.ts'
import { clip } from '../../../protocol/run.ts'
import { floatsClose, type Judgement } from '../../judge.ts'

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
