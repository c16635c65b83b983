/**
 * `npm run check:paths [-- --root DIR]`: fails when a file of the repository names an absolute
 * path of a developer's machine, so a fresh clone anywhere behaves as it does here.
 *
 * The rule, precisely. In every text file that git tracks (or would track: untracked files that
 * are not ignored count too), a path is flagged when it starts at the root of the file system
 * (start of line, or after a character that cannot end a path segment or URL host, so
 * `bench/tmp/` and `https://host/home/x` pass) and is one of:
 *
 * - `/work/…`: the workspace of our own machines;
 * - `/root/…`, `/home/<user>…`, `/Users/<user>…`, `C:\Users\…`: somebody's home folder;
 * - `../shared/…` (any number of `../`): the folder beside the repository on our machines and in
 *   CI, which a fresh clone elsewhere does not have;
 * - `/tmp/<name>` or `/var/tmp/<name>`, except in code that builds sandbox boxes or the programs
 *   run inside them (`boxSideFiles`), where `/tmp` is the box's own private tmpfs. Elsewhere it
 *   names a scratch file on one machine; host code uses `os.tmpdir()` and `mkdtemp`.
 *
 * System paths that every machine of the supported kind has (`/usr/bin/chromium`, `/proc`,
 * `/sys/fs/cgroup`) and paths inside boxes (`/box/…`) are not machine paths and pass.
 */
import { execFileSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'

/** One place where a file names a machine path. Lines and columns count from 1. */
export interface MachinePathFinding {
  file: string
  line: number
  column: number
  /** The path as written. */
  path: string
  why: string
}

interface Rule {
  pattern: RegExp
  why: string
  /** Repository-relative path prefixes where the rule does not apply. */
  exceptIn?: readonly string[]
}

/** Code that builds boxes, or candidate programs run in them: `/tmp` there is the box's tmpfs. */
export const boxSideFiles: readonly string[] = [
  'sandbox/',
  'tests/box/',
  'tests/sandbox/',
  'tests/fixtures/leakProbes/',
  'bench/lib/runFloors.ts',
]

/** Files that hold the patterns and examples of this check itself. */
const selfFiles: readonly string[] = [
  'scripts/checkMachinePaths.ts',
  'tests/gates/machinePaths.test.ts',
]

// Not after a character that can be part of a path segment or a host name (nor after a
// backslash: an escaped slash in a regular expression is a pattern, not a path).
const start = String.raw`(?<![\w.~$@%+\\-])`
// The rest of the path: up to whitespace, a quote, a bracket or a separator of prose.
const rest = String.raw`[^\s'"\`()<>\[\]{},;|*]*`

const rules: readonly Rule[] = [
  { pattern: new RegExp(`${start}/work/${rest}`, 'g'), why: "our machines' workspace" },
  { pattern: new RegExp(`${start}/root/${rest}`, 'g'), why: "root's home folder" },
  {
    pattern: new RegExp(`${start}/(?:home|Users)/[\\w.-]+${rest}`, 'g'),
    why: "a user's home folder",
  },
  { pattern: /(?<![\w])[A-Za-z]:\\Users\\[^\s'"`]*/g, why: "a user's home folder" },
  {
    pattern: new RegExp(`(?<![\\w.-])(?:\\.\\./)+shared/${rest}`, 'g'),
    why: 'the folder beside the repository, which a fresh clone does not have',
  },
  {
    pattern: new RegExp(`${start}/(?:var/)?tmp/[\\w.-]${rest}`, 'g'),
    why: 'a scratch file of one machine (use os.tmpdir() and mkdtemp)',
    exceptIn: boxSideFiles,
  },
]

/** Every machine path in `text`, the contents of the repository-relative `file`. */
export function findMachinePaths(file: string, text: string): MachinePathFinding[] {
  if (selfFiles.includes(file)) return []
  const findings: MachinePathFinding[] = []
  const lines = text.split('\n')
  lines.forEach((line, index) => {
    for (const rule of rules) {
      if (rule.exceptIn?.some((prefix) => file.startsWith(prefix)) === true) continue
      for (const match of line.matchAll(rule.pattern)) {
        findings.push({
          file,
          line: index + 1,
          column: match.index + 1,
          // A full stop or colon after a path in prose ends the sentence, not the path.
          path: match[0].replace(/[.:!?]+$/, ''),
          why: rule.why,
        })
      }
    }
  })
  return findings.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** What is never read when git cannot list the files (a tarball rather than a clone). */
const untrackedPrefixes = ['.git/', 'data/', 'web/dist/', 'bench/tmp/']

/**
 * The repository's files, relative to `root`: what git tracks plus untracked files it does not
 * ignore, or, outside a git checkout, every file but build output and dependencies.
 */
export async function repositoryFiles(root: string): Promise<string[]> {
  try {
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
    return [...new Set(listed.split('\0').filter((file) => file !== ''))].sort()
  } catch {
    const entries = await readdir(root, { recursive: true, withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
      .map((file) => file.split(path.sep).join('/'))
      .filter((file) => !untrackedPrefixes.some((prefix) => file.startsWith(prefix)))
      .filter((file) => !file.split('/').includes('node_modules'))
      .sort()
  }
}

/** Every machine path in the text files of the repository at `root`. */
export async function checkRepository(root: string): Promise<MachinePathFinding[]> {
  const findings: MachinePathFinding[] = []
  for (const file of await repositoryFiles(root)) {
    // A tracked file deleted in the working tree is not there to read.
    const content = await readFile(path.join(root, file)).catch(() => null)
    // Binary files (a NUL byte near the start, as git decides) hold no paths anyone reads.
    if (content === null || content.subarray(0, 8000).includes(0)) continue
    findings.push(...findMachinePaths(file, content.toString('utf8')))
  }
  return findings
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { root: { type: 'string' } } })
  const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'))
  const findings = await checkRepository(root)
  for (const f of findings) {
    console.error(`${f.file}:${f.line}:${f.column}: ${f.path} names ${f.why}`)
  }
  if (findings.length === 0) return 0
  console.error(`check:paths: ${findings.length} absolute path(s) of a machine; see the rule in`)
  console.error('scripts/checkMachinePaths.ts')
  return 1
}

if (import.meta.main) process.exitCode = await main()
