/**
 * Mutants that survive — pass their row's own tests — in the full conformance run, inside the
 * sandbox and outside it alike (`--compare-outside`; docs/CONFORMANCE.md). None is a runner
 * failure: the mutant is **equivalent** (no valid input tells it apart from the solution) or the
 * row's tests never try the input that would (**untested**). Each was read by hand.
 *
 * The CI sample accepts these survivors and no others; the command lists survivors not found
 * here as new.
 */
import type { ProgramOutcome } from './runConformance.ts'
import { problemNumber } from './loadRows.ts'

type Reason = `equivalent: ${string}` | `untested: ${string}`

const firstPair = 'untested: a close pair that involves the first element'
const isPrimeOfTwo = 'untested: 2 is no longer prime, and no test asks about 2'
const oneElement = 'untested: a one-element input'
const symmetricLoop =
  'equivalent: the inner loop visits every index, so the skipped pair is seen reversed'
const capacity = 'equivalent: one more slot of capacity, never read'
const sentinel = 'equivalent: a sentinel the first element always replaces'
const negativeLimit = 'equivalent: any negative limit means "no limit"'
const bracket =
  'untested: the root-bracketing loop stops sooner; bisection still finds a root, which is all the tests check'
const countPastOne =
  'equivalent: a repeat now counts 3 instead of 2; the filter only keeps counts ≤ 1'

/** HumanEval and HumanEval-X Python (the same solutions), by problem number. */
const python: Record<number, Reason> = {
  31: isPrimeOfTwo,
  32: bracket,
  35: 'untested: the maximum starts at l[1]; only a one-element list (IndexError) differs',
  40: 'untested: j starts at i + 2, so triples of neighbours are skipped',
  43: 'untested: j starts at i + 2, so pairs of neighbours are skipped',
  59: 'untested: the primality helper rejects 2; no tested number has 2 as largest prime factor',
  68: 'untested: a one-element array returns []',
  75: 'untested: the primality helper skips 2, so powers of two pass as prime',
  95: 'untested: a one-key dict returns False',
  99: 'untested: trailing zeros are stripped only after two dots; no tested value has them',
  108: 'equivalent: doubling the first digit of a non-negative number never changes whether its digit sum is > 0',
  116: 'untested: every positive count drops by one, which reorders only arrays mixing signs',
  129: sentinel,
  147: 'equivalent: each value grows by 1, so a sum of three grows by 3 and keeps its remainder mod 3',
  154: 'equivalent: the extra window is shorter than the pattern and never matches',
}

/** HumanEval-X JavaScript, also borrowed by MultiPL-E JavaScript and TypeScript. */
const javascript: Record<number, Reason> = {
  0: symmetricLoop,
  5: 'untested: a one-element list returns [] instead of [n]',
  12: 'untested: a one-element list returns undefined (MultiPL-E’s tests)',
  20: symmetricLoop,
  24: 'untested: only n = 2 differs (its divisor n − 1 = 1 is skipped)',
  26: countPastOne,
  31: isPrimeOfTwo,
  32: bracket,
  48: 'equivalent: the first/last comparison is repeated at i = length − 1',
  59: 'untested: the primality helper rejects 2; no tested number has 2 as largest prime factor',
  68: oneElement,
  69: capacity,
  75: 'untested: the primality helper skips 2, so powers of two pass as prime',
  94: 'untested: a list with no prime greater than 1',
  97: 'equivalent: negating 0 changes nothing',
  101: 'untested: input that starts with a space or comma',
  123: 'equivalent: `while (2)` is `while (1)`',
  126: 'equivalent: a one-element list is sorted either way',
  129: 'equivalent: the start cell is overwritten once the 1 is found, and every grid has a 1',
  135: 'equivalent: a one-element array answers −1 either way',
  148: 'untested: an unknown first planet',
  153: 'equivalent: the first extension examined always replaces the initial index',
  158: sentinel,
}

const java: Record<number, Reason> = {
  0: firstPair,
  6: 'untested: a one-character group',
  20: 'untested: the first two numbers being the closest pair',
  24: 'equivalent: skipping n − 1 matters only for n = 2, where the fallback returns 1 anyway',
  31: isPrimeOfTwo,
  32: 'untested: bisection starts from [−2, 1] and may find another root, which the tests accept',
  39: 'equivalent: the sequence starts 1, 1 instead of 0, 1, skipping only the non-prime 1',
  48: 'equivalent: the first/last comparison is repeated at i = length − 1',
  59: 'equivalent: every n > 1 has a prime factor ≥ 2 that replaces the start value',
  68: oneElement,
  69: capacity,
  75: 'untested: the primality helper skips 2, so powers of two pass as prime',
  94: 'untested: a list with no prime (answers 1 instead of 0)',
  99: 'untested: values with a trailing zero after the decimal point',
  116: 'equivalent: a comparator’s sign is what counts, not its size',
  126: 'untested: three equal numbers at the very start',
  129: sentinel,
  134: negativeLimit,
  137: 'equivalent: the start value is always overwritten (a is an Integer, Double or String)',
  158: 'equivalent: a comparator’s sign is what counts, not its size',
}

const cpp: Record<number, Reason> = {
  0: firstPair,
  5: oneElement,
  9: 'untested: a list whose values start below 1',
  17: 'untested: a one-character string',
  20: firstPair,
  21: sentinel,
  26: 'untested: a duplicated first element',
  31: isPrimeOfTwo,
  34: 'untested: a first element that occurs only once',
  35: sentinel,
  38: 'equivalent: `num` is computed and never used',
  46: capacity,
  52: 'untested: only the first element reaching the threshold',
  55: capacity,
  63: capacity,
  68: 'untested: the smallest even value at index 0',
  94: 'untested: a list with no number greater than 1',
  111: 'equivalent: any non-empty input has a count of at least 1',
  126: 'untested: a list unsorted only in its first two elements',
  144: 'equivalent: a fraction never starts with its slash',
  148: 'untested: an unknown first planet',
  153: sentinel,
}

const go: Record<number, Reason> = {
  0: firstPair,
  4: 'equivalent: an extra 0 in the list being summed',
  11: 'equivalent: both numbers gain the same leading bit, which the XOR cancels',
  13: 'untested: b = 2 returns 2 without checking a',
  21: 'equivalent: the loop visits every element, so the start value does not matter',
  24: 'untested: n = 2 (returns 0 instead of 1)',
  26: countPastOne,
  29: 'untested: a one-element list returns []',
  31: isPrimeOfTwo,
  32: bracket,
  35: 'equivalent: the loop visits every element, so the start value does not matter',
  36: 'equivalent: an extra 0 among the numbers whose 7s are counted',
  50: 'equivalent: `newRunes` is never returned (the solution returns its input, and so does the prompt’s EncodeShift, so the round-trip test passes)',
  57: 'untested: a two-element list',
  61: negativeLimit,
  63: 'equivalent: fibfib(1) is 0 either way',
  66: 'untested: a one-character string',
  91: negativeLimit,
  95: 'untested: a one-key map (the row itself is flaky; see exclusions)',
  99: 'untested: values with a trailing zero after the decimal point',
  108: 'equivalent: doubling the first digit of a non-negative number never changes whether its digit sum is > 0',
  111: 'equivalent: any non-empty input has a count of at least 1',
  116: 'equivalent: every bit count grows by one, so the order is the same',
  124: 'equivalent: a fourth part fails the length check where the third part failed to parse',
  129: sentinel,
  137: 'equivalent: strconv.ParseFloat treats every bit size but 32 as 64',
  142: 'equivalent: an extra 0 in the list being summed',
  148: 'untested: an unknown first planet',
  153: 'untested: a one-extension list (index out of range)',
}

const offByOne: Record<string, Record<number, Reason>> = {
  'humaneval python': python,
  'humaneval-x python': python,
  'humaneval-x javascript': javascript,
  'multipl-e javascript': javascript,
  'multipl-e typescript': javascript,
  'humaneval-x java': java,
  'humaneval-x cpp': cpp,
  'humaneval-x go': go,
}

const emptyReturn: Record<string, Record<number, Reason>> = {
  'humaneval-x cpp': {
    23: `equivalent: the tests call strlen("x") with string literals, which pick C’s strlen(const char*) over the solution’s strlen(string) whenever <cstring> is visible (the runner’s -include <bits/stdc++.h>; CodeGeeX’s harness adds <cstring> too)`,
  },
}

/** Why this mutant is known to survive, or undefined if it should have been killed. */
export function knownSurvivor(
  outcome: Pick<ProgramOutcome, 'dataset' | 'language' | 'id' | 'kind'>,
): Reason | undefined {
  const table = outcome.kind === 'off-by-one' ? offByOne : emptyReturn
  return table[`${outcome.dataset} ${outcome.language}`]?.[problemNumber(outcome.id)]
}
