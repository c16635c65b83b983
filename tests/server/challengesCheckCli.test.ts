/**
 * `npm run tandem -- challenges check`, the command a team runs in its own CI, as a real process
 * over a real challenges folder and the real sandbox: a known-bad solution the tests catch is ok,
 * one that passes every test is a problem that names it, and the command then exits 1.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCacheDir } from '../box/boxTestKit.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
let dir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tandem-check-'))
  const folder = path.join(dir, 'challenges', 'two-sum')
  cpSync(path.join(root, 'challenges', 'two-sum'), folder, { recursive: true })
  // Python only, so the check runs in seconds: the other languages' files go.
  for (const ext of ['js', 'ts', 'java', 'cpp', 'go']) {
    rmSync(path.join(folder, 'solutions', `solution.${ext}`))
  }
  // Its own known-bad solutions, one per test below.
  rmSync(path.join(folder, 'bad'), { recursive: true })
  mkdirSync(path.join(folder, 'bad'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function check(): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'server', 'cli.ts'), 'challenges', 'check'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          CHALLENGES_DIR: path.join(dir, 'challenges'),
          DATA_DIR: path.join(dir, 'data'),
          TANDEM_BOX_CACHE_DIR: testCacheDir,
        },
        timeout: 120_000,
      },
      (error, stdout) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout }),
    )
  })
}

function writeBad(name: string, source: string): void {
  writeFileSync(path.join(dir, 'challenges', 'two-sum', 'bad', `${name}.py`), source)
}

describe('challenges check', () => {
  it('passes a folder whose known-bad solution the tests catch', async () => {
    writeBad('returns-larger-index-first', 'def two_sum(nums, target):\n    return [1, 0]\n')
    const { code, stdout } = await check()
    expect(stdout).toContain('ok       two-sum solution in Python 3: All 6 tests passed')
    expect(stdout).toMatch(
      /ok {7}two-sum known-bad "returns-larger-index-first" in Python 3: Wrong answer on test 1/,
    )
    expect(code).toBe(0)
  }, 180_000)

  it('fails, naming it, a known-bad solution that passes every test', async () => {
    // The "mistake" is no mistake at all: the tests cannot tell it from the reference.
    writeBad(
      'looks-wrong-but-is-not',
      'def two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n',
    )
    const { code, stdout } = await check()
    expect(stdout).toContain(
      'problem  two-sum known-bad "looks-wrong-but-is-not" in Python 3 must compile and fail at least one test:',
    )
    expect(code).toBe(1)
  }, 180_000)
})
