/**
 * The stdio kind in the JavaScript engine: a fresh context per test, in which the program runs
 * top to bottom on that test's stdin; the host judges what it printed. `process.exit(0)` is a
 * normal end.
 */
import type { StdioProblem } from '../../../protocol/challenge.ts'
import type { JsKindPart } from '../../js/IsolateSession.ts'
import { displayText, safeDisplay, safeJudge } from '../../judge.ts'
import { judgeStdout } from './judge.ts'

export const stdioJs: JsKindPart<StdioProblem> = {
  harnessFunction: () => null,
  exitEndsProgram: true,

  async runTests(session) {
    for (const [index, test] of session.tests.entries()) {
      if (session.stopped()) return session.skipFrom(index)
      const stdin = 'stdin' in test.input ? test.input.stdin : ''
      const harness = await session.openHarness(stdin)
      if (harness === undefined) return session.skipFrom(index)
      try {
        const measured = await session.measure(async (deadline) => {
          await harness.runScript(deadline)
          return harness.ask(['drive'], deadline)
        })
        session.finish(test, index, measured)
        if (measured.outcome.kind === 'fatal') return session.skipFrom(index + 1)
      } finally {
        harness.release()
      }
    }
  },

  deriveKey: () => 's',

  derive(_problem, test) {
    return {
      argsJson: '[]',
      input: 'stdin' in test.input ? displayText(test.input.stdin) : undefined,
      expected:
        typeof test.expected === 'string'
          ? displayText(test.expected)
          : safeDisplay(test.expected, ''),
    }
  },

  judge({ problem, test, produced, custom }) {
    switch (produced.kind) {
      case 'value':
        return { actual: safeDisplay(produced.value, produced.json) }
      case 'error':
        // What the program printed before it failed.
        return { actual: displayText(produced.stdout) }
      case 'done': {
        const actual = displayText(produced.stdout)
        if (custom) return { actual }
        const expected = typeof test.expected === 'string' ? test.expected : ''
        return {
          actual,
          judgement: safeJudge(() => judgeStdout(problem, expected, produced.stdout)),
        }
      }
    }
  },
}
