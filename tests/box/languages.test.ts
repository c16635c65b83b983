/**
 * Every process language through the real bubblewrap engine: hello world, the two-sum reference
 * solution, a wrong answer, a compile error and a runtime error in the candidate's own line
 * numbers, per-test console output, stdio comparison modes and custom input.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { loadChallenge } from '../../server/challenges/loadChallenges.ts'
import {
  createTestEngine,
  makeJob,
  runJob,
  stdioProblem,
  twoSumJob,
  type TestCase,
} from './boxTestKit.ts'

interface Snippets {
  extension: string
  wrong: string
  compileError: { source: string; location: RegExp }
  runtimeError: { source: string; message: RegExp; location: RegExp }
  /** Prints `target is <target>` and returns [0, 1]. */
  console: string
  /** stdio: reads a and b, prints a + b followed by a space. */
  sum: string
  /** stdio: reads a and b, prints a / b as the language prints a double. */
  ratio: string
}

const snippets: Record<'python' | 'java' | 'cpp' | 'go', Snippets> = {
  python: {
    extension: 'py',
    wrong: 'def two_sum(nums, target):\n    return [0, 0]\n',
    compileError: {
      source: 'def two_sum(nums, target):\n    total = 0\n    return total +\n',
      location: /solution\.py", line 3/,
    },
    runtimeError: {
      source:
        'def pick(nums):\n    return nums[100]\n\n\ndef two_sum(nums, target):\n    return [pick(nums)]\n',
      message: /IndexError: list index out of range/,
      location: /solution\.py", line 2, in pick/,
    },
    console: 'def two_sum(nums, target):\n    print("target is", target)\n    return [0, 1]\n',
    sum: 'import sys\n\na, b = map(int, sys.stdin.read().split())\nprint(a + b, "")\n',
    ratio: 'import sys\n\na, b = map(int, sys.stdin.read().split())\nprint(a / b)\n',
  },
  java: {
    extension: 'java',
    wrong:
      'class Solution {\n    public static long[] twoSum(long[] nums, long target) {\n        return new long[] {0, 0};\n    }\n}\n',
    compileError: {
      source:
        'class Solution {\n    public static long[] twoSum(long[] nums, long target) {\n        long x = 1\n        return new long[] {0, 1};\n    }\n}\n',
      location: /Solution\.java:3: error/,
    },
    runtimeError: {
      source:
        'class Solution {\n    static long pick(long[] nums) {\n        return nums[100];\n    }\n\n    public static long[] twoSum(long[] nums, long target) {\n        return new long[] {pick(nums)};\n    }\n}\n',
      message: /ArrayIndexOutOfBoundsException: Index 100 out of bounds/,
      location: /at Solution\.pick\(Solution\.java:3\)/,
    },
    console:
      'class Solution {\n    public static long[] twoSum(long[] nums, long target) {\n        System.out.println("target is " + target);\n        return new long[] {0, 1};\n    }\n}\n',
    sum: 'import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n        long a = in.nextLong(), b = in.nextLong();\n        System.out.println((a + b) + " ");\n    }\n}\n',
    ratio:
      'import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n        double a = in.nextLong(), b = in.nextLong();\n        System.out.println(a / b);\n    }\n}\n',
  },
  cpp: {
    extension: 'cpp',
    wrong:
      '#include <bits/stdc++.h>\nusing namespace std;\n\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    return {0, 0};\n}\n',
    compileError: {
      source:
        '#include <bits/stdc++.h>\nusing namespace std;\n\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    long long x = 1\n    return {0, 1};\n}\n',
      // g++ reports a missing ";" on the line that follows it.
      location: /solution\.cpp:6:\d+: error/,
    },
    runtimeError: {
      // _GLIBCXX_ASSERTIONS turns the bad index into an abort, which the harness traces.
      source:
        '#include <bits/stdc++.h>\nusing namespace std;\n\nlong long pick(vector<long long>& nums) {\n    return nums[100];\n}\n\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    return {pick(nums)};\n}\n',
      message: /crashed: SIGABRT/,
      location: /pick\(.*\) at solution\.cpp:5/,
    },
    console:
      '#include <bits/stdc++.h>\nusing namespace std;\n\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    cout << "target is " << target << endl;\n    return {0, 1};\n}\n',
    sum: '#include <iostream>\n\nint main() {\n    long long a, b;\n    std::cin >> a >> b;\n    std::cout << a + b << " " << std::endl;\n}\n',
    ratio:
      '#include <iostream>\n\nint main() {\n    double a, b;\n    std::cin >> a >> b;\n    std::cout << a / b << std::endl;\n}\n',
  },
  go: {
    extension: 'go',
    wrong: 'package main\n\nfunc twoSum(nums []int, target int) []int {\n\treturn []int{0, 0}\n}\n',
    compileError: {
      source:
        'package main\n\nfunc twoSum(nums []int, target int) []int {\n\tx := 1\n\treturn []int{0, 1}\n}\n',
      location: /solution\.go:4:\d+: x declared/,
    },
    runtimeError: {
      source:
        'package main\n\nfunc pick(nums []int) int {\n\treturn nums[100]\n}\n\nfunc twoSum(nums []int, target int) []int {\n\treturn []int{pick(nums)}\n}\n',
      message: /panic: runtime error: index out of range \[100\]/,
      location: /main\.pick\(.*\)\n\tsolution\.go:4/,
    },
    console:
      'package main\n\nimport "fmt"\n\nfunc twoSum(nums []int, target int) []int {\n\tfmt.Println("target is", target)\n\treturn []int{0, 1}\n}\n',
    sum: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int\n\tfmt.Scan(&a, &b)\n\tfmt.Println(fmt.Sprint(a+b) + " ")\n}\n',
    ratio:
      'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b float64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a / b)\n}\n',
  },
}

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

describe.each(Object.entries(snippets) as [LanguageId, Snippets][])(
  '%s in a box',
  (language, s) => {
    it('reports itself available with a version', async () => {
      const info = (await engine.probe()).find((l) => l.id === language)
      expect(info).toMatchObject({ available: true })
      expect(info?.version).toMatch(/\d+\.\d+/)
    })

    it('passes its hello-world self-test', async () => {
      const summary = await engine.selfTest(language)
      expect(summary).toMatchObject({ verdict: 'passed', passed: 1, total: 1 })
    })

    it('passes every two-sum test with the reference solution, hidden ones included', async () => {
      const challenge = await loadChallenge(
        new URL('../../challenges', import.meta.url).pathname,
        'two-sum',
      )
      const source = await readFile(
        new URL(`../../challenges/two-sum/solutions/solution.${s.extension}`, import.meta.url),
        'utf8',
      )
      const { summary, results, events } = await runJob(
        engine,
        makeJob({
          language,
          source,
          problem: challenge.problem,
          tests: challenge.tests.map((t) => ({
            name: t.name,
            hidden: t.hidden,
            ...('args' in t.input ? { args: t.input.args } : {}),
            expected: t.expected,
          })),
        }),
      )
      expect(summary).toMatchObject({ verdict: 'passed', passed: challenge.tests.length })
      expect(results.map((r) => r.verdict)).toEqual(challenge.tests.map(() => 'passed'))
      // Tests arrive in the job's order: visible first, then hidden.
      expect(results.map((r) => r.hidden)).toEqual(challenge.tests.map((t) => t.hidden))
      const stages = events.flatMap((e) => (e.type === 'stage' ? [e.stage] : []))
      expect(stages).toEqual(
        language === 'python' ? ['preparing', 'running'] : ['preparing', 'compiling', 'running'],
      )
    })

    it('fails a wrong answer with the first mismatch', async () => {
      const { summary, results } = await runJob(engine, twoSumJob(language, s.wrong))
      expect(summary).toMatchObject({
        verdict: 'failed',
        passed: 0,
        total: 3,
        message: 'Wrong answer on test 1 (0 of 3 tests passed)',
      })
      expect(results[0]).toMatchObject({
        verdict: 'failed',
        expected: '[0,1]',
        actual: '[0,0]',
        mismatch: 'at [1]: expected 1, got 0',
      })
    })

    it("reports a compile error in the candidate's own line numbers", async () => {
      const { summary, results } = await runJob(engine, twoSumJob(language, s.compileError.source))
      expect(summary.verdict).toBe('compile_error')
      expect(summary.compileOutput).toMatch(s.compileError.location)
      expect(results).toEqual([])
    })

    it("shows a runtime error with a stack trace in the candidate's own line numbers", async () => {
      const { summary, results } = await runJob(engine, twoSumJob(language, s.runtimeError.source))
      expect(summary.verdict).toBe('runtime_error')
      const error = results[0]?.error
      expect(error?.message).toMatch(s.runtimeError.message)
      expect(error?.stack).toMatch(s.runtimeError.location)
      expect(error?.stack).not.toMatch(/harness|tandem_/i)
    })

    it("shows each test's own console output", async () => {
      const { summary, results } = await runJob(engine, twoSumJob(language, s.console))
      expect(summary.verdict).toBe('failed')
      expect(results.map((r) => r.stdout)).toEqual([
        'target is 9\n',
        'target is 6\n',
        'target is 6\n',
      ])
    })

    it('judges stdout exactly, or ignoring trailing whitespace, as the problem says', async () => {
      const cases: TestCase[] = [
        { stdin: '1 2\n', expected: '3 \n' },
        { stdin: '1 2\n', expected: '3\n' },
      ]
      const exact = await runJob(
        engine,
        makeJob({ language, source: s.sum, problem: stdioProblem('exact'), tests: cases }),
      )
      expect(exact.results.map((r) => r.verdict)).toEqual(['passed', 'failed'])
      expect(exact.results[1]?.mismatch).toBe('line 1: expected "3", got "3 "')
      const loose = await runJob(
        engine,
        makeJob({ language, source: s.sum, problem: stdioProblem('whitespace'), tests: cases }),
      )
      expect(loose.results.map((r) => r.verdict)).toEqual(['passed', 'passed'])
    })

    it('judges stdout token by token with a float tolerance', async () => {
      const { summary } = await runJob(
        engine,
        makeJob({
          language,
          source: s.ratio,
          problem: stdioProblem('tokens'),
          tests: [{ stdin: '1 3', expected: '0.333333' }],
        }),
      )
      expect(summary.verdict).toBe('passed')
    })

    it('runs custom input without judging it', async () => {
      const fn = await runJob(
        engine,
        makeJob({
          language,
          source: s.console,
          problem: twoSumJob(language, '').problem,
          tests: [{ args: [[5, 6], 11] }],
          mode: 'custom',
        }),
      )
      expect(fn.summary).toMatchObject({ verdict: 'passed', message: 'Ran without errors' })
      expect(fn.results[0]).toMatchObject({ actual: '[0,1]', stdout: 'target is 11\n' })
      expect(fn.results[0]?.expected).toBeUndefined()
      const stdio = await runJob(
        engine,
        makeJob({
          language,
          source: s.sum,
          problem: stdioProblem(),
          tests: [{ stdin: '40 2' }],
          mode: 'custom',
        }),
      )
      expect(stdio.results[0]).toMatchObject({ verdict: 'passed', actual: '42 \n' })
    })
  },
)
