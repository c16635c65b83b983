/**
 * Custom input's fields come from the signature as data (ChallengeView.call) and start from a
 * test's arguments as values (TestCaseView.args). They used to be parsed back out of display
 * strings (`twoSum(nums: int[], …)`, `nums = [2,7], target = 9`), which broke on a string
 * argument containing `, b = ` and on any change to the display form (issue 14 B.4).
 */
import { describe, expect, it } from 'vitest'
import { parseType, type Signature } from '../../protocol/types.ts'
import {
  prefillArgs,
  signatureParams,
  validateArgs,
} from '../../web/src/kinds/function/customInput.ts'

function signature(name: string, params: [string, string][], returns = 'int'): Signature {
  return {
    function: name,
    params: params.map(([param, type]) => ({ name: param, type: parseType(type) })),
    returns: parseType(returns),
  }
}

const twoSum = signatureParams(
  signature('twoSum', [
    ['nums', 'int[]'],
    ['target', 'int'],
  ]),
)

describe('custom input', () => {
  it('has one field per parameter, each labelled with its type', () => {
    const params = signatureParams(
      signature('group', [
        ['m', 'map<string, int[]>'],
        ['k', 'int'],
      ]),
    )
    expect(params.map((p) => [p.name, p.typeText])).toEqual([
      ['m', 'map<string, int[]>'],
      ['k', 'int'],
    ])
    expect(signatureParams(signature('answer', []))).toEqual([])
  })

  it('prefills the fields from a test’s arguments, as JSON', () => {
    expect(prefillArgs(twoSum, [[2, 7, 11, 15], 9])).toEqual(['[2,7,11,15]', '9'])
  })

  it('keeps a string argument that looks like the display form of the next one', () => {
    const params = signatureParams(
      signature('f', [
        ['a', 'string'],
        ['b', 'int'],
      ]),
    )
    expect(prefillArgs(params, ['x, b = 1', 2])).toEqual(['"x, b = 1"', '2'])
  })

  it('prefills neutral values without a test, or with arguments that do not match', () => {
    const params = signatureParams(
      signature('f', [
        ['s', 'string'],
        ['flags', 'map<string, bool>'],
        ['x', 'float?'],
      ]),
    )
    expect(prefillArgs(params)).toEqual(['""', '{}', 'null'])
    expect(prefillArgs(params, [1])).toEqual(['""', '{}', 'null'])
  })

  it('accepts arguments that fit the signature and returns them parsed', () => {
    expect(validateArgs(twoSum, ['[1, 2]', '3'])).toEqual({ ok: true, args: [[1, 2], 3] })
  })

  it('names the field and the path of an argument that does not fit', () => {
    const result = validateArgs(twoSum, ['[1, 2.5]', 'nine'])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors[0]).toContain('nums[1]: expected int')
    expect(result.errors[1]).toContain('Not valid JSON')
  })
})
