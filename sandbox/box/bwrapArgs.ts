/**
 * The bubblewrap command line of one box. Every box gets the same walls; what differs per box is
 * which toolchain paths are bound, which files appear in /box, the environment and the command.
 *
 *   namespaces  all of them (no network: a private, empty network namespace), a new user
 *               namespace that cannot create further ones (--disable-userns)
 *   identity    uid/gid 65534 inside; outside, the engine already runs bwrap as an unprivileged uid
 *   files       an empty read-only root; toolchain paths read-only; /proc of the box's own pid
 *               namespace; a minimal read-only /dev; fresh size-capped tmpfs at /tmp, /box and
 *               /dev/shm
 *   process     new session (no TIOCSTI into a terminal), dies with its parent, empty environment
 */
import type { Bind } from './LanguageSpec.ts'

/** Inside-box uid and gid: "nobody". */
export const boxUid = 65534

/** The fd on which bwrap reports the command's pid and exit code (JSON lines). */
export const statusFd = 4

export interface BwrapArgsInput {
  /** Toolchain and system binds, read-only. */
  binds: readonly Bind[]
  /** Symlinks to create, e.g. /lib → usr/lib on merged-/usr hosts. */
  symlinks: readonly { target: string; link: string }[]
  /** Host files bound read-only into /box: box path → host path. */
  files: readonly { boxPath: string; hostPath: string }[]
  /** Folders created writable on /box's tmpfs, e.g. /box/out. */
  writableDirs: readonly string[]
  env: Readonly<Record<string, string>>
  /** Size of each of the /tmp and /box tmpfs, bytes. */
  tmpfsBytes: number
  command: readonly string[]
}

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
  args.push('--proc', '/proc', '--dev', '/dev')
  // /dev is a tmpfs too: read-only, except a size-capped /dev/shm for POSIX shared memory.
  args.push('--size', String(input.tmpfsBytes), '--perms', '1777', '--tmpfs', '/dev/shm')
  args.push('--remount-ro', '/dev')
  args.push('--size', String(input.tmpfsBytes), '--perms', '1777', '--tmpfs', '/tmp')
  args.push('--size', String(input.tmpfsBytes), '--perms', '0755', '--tmpfs', '/box')
  for (const file of input.files) args.push('--ro-bind', file.hostPath, file.boxPath)
  for (const dir of input.writableDirs) args.push('--dir', dir)
  args.push('--chdir', '/box', '--remount-ro', '/')
  args.push('--json-status-fd', String(statusFd), '--', ...input.command)
  return args
}
