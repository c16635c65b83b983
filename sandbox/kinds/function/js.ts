/**
 * The function kind in the JavaScript engine: one context for the whole run. The top level runs
 * once (its output and console.assert count toward test 1), then each test calls the function
 * with its arguments; the host judges each return value.
 */
import type { FunctionProblem } from '../../../protocol/challenge.ts'
import type { JsKindPart } from '../../js/IsolateSession.ts'
import { displayArgs, displayText, safeDisplay, safeJudge } from '../../judge.ts'
import { judgeReturnValue } from './judge.ts'

export const functionJs: JsKindPart<FunctionProblem> = {
  harnessFunction: (problem) => problem.signature.function,
  exitEndsProgram: false,

  async runTests(session) {
    const { tests } = session
    const harness = await session.openHarness(null)
    if (harness === undefined) return session.skipFrom(0)
    try {
      const load = await session.measure(async (deadline) => {
        await harness.runScript(deadline)
        return harness.ask(['find'], deadline)
      })
      if (load.outcome.kind !== 'done') {
        const first = tests[0]
        if (first !== undefined) session.finish(first, 0, load)
        else session.failLoad(load.outcome)
        return session.skipFrom(1)
      }
      for (const [index, test] of tests.entries()) {
        if (session.stopped()) return session.skipFrom(index)
        const { argsJson } = session.derived(test)
        const measured = await session.measure(
          (deadline) => harness.ask(['call', argsJson], deadline),
          // The load's console output and assertions open the first test's record.
          index === 0 ? load : undefined,
        )
        session.finish(test, index, measured)
        if (measured.outcome.kind === 'fatal') return session.skipFrom(index + 1)
      }
    } finally {
      harness.release()
    }
  },

  deriveKey: (problem) => `f:${problem.signature.params.map((p) => p.name).join(',')}`,

  derive(problem, test) {
    const { input } = test
    return {
      argsJson: JSON.stringify('args' in input ? input.args : []),
      input:
        'args' in input
          ? displayArgs(problem.signature.params, input.args)
          : displayText(input.stdin),
      expected: safeDisplay(test.expected, ''),
    }
  },

  judge({ problem, test, produced, custom }) {
    if (produced.kind !== 'value') return {}
    const actual = safeDisplay(produced.value, produced.json)
    if (custom) return { actual }
    return {
      actual,
      judgement: safeJudge(() => judgeReturnValue(problem, test.expected, produced.value)),
    }
  },
}
