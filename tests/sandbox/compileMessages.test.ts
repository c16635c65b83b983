import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import { compileMessage } from '../../sandbox/summarize.ts'
import { LocalRunner } from '../../server/runner/LocalRunner.ts'
import { testCacheDir, twoSumJob } from '../box/boxTestKit.ts'
import { collect, jsJob } from './jsKit.ts'

/** Each program has a typo a candidate makes: a missing bracket or semicolon. */
const broken: Record<LanguageId, string> = {
  javascript: 'function twoSum(nums, target) {\n  return [0, 1\n}\n',
  typescript: 'function twoSum(nums: number[], target: number): number[] {\n  return [0, 1\n}\n',
  python: 'def two_sum(nums, target):\n    return [0, 1\n',
  java: 'class Solution {\n  public static long[] twoSum(long[] nums, long target) { return new long[] {0, 1} }\n}\n',
  cpp: 'using namespace std;\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n  return {0, 1}\n}\n',
  go: 'package main\n\nfunc twoSum(nums []int, target int) []int {\n  return []int{0, 1\n}\n',
}

/** Where each compiler reports the error (some only when the next line shows it is missing a `;`). */
const errorLine: Record<LanguageId, number> = {
  javascript: 3,
  typescript: 3,
  python: 2,
  java: 2,
  cpp: 3,
  go: 4,
}

describe('compile errors', () => {
  let runner: LocalRunner
  beforeAll(() => {
    runner = new LocalRunner({ concurrency: 2, env: { TANDEM_BOX_CACHE_DIR: testCacheDir } })
  })
  afterAll(() => runner.close())

  it.each(Object.keys(broken) as LanguageId[])(
    'read the same in %s: the verdict, the line, and the compiler’s own words',
    async (language) => {
      const source = broken[language]
      const job =
        language === 'javascript' || language === 'typescript'
          ? jsJob({ code: source, language })
          : twoSumJob(language, source)
      const { summary, results } = await collect(runner, job)
      expect(summary.verdict).toBe('compile_error')
      expect(results).toEqual([])
      expect(summary.compileOutput).toBeTruthy()
      expect(summary.message).toMatch(
        new RegExp(`^Compile error at line ${errorLine[language]}\\b`),
      )
    },
    120_000,
  )

  it('fall back to the first line of output when no format matches', () => {
    expect(compileMessage('linker exploded\nmore')).toBe('Compile error: linker exploded')
    expect(compileMessage('')).toBe('Compile error')
  })
})
