/**
 * A solution in several files, in a box (issue 14 B.4): the candidate's other files sit beside the
 * solution in /box, at their paths relative to the solution's folder, and each language uses them
 * as it would on a laptop — Python imports them, C++ links its other units and includes its
 * headers, Go compiles the package's other files, Java compiles every class. A file may not take a
 * name the runner writes itself. Through the real bubblewrap engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanguageId } from '../../protocol/languages.ts'
import type { RunJob } from '../../protocol/run.ts'
import type { BoxEngine } from '../../sandbox/box/BoxEngine.ts'
import { createTestEngine, makeJob, runJob, stdioProblem, twoSumJob } from './boxTestKit.ts'

let engine: BoxEngine

beforeAll(async () => {
  engine = createTestEngine()
  await engine.warm()
}, 300_000)

afterAll(async () => {
  await engine.close()
})

/** `job` with its solution at `two-sum/<entryName>` and `files` beside it. */
function inTree(job: RunJob, entryName: string, files: Record<string, string>): RunJob {
  const source = job.files[0]?.content ?? ''
  const entry = `two-sum/${entryName}`
  return {
    ...job,
    entry,
    files: [
      { path: entry, content: source },
      ...Object.entries(files).map(([path, content]) => ({ path: `two-sum/${path}`, content })),
    ],
  }
}

interface TreeCase {
  entryName: string
  solution: string
  files: Record<string, string>
}

const functionCases: Record<'python' | 'cpp' | 'go' | 'java', TreeCase> = {
  python: {
    entryName: 'solution.py',
    solution:
      'from pairs import find_pair\nfrom lib.scale import unit\n\n\ndef two_sum(nums, target):\n    return find_pair(nums, target * unit())\n',
    files: {
      'pairs.py':
        'def find_pair(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n    return []\n',
      'lib/__init__.py': '',
      'lib/scale.py': 'def unit():\n    return 1\n',
    },
  },
  cpp: {
    entryName: 'solution.cpp',
    solution:
      '#include <bits/stdc++.h>\n#include "lib/pairs.hpp"\nusing namespace std;\n\nvector<long long> twoSum(vector<long long>& nums, long long target) {\n    return findPair(nums, target);\n}\n',
    files: {
      'lib/pairs.hpp':
        '#pragma once\n#include <vector>\nstd::vector<long long> findPair(const std::vector<long long>& nums, long long target);\n',
      'pairs.cpp':
        '#include "lib/pairs.hpp"\n#include <unordered_map>\n\nstd::vector<long long> findPair(const std::vector<long long>& nums, long long target) {\n    std::unordered_map<long long, long long> seen;\n    for (long long i = 0; i < (long long)nums.size(); i++) {\n        auto it = seen.find(target - nums[i]);\n        if (it != seen.end()) return {it->second, i};\n        seen[nums[i]] = i;\n    }\n    return {};\n}\n',
    },
  },
  go: {
    entryName: 'solution.go',
    solution:
      'package main\n\nfunc twoSum(nums []int, target int) []int {\n\treturn findPair(nums, target)\n}\n',
    files: {
      'pairs.go':
        'package main\n\nfunc findPair(nums []int, target int) []int {\n\tseen := map[int]int{}\n\tfor i, n := range nums {\n\t\tif j, ok := seen[target-n]; ok {\n\t\t\treturn []int{j, i}\n\t\t}\n\t\tseen[n] = i\n\t}\n\treturn nil\n}\n',
      // A test file of the candidate's is theirs to keep, not part of the program.
      'pairs_test.go': 'package main\n\nthis is not compiled\n',
    },
  },
  java: {
    entryName: 'Solution.java',
    solution:
      'class Solution {\n    public static long[] twoSum(long[] nums, long target) {\n        return Pairs.find(nums, target);\n    }\n}\n',
    files: {
      'Pairs.java':
        'import java.util.*;\n\nclass Pairs {\n    static long[] find(long[] nums, long target) {\n        Map<Long, Integer> seen = new HashMap<>();\n        for (int i = 0; i < nums.length; i++) {\n            Integer j = seen.get(target - nums[i]);\n            if (j != null) return new long[] {j, i};\n            seen.put(nums[i], i);\n        }\n        return new long[0];\n    }\n}\n',
    },
  },
}

describe.each(Object.entries(functionCases) as [LanguageId, TreeCase][])(
  '%s with files beside the solution',
  (language, tree) => {
    it('passes every test using code from the other files', async () => {
      const { summary, results } = await runJob(
        engine,
        inTree(twoSumJob(language, tree.solution), tree.entryName, tree.files),
      )
      expect({ verdict: summary.verdict, message: summary.message }).toEqual({
        verdict: 'passed',
        message: 'All 3 tests passed',
      })
      expect(results.map((r) => r.verdict)).toEqual(['passed', 'passed', 'passed'])
    })
  },
)

describe('stdio programs with files beside them', () => {
  it('python imports a module from the script’s folder', async () => {
    const job = makeJob({
      language: 'python',
      source:
        'import sys\nfrom calc import add\n\na, b = map(int, sys.stdin.read().split())\nprint(add(a, b))\n',
      problem: stdioProblem(),
      tests: [{ stdin: '2 3\n', expected: '5\n' }],
    })
    const { summary } = await runJob(
      engine,
      inTree(job, 'solution.py', { 'calc.py': 'def add(a, b):\n    return a + b\n' }),
    )
    expect(summary.verdict).toBe('passed')
  })

  it('c++ reads a header beside it', async () => {
    const job = makeJob({
      language: 'cpp',
      source:
        '#include <iostream>\n#include "calc.hpp"\n\nint main() {\n    long long a, b;\n    std::cin >> a >> b;\n    std::cout << add(a, b) << "\\n";\n}\n',
      problem: stdioProblem(),
      tests: [{ stdin: '2 3\n', expected: '5\n' }],
    })
    const { summary } = await runJob(
      engine,
      inTree(job, 'solution.cpp', {
        'calc.hpp': 'inline long long add(long long a, long long b) { return a + b; }\n',
      }),
    )
    expect(summary.verdict).toBe('passed')
  })
})

describe('a file named like the runner’s own', () => {
  it.each([
    ['python', 'solution.py', 'harness.py'],
    ['cpp', 'solution.cpp', 'tandem_harness.hpp'],
    ['java', 'Solution.java', 'TandemHarness.java'],
    ['go', 'solution.go', 'out/prog'],
  ] as const)(
    'is a compile error that names it, in %s (%s beside %s)',
    async (language, entryName, clash) => {
      const job = inTree(twoSumJob(language, functionCases[language].solution), entryName, {
        ...functionCases[language].files,
        [clash]: 'candidate content',
      })
      const { summary, results } = await runJob(engine, job)
      expect(summary.verdict).toBe('compile_error')
      expect(summary.compileOutput).toBe(
        `${clash}: the runner uses this name itself; rename the file.`,
      )
      expect(results).toEqual([])
    },
  )
})
