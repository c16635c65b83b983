/**
 * cgroup v1: one hierarchy per controller. A box joins three groups of the same name: memory
 * (limit and OOM count), pids (limit) and cpuacct (CPU time of the whole group).
 */
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import {
  isStaleGroupName,
  killListedProcesses,
  readIds,
  removeGroupFolder,
  type Cgroup,
  type CgroupLimits,
  type CgroupManager,
} from './Cgroup.ts'

export interface CgroupV1Bases {
  memory: string
  pids: string
  cpuacct: string
}

export async function createCgroupV1Manager(bases: CgroupV1Bases): Promise<CgroupManager> {
  const folders = [bases.memory, bases.pids, bases.cpuacct]
  for (const folder of new Set(folders)) await mkdir(folder, { recursive: true })
  return {
    version: 1,
    base: bases.memory,
    create: async (name, limits) => createGroup(bases, name, limits),
    sweepStale: async () => {
      for (const base of new Set(folders)) {
        const names = await readdir(base).catch(() => [] as string[])
        for (const name of names.filter(isStaleGroupName)) {
          await killListedProcesses(`${base}/${name}/cgroup.procs`)
          await removeGroupFolder(`${base}/${name}`)
        }
      }
    },
  }
}

async function createGroup(
  bases: CgroupV1Bases,
  name: string,
  limits: CgroupLimits,
): Promise<Cgroup> {
  const memory = `${bases.memory}/${name}`
  const pids = `${bases.pids}/${name}`
  const cpuacct = `${bases.cpuacct}/${name}`
  const groups = [...new Set([memory, pids, cpuacct])]
  const created: string[] = []
  const remove = async (): Promise<void> => {
    for (const group of created) {
      await killListedProcesses(`${group}/cgroup.procs`)
      await removeGroupFolder(group)
    }
  }
  try {
    for (const group of groups) {
      await mkdir(group)
      created.push(group)
    }
    await writeFile(`${memory}/memory.limit_in_bytes`, String(limits.memoryBytes))
    // With swap accounting on, memory+swap gets the same limit: a box never swaps.
    if (await exists(`${memory}/memory.memsw.limit_in_bytes`)) {
      await writeFile(`${memory}/memory.memsw.limit_in_bytes`, String(limits.memoryBytes))
    }
    await writeFile(`${pids}/pids.max`, String(limits.pids))
  } catch (error) {
    await remove()
    throw error
  }
  return {
    procsFiles: groups.map((group) => `${group}/cgroup.procs`),
    cpuUsageNs: async () => Number((await readFile(`${cpuacct}/cpuacct.usage`, 'utf8')).trim()),
    threadIds: () => readIds(`${cpuacct}/tasks`),
    oomKilled: async () => {
      const control = await readFile(`${memory}/memory.oom_control`, 'utf8').catch(() => '')
      const kills = /^oom_kill (\d+)$/m.exec(control)?.[1]
      if (kills !== undefined) return Number(kills) > 0
      // Kernels before 4.13 lack the oom_kill count; hitting the limit is the best sign left.
      const failures = await readFile(`${memory}/memory.failcnt`, 'utf8').catch(() => '0')
      return Number(failures.trim()) > 0
    },
    memoryPeakBytes: async () => {
      const text = await readFile(`${memory}/memory.max_usage_in_bytes`, 'utf8').catch(() => '')
      return text === '' ? null : Number(text.trim())
    },
    killAll: async () => {
      for (const group of groups) await killListedProcesses(`${group}/cgroup.procs`)
    },
    remove,
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}
