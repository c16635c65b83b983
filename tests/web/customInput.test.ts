import { describe, expect, it } from 'vitest'
import { parseSignatureParams, prefillArgs, validateArgs } from '../../web/src/run/customInput.ts'

function params(signature: string) {
  const parsed = parseSignatureParams(signature)
  if (parsed === null) throw new Error(`signature did not parse: ${signature}`)
  return parsed
}

describe('custom input', () => {
  it('reads the parameters of a displayed signature', () => {
    expect(
      params('twoSum(nums: int[], target: int) -> int[]').map((p) => [p.name, p.typeText]),
    ).toEqual([
      ['nums', 'int[]'],
      ['target', 'int'],
    ])
  })

  it('does not split a map type at the comma inside it', () => {
    expect(params('group(m: map<string, int[]>, k: int) -> int').map((p) => p.typeText)).toEqual([
      'map<string, int[]>',
      'int',
    ])
  })

  it('reads a signature without parameters', () => {
    expect(params('answer() -> int')).toEqual([])
  })

  it('rejects a signature with an unknown type', () => {
    expect(parseSignatureParams('f(x: integer) -> int')).toBeNull()
  })

  it('prefills the fields from a test input in display form', () => {
    const p = params('twoSum(nums: int[], target: int) -> int[]')
    expect(prefillArgs(p, 'nums = [2,7,11,15], target = 9')).toEqual(['[2,7,11,15]', '9'])
  })

  it('prefills neutral values when the test input does not split cleanly', () => {
    const p = params('f(s: string, flags: map<string, bool>, x: float?) -> int')
    expect(prefillArgs(p, 'something else')).toEqual(['""', '{}', 'null'])
  })

  it('keeps a string argument that itself contains the next parameter name', () => {
    const p = params('f(a: string, b: int) -> int')
    expect(prefillArgs(p, 'a = "x, b = 1", b = 2')).toEqual(['"x, b = 1"', '2'])
  })

  it('accepts arguments that fit the signature and returns them parsed', () => {
    const p = params('twoSum(nums: int[], target: int) -> int[]')
    expect(validateArgs(p, ['[1, 2]', '3'])).toEqual({ ok: true, args: [[1, 2], 3] })
  })

  it('names the field and the path of an argument that does not fit', () => {
    const p = params('twoSum(nums: int[], target: int) -> int[]')
    const result = validateArgs(p, ['[1, 2.5]', 'nine'])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors[0]).toContain('nums[1]: expected int')
    expect(result.errors[1]).toContain('Not valid JSON')
  })
})
