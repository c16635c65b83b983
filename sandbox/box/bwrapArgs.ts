/**
 * The bubblewrap command line of one box. Every box gets the same walls; what differs per box is
 * which toolchain paths are bound, which files appear in /box, the environment and the command.
 *
 *   namespaces  all of them (no network: a private, empty network namespace), a new user
 *               namespace that cannot create further ones (--disable-userns)
 *   identity    uid/gid 65534 inside; outside, the engine already runs bwrap as an unprivileged uid
 *   files       an empty read-only root; toolchain paths read-only; /proc of the box's own pid
 *               namespace; a minimal read-only /dev; fresh size-capped tmpfs at /tmp, /box and
 *               /dev/shm. /box's files are copied in from descriptors (`--ro-bind-data`), never
 *               bound from the host: a bind shows its host path in /proc/self/mountinfo. Each
 *               is read-only, a copied folder a read-only tmpfs of its own
 *   syscalls    the seccomp deny-list of seccompFilter.ts, read from a descriptor
 *   process     new session (no TIOCSTI into a terminal), dies with its parent, empty environment
 *
 * These options reach bwrap through a descriptor (`--args`), so the box's pid 1 — bwrap's own
 * reaper — shows `bwrap --args 5 -- <command>` as its command line, not the host's layout.
 */
import type { Bind } from './LanguageSpec.ts'

/** Inside-box uid and gid: "nobody". */
export const boxUid = 65534

/** The fd on which bwrap reports the command's pid and exit code (JSON lines). */
export const statusFd = 4

/** The fd bwrap reads these options from (NUL-separated). */
export const argsFd = 5

/** The fd bwrap reads the seccomp program from. */
export const seccompFd = 6

/** The first fd of the files copied into /box, one descriptor per file. */
export const firstFileFd = 7

/** A file bwrap copies into the box, read-only, from a descriptor the host opened. */
export interface CopiedFile {
  fd: number
  boxPath: string
  /** Permission bits inside the box: 0o444, or 0o555 for an executable. */
  mode: number
}

export interface BwrapArgsInput {
  /** Toolchain and system binds, read-only. */
  binds: readonly Bind[]
  /** Symlinks to create, e.g. /lib → usr/lib on merged-/usr hosts. */
  symlinks: readonly { target: string; link: string }[]
  /** Copied folders (e.g. /box/bin): each a tmpfs of its own, read-only once filled. */
  folders: readonly string[]
  /** Their sub-folders, parents first. */
  dirs: readonly string[]
  /** Files copied into /box and its copied folders. */
  files: readonly CopiedFile[]
  /**
   * Host folders bound read-only inside /box, only where copying would cost too much (C++'s
   * precompiled header). Such a box gets no /proc: its mountinfo would name the host folder.
   */
  mounts: readonly { boxPath: string; hostPath: string }[]
  /** Folders created writable on /box's tmpfs, e.g. /box/out. */
  writableDirs: readonly string[]
  env: Readonly<Record<string, string>>
  /** Size of each of the /tmp, /box and /dev/shm tmpfs, bytes. */
  tmpfsBytes: number
}

/** bwrap's options, for the `--args` descriptor; the command follows `--` on the real argv. */
export function bwrapArgs(input: BwrapArgsInput): string[] {
  const args = [
    '--unshare-all',
    // Explicit, so --disable-userns is allowed (it needs its own user namespace to lock).
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--uid',
    String(boxUid),
    '--gid',
    String(boxUid),
    '--hostname',
    'box',
    '--clearenv',
  ]
  for (const [name, value] of Object.entries(input.env)) args.push('--setenv', name, value)
  for (const bind of input.binds) args.push('--ro-bind', bind.source, bind.target)
  for (const { target, link } of input.symlinks) args.push('--symlink', target, link)
  if (input.mounts.length === 0) args.push('--proc', '/proc')
  args.push('--dev', '/dev')
  // /dev is a tmpfs too: read-only, except a size-capped /dev/shm for POSIX shared memory.
  args.push('--size', String(input.tmpfsBytes), '--perms', '1777', '--tmpfs', '/dev/shm')
  args.push('--remount-ro', '/dev')
  args.push('--size', String(input.tmpfsBytes), '--perms', '1777', '--tmpfs', '/tmp')
  args.push('--size', String(input.tmpfsBytes), '--perms', '0755', '--tmpfs', '/box')
  // A copied folder only holds mount points: the files' data lives in bwrap's own tmpfs.
  for (const folder of input.folders) args.push('--size', '1048576', '--tmpfs', folder)
  for (const dir of input.dirs) args.push('--dir', dir)
  for (const file of input.files) {
    const mode = `0${file.mode.toString(8)}`
    args.push('--perms', mode, '--ro-bind-data', String(file.fd), file.boxPath)
  }
  for (const folder of input.folders) args.push('--remount-ro', folder)
  for (const mount of input.mounts) args.push('--ro-bind', mount.hostPath, mount.boxPath)
  for (const dir of input.writableDirs) args.push('--dir', dir)
  args.push('--chdir', '/box', '--remount-ro', '/')
  args.push('--seccomp', String(seccompFd), '--json-status-fd', String(statusFd))
  return args
}
