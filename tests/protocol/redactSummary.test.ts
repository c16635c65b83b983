import { describe, expect, it } from 'vitest'
import {
  redactHiddenResult,
  redactSummary,
  type RunSummary,
  type TestResult,
} from '../../protocol/run.ts'
import type { TestVerdict } from '../../protocol/verdicts.ts'

/** Six tests, the last three hidden, with these verdicts. */
function results(verdicts: TestVerdict[]): TestResult[] {
  return verdicts.map((verdict, index) => ({
    testId: `t${index}`,
    index,
    name: `test ${index}`,
    hidden: index >= 3,
    verdict,
    durationMs: 1,
  }))
}

function summary(verdict: RunSummary['verdict'], message: string, passed = 5): RunSummary {
  return { verdict, passed, total: 6, durationMs: 10, message, hiddenOutsideOutput: 'secret' }
}

describe("the candidate's run summary", () => {
  it('says "Failed" for a hidden test that crashed, never the class it crashed with', () => {
    const told = redactSummary(
      summary('runtime_error', 'Runtime error on test 4 (hidden) (5 of 6 tests passed)'),
      results(['passed', 'passed', 'passed', 'runtime_error', 'passed', 'passed']),
    )
    expect(told).toEqual({
      verdict: 'failed',
      passed: 5,
      total: 6,
      durationMs: 10,
      message: 'Failed on test 4 (hidden) (5 of 6 tests passed)',
    })
  })

  it('does not say "Wrong answer" of a hidden test either: that too is a class', () => {
    const told = redactSummary(
      summary('failed', 'Wrong answer on test 5 (hidden) (5 of 6 tests passed)'),
      results(['passed', 'passed', 'passed', 'passed', 'failed', 'passed']),
    )
    expect(told.message).toBe('Failed on test 5 (hidden) (5 of 6 tests passed)')
  })

  it('names the visible test the candidate was told about when a hidden one was worse', () => {
    const told = redactSummary(
      summary('timeout', 'Time limit exceeded on test 6 (hidden) (4 of 6 tests passed)', 4),
      results(['passed', 'failed', 'passed', 'passed', 'passed', 'timeout']),
    )
    expect(told).toMatchObject({
      verdict: 'failed',
      message: 'Wrong answer on test 2 (4 of 6 tests passed)',
    })
  })

  it("keeps a visible test's verdict and a run's own verdict as they are, minus the hidden output", () => {
    const visible = summary('runtime_error', 'Runtime error on test 1 (5 of 6 tests passed)')
    const crashed = results([
      'runtime_error',
      'passed',
      'passed',
      'runtime_error',
      'passed',
      'passed',
    ])
    const { hiddenOutsideOutput: _dropped, ...withoutHidden } = visible
    expect(redactSummary(visible, crashed)).toEqual(withoutHidden)
    const compile = summary('compile_error', 'Compile error')
    expect(redactSummary(compile, []).verdict).toBe('compile_error')
    expect(redactSummary(compile, [])).not.toHaveProperty('hiddenOutsideOutput')
  })

  it("keeps a hidden test's internal error: the server's fault is never shown as the candidate's", () => {
    const message = 'The server was too busy to run this code; please run it again'
    const told = redactSummary(
      summary('internal_error', message),
      results(['passed', 'passed', 'passed', 'internal_error', 'passed', 'passed']),
    )
    expect(told).toEqual({
      verdict: 'internal_error',
      passed: 5,
      total: 6,
      durationMs: 10,
      message,
    })
    const hidden = results(['passed', 'passed', 'passed', 'internal_error']).map(redactHiddenResult)
    expect(hidden[3]).toMatchObject({ verdict: 'internal_error', hidden: true })
  })
})
