/**
 * The pure parser: a challenge's files in, a challenge and its content-hash version out, or
 * problems naming file and field. No folder is involved: the files are a plain object, as a
 * store source will hand them over.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ChallengeFileSet } from '../../server/challenges/ChallengeSource.ts'
import { parseChallenge, type Challenge } from '../../server/challenges/parseChallenge.ts'
import { readChallengeFolder } from '../../server/challenges/readChallengeFolder.ts'

const twoSum = await readChallengeFolder('challenges/two-sum')

function parsed(files: ChallengeFileSet, slug = 'two-sum'): Challenge {
  const result = parseChallenge(slug, files)
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.challenge
}

const withCrlf = (files: ChallengeFileSet): ChallengeFileSet =>
  Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace(/\n/g, '\r\n')]))

describe('the challenge parser', () => {
  it('parses files held in memory, with no folder behind them', () => {
    const challenge = parsed(twoSum)
    expect(challenge.title).toBe('Two Sum')
    expect(challenge.tests.length).toBeGreaterThan(1)
    expect(challenge.version).toMatch(/^[0-9a-f]{16}$/)
  })

  it('names the file and field of a bad value, and of a missing file', () => {
    const badTests = { ...twoSum, 'tests.json': '{"tests":[{"name":"x","input":{},"expected":1}]}' }
    const result = parseChallenge('two-sum', badTests)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems[0]).toMatchObject({ file: 'two-sum/tests.json', field: 'tests.0.input' })

    const { 'statement.md': _statement, ...noStatement } = twoSum
    const missing = parseChallenge('two-sum', noStatement)
    expect(missing.ok ? [] : missing.problems).toEqual([
      { file: 'two-sum/statement.md', field: '', message: 'file is missing or empty' },
    ])
  })

  it('reads known-bad solutions from bad/, each named by its mistake, and refuses a file it cannot run', () => {
    const challenge = parsed(twoSum)
    expect(challenge.knownBad.map((bad) => [bad.name, bad.language])).toEqual([
      ['quadratic-pairs', 'python'],
      ['returns-larger-index-first', 'python'],
      ['uses-an-element-twice', 'javascript'],
    ])
    // They are part of the version: a mistake the tests must catch is part of the challenge.
    const more = {
      ...twoSum,
      'bad/off-by-one.py': 'def two_sum(nums, target):\n    return [1, 2]\n',
    }
    expect(parsed(more).version).not.toBe(challenge.version)
    for (const file of ['bad/Notes.py', 'bad/readme.txt', 'bad/deeper/x.py']) {
      const result = parseChallenge('two-sum', { ...twoSum, [file]: 'x' })
      expect(result.ok ? [] : result.problems.map((p) => p.file)).toEqual([`two-sum/${file}`])
    }
  })

  it('refuses a statement that shows a hidden test’s input, even reformatted, naming the test', () => {
    // The hidden "negative numbers" test's input, pasted into the statement as an example.
    const statement = `${twoSum['statement.md'] ?? ''}\nAnother example:\n\n    nums = [ -1, -2, -3, -4, -5 ]\n`
    const result = parseChallenge('two-sum', { ...twoSum, 'statement.md': statement })
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file: 'two-sum/statement.md',
        field: '',
        message:
          'shows the input of the hidden test "negative numbers" ([-1,-2,-3,-4,-5]); make that test visible, or change the example',
      },
    ])
  })

  it('refuses tests with none hidden: the examples alone must not be enough to pass', () => {
    const tests = JSON.parse(twoSum['tests.json'] ?? '') as { tests: { hidden?: boolean }[] }
    const visible = { tests: tests.tests.map(({ hidden: _hidden, ...test }) => test) }
    const result = parseChallenge('two-sum', { ...twoSum, 'tests.json': JSON.stringify(visible) })
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'at least one test must be hidden: code written to the visible examples alone must not pass',
    ])
  })

  it('gives the same version whatever the line endings and the order the files were read in', () => {
    const reversed = Object.fromEntries(Object.entries(twoSum).reverse())
    const version = parsed(twoSum).version
    expect(parsed(reversed).version).toBe(version)
    expect(parsed(withCrlf(twoSum)).version).toBe(version)
    // The normalised texts are what is kept, so a stored version parses to the same one again.
    expect(parsed(parsed(withCrlf(twoSum)).files).version).toBe(version)
  })

  it('changes the version when a test, the statement or a solution changes, not for a README', () => {
    const version = parsed(twoSum).version
    const statement = `${twoSum['statement.md'] ?? ''}\nOne more line.\n`
    expect(parsed({ ...twoSum, 'statement.md': statement }).version).not.toBe(version)
    const tests = (twoSum['tests.json'] ?? '').replace('"hidden":true', '"hidden":false')
    expect(tests).not.toBe(twoSum['tests.json'])
    expect(parsed({ ...twoSum, 'tests.json': tests }).version).not.toBe(version)
    const solution = `${twoSum['solutions/solution.py'] ?? ''}\n# tidied\n`
    expect(parsed({ ...twoSum, 'solutions/solution.py': solution }).version).not.toBe(version)
    expect(parsed({ ...twoSum, 'README.md': 'notes for authors' }).version).toBe(version)
  })
})

describe('the folder source', () => {
  it('reads a challenge folder as files by path, leaving out dot-files and following file links', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-folder-'))
    try {
      writeFileSync(path.join(dir, 'statement.md'), '# Hi\r\n')
      writeFileSync(path.join(dir, '.statement.md.swp'), 'editor litter')
      mkdirSync(path.join(dir, 'solutions'))
      writeFileSync(path.join(dir, 'shared.py'), 'print(1)\n')
      symlinkSync(path.join(dir, 'shared.py'), path.join(dir, 'solutions', 'solution.py'))
      // A link to a folder above would loop forever if it were followed.
      symlinkSync(dir, path.join(dir, 'solutions', 'loop'))
      expect(await readChallengeFolder(dir)).toEqual({
        'statement.md': '# Hi\r\n',
        'shared.py': 'print(1)\n',
        'solutions/solution.py': 'print(1)\n',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
