/**
 * The check:paths gate (scripts/checkMachinePaths.ts): which absolute paths name a developer's
 * machine and which are legitimate, and the command's exit status on a real git repository.
 * The gate exists because the conformance test once read its data from our own workspace, so
 * `npm test` failed on every fresh clone elsewhere.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { checkRepository, findMachinePaths } from '../../scripts/checkMachinePaths.ts'

const script = fileURLToPath(new URL('../../scripts/checkMachinePaths.ts', import.meta.url))

const paths = (file: string, text: string): string[] =>
  findMachinePaths(file, text).map((f) => f.path)

const temps: string[] = []
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A folder holding `files`; a git repository unless `git` is false (a tarball, say). */
async function repository(files: Record<string, string>, { git = true } = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tandem-paths-'))
  temps.push(root)
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), text)
  }
  if (git) execFileSync('git', ['init', '-q'], { cwd: root })
  return root
}

describe('machine path check', () => {
  it('flags the workspace, home folders and the folder beside the repository in any file', () => {
    expect(
      paths('bench/conformance/loadRows.ts', "const dir = '/work/shared/conformance'"),
    ).toEqual(['/work/shared/conformance'])
    expect(paths('docs/X.md', 'see `/root/.cache/x` and /home/ada/notes.txt')).toEqual([
      '/root/.cache/x',
      '/home/ada/notes.txt',
    ])
    expect(paths('README.md', 'cd /Users/ada/tandem && npm test')).toEqual(['/Users/ada/tandem'])
    expect(paths('docs/X.md', String.raw`C:\Users\ada\tandem`)).toEqual([
      String.raw`C:\Users\ada\tandem`,
    ])
    expect(paths('x.ts', 'readFileSync("file:///work/a")')).toEqual(['/work/a'])
    expect(paths('tests/x.test.ts', "readFile('../../shared/conformance/README.md')")).toEqual([
      '../../shared/conformance/README.md',
    ])
  })

  it('flags a scratch file under /tmp outside code that builds boxes', () => {
    expect(paths('docs/LANGUAGES.md', 'measured with `node /tmp/boxdev/forkbomb.ts`')).toEqual([
      '/tmp/boxdev/forkbomb.ts',
    ])
    expect(paths('tests/server/x.test.ts', "readFile('/var/tmp/fixture.json')")).toEqual([
      '/var/tmp/fixture.json',
    ])
  })

  it('passes /tmp inside boxes, system paths and relative paths', () => {
    expect(paths('sandbox/languages/go/spec.ts', "GOCACHE: '/tmp/go-cache'")).toEqual([])
    expect(paths('tests/box/exploits.test.ts', 'open("/tmp/fill", "wb")')).toEqual([])
    const legitimate = [
      "executablePath: '/usr/bin/chromium'",
      'fresh tmpfs at `/box`, `/tmp` and `/dev/shm`',
      "'--bind', dir, '/box/'",
      '/sys/fs/cgroup/memory and /proc/self/status',
      'writes to bench/tmp/tandem.heapsnapshot',
      'see https://github.com/root/project/home/x and ../work/x and ~/work/x',
      'tmpfs: - /tmp:size=512m',
      String.raw`const pattern = /\/work\//`,
    ]
    for (const line of legitimate) expect(paths('docs/X.md', line), line).toEqual([])
  })

  it('says where each path is, line and column', () => {
    expect(findMachinePaths('a.md', 'fine\n  at /home/ada/x.\n')).toEqual([
      { file: 'a.md', line: 2, column: 6, path: '/home/ada/x', why: "a user's home folder" },
    ])
  })

  it('reads tracked and untracked files, skips ignored and binary ones', async () => {
    const root = await repository({
      'docs/notes.md': 'data in /work/shared/conformance\n',
      'new.ts': "const home = '/root/x'\n",
      'ignored/x.md': '/work/ignored\n',
      '.gitignore': 'ignored/\n',
      'blob.bin': '\0/work/binary',
    })
    execFileSync('git', ['add', 'docs/notes.md'], { cwd: root })
    const findings = await checkRepository(root)
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual([
      'docs/notes.md:1:9',
      'new.ts:1:15',
    ])
  })

  it('walks the folder outside a git checkout, skipping dependencies and build output', async () => {
    const root = await repository(
      {
        'docs/notes.md': '/work/a\n',
        'node_modules/x/README.md': '/work/b\n',
        'web/dist/app.js': '/work/c\n',
        'data/log.txt': '/work/d\n',
        'bench/conformance/data/README.md': '/work/e\n',
      },
      { git: false },
    )
    const findings = await checkRepository(root)
    expect(findings.map((f) => f.file)).toEqual([
      'bench/conformance/data/README.md',
      'docs/notes.md',
    ])
  })

  it('exits 1 naming each finding, and 0 on a clean tree', async () => {
    const dirty = await repository({ 'README.md': 'Run it from /home/ada/tandem.\n' })
    const failed = spawnSync(process.execPath, [script, '--root', dirty], { encoding: 'utf8' })
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain("README.md:1:13: /home/ada/tandem names a user's home folder")

    const clean = await repository({ 'README.md': 'Run it from anywhere: `npm test`.\n' })
    const passed = spawnSync(process.execPath, [script, '--root', clean], { encoding: 'utf8' })
    expect(passed.stderr).toBe('')
    expect(passed.status).toBe(0)
  })
})
