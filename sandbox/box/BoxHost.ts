/**
 * What this machine offers boxes, found once at startup: bubblewrap, cgroups, the helpers that
 * set rlimits and drop root, and the system library paths every box binds. When something is
 * missing, `problem` says what, and every process language reports itself unavailable with that
 * reason, unless the operator allowed unsandboxed runs.
 */
import { execFile } from 'node:child_process'
import { access, chmod, constants, lstat, mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { isStaleGroupName, type CgroupManager } from './Cgroup.ts'
import { detectCgroupManager } from './detectCgroupManager.ts'
import type { Bind } from './LanguageSpec.ts'

const execFileAsync = promisify(execFile)

export interface BoxHostOptions {
  /**
   * Run without bubblewrap (and without cgroups when they are unusable). Candidate code then runs
   * as a plain process on this machine: only for a developer's own laptop. Default false.
   */
  unsafeAllowUnsandboxed?: boolean | undefined
  /** Path of bwrap; default: the first of /usr/bin/bwrap, /bin/bwrap, /usr/local/bin/bwrap. */
  bwrapPath?: string | undefined
  /** A prepared cgroup folder to create boxes under; default: beside this process's own group. */
  cgroupRoot?: string | undefined
  /** Host uid (and gid) that bwrap runs as when the sandbox runs as root. Default 65534. */
  boxUid?: number | undefined
}

export interface BoxHost {
  /** Boxes use bubblewrap; false only in unsafe mode without it. */
  readonly sandboxed: boolean
  /** Null only in unsafe mode without usable cgroups. */
  readonly cgroups: CgroupManager | null
  /** Why boxes cannot run here; undefined when they can. */
  readonly problem: string | undefined
  /** Warnings for the log, e.g. "running unsandboxed". */
  readonly warnings: readonly string[]
  readonly bwrapPath: string
  readonly bwrapVersion: string
  readonly bashPath: string
  /** setpriv, when the sandbox runs as root and drops to `boxUid` before starting bwrap. */
  readonly setprivPath: string | undefined
  readonly boxUid: number
  /** System library binds and usr-merge symlinks every box gets. */
  readonly systemBinds: readonly Bind[]
  readonly systemSymlinks: readonly { target: string; link: string }[]
  /** Binds of /bin/sh and tar, for compile boxes (candidate code never runs there). */
  readonly compileShellBinds: readonly Bind[]
  /** A private folder for the boxes' work folders; removed by `close`. */
  readonly scratchDir: string
  close(): Promise<void>
}

const multiarch: Partial<Record<string, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
}

export async function openBoxHost(options: BoxHostOptions = {}): Promise<BoxHost> {
  const problems: string[] = []
  const warnings: string[] = []
  const unsafe = options.unsafeAllowUnsandboxed === true

  const bwrapPath =
    options.bwrapPath ??
    (await firstExecutable(['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'])) ??
    'bwrap'
  let bwrapVersion = ''
  let sandboxed = true
  try {
    bwrapVersion = (await execFileAsync(bwrapPath, ['--version'])).stdout.trim()
    const help = (await execFileAsync(bwrapPath, ['--help'])).stdout
    if (!help.includes('--disable-userns')) {
      throw new Error(`${bwrapVersion} lacks --disable-userns (bubblewrap 0.8.0 or later needed)`)
    }
  } catch (error) {
    const reason = `bubblewrap is not usable at ${bwrapPath}: ${firstLine(error)}`
    if (unsafe) {
      sandboxed = false
      warnings.push(`${reason}; running process languages UNSANDBOXED`)
    } else {
      problems.push(reason)
    }
  }

  const bashPath = (await firstExecutable(['/bin/bash', '/usr/bin/bash'])) ?? ''
  if (bashPath === '') problems.push('bash is missing (needed to start boxes)')
  const isRoot = process.getuid?.() === 0
  let setprivPath: string | undefined
  if (isRoot) {
    setprivPath = await firstExecutable(['/usr/bin/setpriv', '/bin/setpriv'])
    if (setprivPath === undefined) problems.push('setpriv (util-linux) is missing')
  }

  let cgroups: CgroupManager | null
  try {
    cgroups = await detectCgroupManager({ root: options.cgroupRoot })
    await cgroups.sweepStale()
    const probe = await cgroups.create(`${process.pid}-probe`, {
      memoryBytes: 64 << 20,
      pids: 8,
    })
    await probe.remove()
  } catch (error) {
    cgroups = null
    const reason = `cgroups are not usable: ${firstLine(error)}`
    if (unsafe) warnings.push(`${reason}; boxes run without memory, pids and CPU-group limits`)
    else problems.push(reason)
  }

  const triple = multiarch[process.arch] ?? `${process.arch}-linux-gnu`
  const systemBinds: Bind[] = []
  const systemSymlinks: { target: string; link: string }[] = []
  for (const dir of [`/usr/lib/${triple}`, '/usr/lib64']) {
    if (await exists(dir)) systemBinds.push({ source: dir, target: dir })
  }
  for (const top of ['lib', 'lib64', 'bin']) {
    const stat = await lstat(`/${top}`).catch(() => undefined)
    if (stat?.isSymbolicLink() === true)
      systemSymlinks.push({ target: `usr/${top}`, link: `/${top}` })
    else if (top !== 'bin' && (await exists(`/${top}/${triple}`))) {
      systemBinds.push({ source: `/${top}/${triple}`, target: `/${top}/${triple}` })
    } else if (top === 'lib64' && (await exists('/lib64'))) {
      systemBinds.push({ source: '/lib64', target: '/lib64' })
    }
  }
  const compileShellBinds: Bind[] = []
  const sh = await firstExecutable(['/usr/bin/dash', '/bin/dash', '/usr/bin/sh', '/bin/sh'])
  const tar = await firstExecutable(['/usr/bin/tar', '/bin/tar'])
  if (sh === undefined || tar === undefined) problems.push('sh or tar is missing')
  else {
    compileShellBinds.push({ source: sh, target: '/usr/bin/sh' })
    compileShellBinds.push({ source: tar, target: '/usr/bin/tar' })
  }

  await sweepStaleScratch()
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), `tandem-box-${process.pid}-`))
  // bwrap runs as boxUid and must reach the work folders inside (never list them).
  await chmod(scratchDir, 0o711)
  return {
    sandboxed,
    cgroups,
    problem: problems.length === 0 ? undefined : problems.join('; '),
    warnings,
    bwrapPath,
    bwrapVersion,
    bashPath,
    setprivPath,
    boxUid: options.boxUid ?? 65534,
    systemBinds,
    systemSymlinks,
    compileShellBinds,
    scratchDir,
    close: async () => {
      await rm(scratchDir, { recursive: true, force: true })
    },
  }
}

/** Removes the scratch folders of sandbox processes that died without closing. */
async function sweepStaleScratch(): Promise<void> {
  const names = await readdir(os.tmpdir()).catch(() => [] as string[])
  for (const name of names) {
    const pid = /^tandem-box-(\d+)-/.exec(name)?.[1]
    if (pid === undefined || !isStaleGroupName(`${pid}-scratch`)) continue
    const folder = path.join(os.tmpdir(), name)
    // Only our own: another user's folder of that name is none of our business.
    const info = await lstat(folder).catch(() => undefined)
    if (info?.isDirectory() !== true || info.uid !== process.getuid?.()) continue
    await rm(folder, { recursive: true, force: true })
  }
}

async function firstExecutable(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // Try the next one.
    }
  }
  return undefined
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}
