/**
 * The host's parsing of candidate-controlled text is linear and bounded (issue 13). Each input
 * here is the adversarial shape that used to make a pass quadratic or a walk overflow the stack;
 * the tests assert what comes out (speed is bench/'s business): a quadratic pass would still
 * finish these, but the shapes stay so a regression shows as the wrong output or a hang.
 */
import { describe, expect, it } from 'vitest'
import {
  candidateFrames,
  readableCppNames,
  stripAllocators,
  traceLimits,
} from '../../sandbox/box/RunContext.ts'
import {
  canonicalJson,
  maxValueDepth,
  nestedDeeperThan,
  parseCandidateValue,
  tooDeepMessage,
} from '../../sandbox/judge.ts'
import { compileMessage } from '../../sandbox/summarize.ts'

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`

describe('the depth check of a returned value', () => {
  it('allows exactly maxValueDepth levels and refuses one more', () => {
    expect(nestedDeeperThan(nested(maxValueDepth), maxValueDepth)).toBe(false)
    expect(nestedDeeperThan(nested(maxValueDepth + 1), maxValueDepth)).toBe(true)
    expect(nestedDeeperThan('{"a":{"b":[1,{"c":[]}]}}', 3)).toBe(true)
    expect(nestedDeeperThan('{"a":{"b":[1,{"c":[]}]}}', 5)).toBe(false)
  })

  it('does not count brackets inside strings, escaped quotes included', () => {
    // A string of 50 000 brackets is one level deep, whatever it holds.
    expect(nestedDeeperThan(JSON.stringify(['['.repeat(50_000)]), 1)).toBe(false)
    // `"\"[[[["`: the escaped quote does not end the string, so its brackets stay inside it.
    expect(nestedDeeperThan(JSON.stringify(['"[[[[', '\\', '\\"{{']), 1)).toBe(false)
  })

  // How the attack worked: Python's `x = []; for _ in range(50000): x = [x]; return x` (or a
  // forged result frame from C++ or Go) handed the host 50 000 levels, and canonicalJson's
  // recursion overflowed the sandbox process's stack.
  it('turns a 50 000-level value into the too-deep message instead of a walk', () => {
    expect(parseCandidateValue(nested(50_000))).toEqual({ ok: false, message: tooDeepMessage })
    expect(tooDeepMessage).toBe('The return value is nested deeper than 1000 levels')
    expect(parseCandidateValue('[1,[2]]')).toEqual({ ok: true, value: [1, [2]] })
    expect(parseCandidateValue('[1,').ok).toBe(false)
  })

  it('keeps canonicalJson total up to the limit and throws a RangeError, not a stack overflow, past it', () => {
    const parsed = parseCandidateValue(nested(maxValueDepth))
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(canonicalJson(parsed.value)).toBe(nested(maxValueDepth))
    let deep: unknown = []
    for (let i = 0; i < 50_000; i++) deep = [deep]
    expect(() => canonicalJson(deep)).toThrow(tooDeepMessage)
  })
})

describe('the C++ name cleaner', () => {
  it('drops allocators the way the old repeat-until-stable regex did', () => {
    expect(
      readableCppNames('twoSum(std::vector<long long, std::allocator<long long> >&, long long)'),
    ).toBe('twoSum(std::vector<long long>&, long long)')
    expect(
      stripAllocators(
        'f(std::vector<std::vector<int, std::allocator<int> >, std::allocator<std::vector<int, std::allocator<int> > > >)',
      ),
    ).toBe('f(std::vector<std::vector<int>>)')
    expect(
      readableCppNames(
        'g(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)',
      ),
    ).toBe('g(std::string const&)')
  })

  it('leaves an allocator that does not close its template, and unbalanced brackets, alone', () => {
    expect(stripAllocators('h(std::map<int, std::allocator<int>, x>)')).toBe(
      'h(std::map<int, std::allocator<int>, x>)',
    )
    expect(stripAllocators('operator<<(a, std::allocator<')).toBe('operator<<(a, std::allocator<')
  })

  // How the attack worked: a C++ program wrote a fake crash frame followed by one "stack" line of
  // N nested `, std::allocator<`; the regex pass removed one level per pass over the whole line,
  // so 40 000 levels took ~97 s on the sandbox's main thread.
  it('strips 40 000 nested allocators in one pass', () => {
    const forged = (levels: number): string =>
      `f(v<int${', std::allocator<int'.repeat(levels)}${' >'.repeat(levels)} >)`
    expect(stripAllocators(forged(40_000))).toBe('f(v<int>)')
    // Unclosed, they all stay.
    const open = `v<int${', std::allocator<int'.repeat(40_000)}`
    expect(stripAllocators(open)).toBe(open)
  })

  it('agrees with the old repeat-until-stable regex on small nested shapes', () => {
    const old = (line: string): string => {
      let text = line
      for (let before = ''; before !== text;) {
        before = text
        text = text.replace(/, std::allocator<(?:[^<>]|<[^<>]*>)*> >/g, '>')
      }
      return text
    }
    for (const levels of [1, 2, 3, 7, 30]) {
      const shapes = [
        `v<int${', std::allocator<int'.repeat(levels)}${' >'.repeat(levels)}`,
        `f(v<int${', std::allocator<int'.repeat(levels)}${' >'.repeat(levels)} >)`,
        `f(v<int${', std::allocator<int'.repeat(levels)}${'> '.repeat(levels)}>)`,
        `${'v<'.repeat(levels)}int${', std::allocator<int> >'.repeat(levels)}`,
      ]
      for (const shape of shapes) expect(stripAllocators(shape)).toBe(old(shape))
    }
  })

  it('reads a bounded number of trace lines of bounded length', () => {
    const long = `solve(${'x'.repeat(10_000)}) at solution.cpp:3`
    const frames = candidateFrames(
      `${long}\n${'f() at solution.cpp:1\ng() at solution.cpp:2\n'.repeat(5_000)}`,
      'solution.cpp',
    )
    const lines = frames.split('\n')
    // The 10 000-character line was cut before its `solution.cpp:` and is not a frame at all.
    expect(lines[0]).toBe('f() at solution.cpp:1')
    expect(lines).toHaveLength(traceLimits.shownLines + 1)
    expect(lines.at(-1)).toMatch(/^ {2}… \d+ more lines$/)
    expect(frames.length).toBeLessThan(traceLimits.shownLines * traceLimits.lineChars)
  })
})

describe('the compile message finder', () => {
  // How it could have been slow: /line (\d+)[\s\S]*?^(\w*Error: .+)$/m tried each `line N` and
  // scanned the rest of the output from it, so output full of `line 1` with no error line was
  // quadratic; compiler output (up to 1 MiB) echoes the candidate's source.
  it("finds Python's line and error in one forward search", () => {
    expect(
      compileMessage(
        '  File "solution.py", line 3\n    x = (\n        ^\nSyntaxError: \'(\' was never closed\n',
      ),
    ).toBe("Compile error at line 3: SyntaxError: '(' was never closed")
    expect(compileMessage(`${'line 1 '.repeat(100_000)}\n`)).toBe(
      `Compile error: ${'line 1 '.repeat(100_000).trim().slice(0, 200)}`,
    )
  })
})
