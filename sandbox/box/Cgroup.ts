/**
 * One box's cgroup and the manager that makes them, as every cgroup version offers them, plus
 * the helpers both versions share. The version is chosen in detectCgroupManager.ts.
 */
import { readFile, rmdir } from 'node:fs/promises'

/** Limits of one box's cgroup. */
export interface CgroupLimits {
  /** Memory (and swap: none) for all processes of the box, bytes. */
  memoryBytes: number
  /** Processes plus threads at once. */
  pids: number
}

/** One box's cgroup. */
export interface Cgroup {
  /** Every `cgroup.procs` file a process must write its pid to, so it joins all controllers. */
  readonly procsFiles: readonly string[]
  /** CPU time (user + system) used by every process that was ever in the group, ns. */
  cpuUsageNs(): Promise<number>
  /** Ids of every thread in the group now (their /proc/<tid>/schedstat tells run-queue waits). */
  threadIds(): Promise<number[]>
  /** Whether the kernel's OOM killer killed a process of this group. */
  oomKilled(): Promise<boolean>
  /** Highest memory use seen, bytes; null where the kernel does not say. */
  memoryPeakBytes(): Promise<number | null>
  /** SIGKILLs every process in the group until it is empty (bounded retries). */
  killAll(): Promise<void>
  /** Kills what is left and removes the group. Never throws. */
  remove(): Promise<void>
}

export interface CgroupManager {
  readonly version: 1 | 2
  /** Where the boxes' groups live, for messages. */
  readonly base: string
  /** Creates a fresh group with the limits set; `name` must be unique among live groups. */
  create(name: string, limits: CgroupLimits): Promise<Cgroup>
  /** Removes groups left behind by sandbox processes that died. */
  sweepStale(): Promise<void>
}

/** cgroups cannot be used here; `message` says why, for a language's `reason`. */
export class CgroupUnavailableError extends Error {
  override name = 'CgroupUnavailableError'
}

/** Names of box groups: `<pid>-<n>`, so a later process can tell which ones are stale. */
export function isStaleGroupName(name: string): boolean {
  const pid = Number(/^(\d+)-/.exec(name)?.[1])
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** The ids listed in a cgroup's `tasks` or `cgroup.threads` file. */
export async function readIds(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8')
  return text.split('\n').filter(Boolean).map(Number)
}

/** SIGKILLs every pid listed in a cgroup.procs file until it is empty; true when it emptied. */
export async function killListedProcesses(procsFile: string): Promise<boolean> {
  // A fork bomb can add processes between reading and killing; the pids limit bounds how many.
  for (let attempt = 0; attempt < 100; attempt++) {
    let text: string
    try {
      text = await readFile(procsFile, 'utf8')
    } catch {
      return true
    }
    const pids = text.split('\n').filter(Boolean).map(Number)
    if (pids.length === 0) return true
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 2 : 20))
  }
  return false
}

/** rmdir with retries: the kernel frees a group a moment after its last process is reaped. */
export async function removeGroupFolder(folder: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await rmdir(folder)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return
      if (code !== 'EBUSY') return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
