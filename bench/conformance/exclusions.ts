/**
 * Rows whose known-good program cannot pass in any correct runner: the data is wrong, or the
 * solution needs something a sandbox must not have. Each was checked by reading the row (and,
 * where said, by running it outside the sandbox); docs/CONFORMANCE.md gives the evidence.
 * Excluded rows still run and are reported apart; their mutants still count.
 */
import type { ConformanceLanguage, Dataset } from './ConformanceCase.ts'
import { problemNumber } from './loadRows.ts'

/** Defects of HumanEval-X's JavaScript solutions, by problem number. */
const javaScriptDefects: Record<number, string> = {
  112:
    'defective data: the solution returns `(z, false)` (the comma operator, so just `false`) ' +
    'where the tests expect `[string, boolean]`',
  155:
    'defective data: the solution counts the parity of the whole number, not of each digit, ' +
    'and gives [0, 0] for 0 where the tests expect [1, 0]',
  162: "needs the npm package js-md5 (`require('js-md5')`); the sandbox has no packages",
}

/** Where HumanEval-X's JavaScript solution and MultiPL-E's tests cannot agree. */
const pairingDefects: Record<number, string> = {
  87:
    'defective solution: HumanEval-X pushes `(i, j)` (the comma operator, so just `j`) where ' +
    'MultiPL-E expects `[i, j]` pairs; HumanEval-X’s own tests accept the flat list',
  92:
    'untranslatable test: MultiPL-E asserts any_int(3.0, 4, 7) is false (3.0 is a float in ' +
    'Python), but JavaScript cannot tell 3.0 from 3',
  103:
    'rounding: MultiPL-E expects Python’s round-half-to-even (rounded_avg(964, 977) is ' +
    '0b1111001010); the JavaScript solution uses Math.round',
}

const byRow: Partial<
  Record<Dataset, Partial<Record<ConformanceLanguage, Record<number, string>>>>
> = {
  'humaneval-x': {
    javascript: javaScriptDefects,
    cpp: {
      22: 'needs Boost (`#include <boost/any.hpp>`), which the machine does not have',
      137: 'needs Boost (`#include <boost/any.hpp>`), which the machine does not have',
      162: 'needs OpenSSL’s libcrypto at link time (`MD5_Init`); the runner links no libraries',
    },
    go: {
      95:
        'flaky data: the solution decides after the first two keys, taken in Go’s randomised ' +
        'map order; it failed 14 of 40 plain `go build` runs outside the sandbox',
    },
  },
  // MultiPL-E has no solutions: its JavaScript and TypeScript rows borrow HumanEval-X's
  // JavaScript ones, defects included, and meet tests written from the Python original.
  'multipl-e': {
    javascript: {
      ...javaScriptDefects,
      ...pairingDefects,
      51:
        'defective data: the JavaScript tests hold a raw newline inside a double-quoted string ' +
        '(`"abcdef⏎ghijklm"`), a SyntaxError in any engine; the TypeScript tests escape it',
    },
    typescript: { ...javaScriptDefects, ...pairingDefects },
  },
}

/** Why the row's known-good program is expected to fail, or undefined. */
export function exclusionOf(
  dataset: Dataset,
  language: ConformanceLanguage,
  id: string,
): string | undefined {
  return byRow[dataset]?.[language]?.[problemNumber(id)]
}
