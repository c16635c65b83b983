/**
 * cgroup v2: one unified hierarchy. Controllers reach a group only when its parent lists them in
 * `cgroup.subtree_control`, and a non-root group with processes cannot do that ("no internal
 * processes"). So, unless the operator gives a delegated folder, the manager moves the sandbox
 * process's own group members into a leaf `tandem-host` first, then enables memory and pids (and
 * cpu when offered) for a `tandem` sibling that holds the boxes.
 */
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import {
  CgroupUnavailableError,
  isStaleGroupName,
  killListedProcesses,
  readIds,
  removeGroupFolder,
  type Cgroup,
  type CgroupLimits,
  type CgroupManager,
} from './Cgroup.ts'

export interface CgroupV2Options {
  mountPoint: string
  /** The sandbox process's own group folder, or the operator's delegated folder. */
  own: string
  /** Set when `own` was given by the operator: it is used as is, nobody is moved. */
  delegated: string | undefined
}

const required = ['memory', 'pids']

export async function createCgroupV2Manager(options: CgroupV2Options): Promise<CgroupManager> {
  const { own } = options
  const offered = (await readWords(`${own}/cgroup.controllers`)) ?? []
  const missing = required.filter((c) => !offered.includes(c))
  if (missing.length > 0) {
    throw new CgroupUnavailableError(
      `cgroup v2 controllers ${missing.join(', ')} are not delegated to ${own}`,
    )
  }
  const wanted = [...required, ...(offered.includes('cpu') ? ['cpu'] : [])]
  const isRoot = own === options.mountPoint
  if (options.delegated === undefined && !isRoot) await evacuate(own)
  const base = `${own}/tandem`
  try {
    await enable(own, wanted)
    await mkdir(base, { recursive: true })
    await enable(base, wanted)
  } catch (error) {
    throw new CgroupUnavailableError(
      `cannot enable cgroup v2 controllers under ${own}: ${(error as Error).message}`,
    )
  }
  return {
    version: 2,
    base,
    create: async (name, limits) => createGroup(`${base}/${name}`, limits),
    sweepStale: async () => {
      const names = await readdir(base).catch(() => [] as string[])
      for (const name of names.filter(isStaleGroupName)) {
        await killGroup(`${base}/${name}`)
        await removeGroupFolder(`${base}/${name}`)
      }
    },
  }
}

/** Moves every process of `own` into the leaf `own/tandem-host`, so `own` may enable controllers. */
async function evacuate(own: string): Promise<void> {
  const leaf = `${own}/tandem-host`
  try {
    await mkdir(leaf, { recursive: true })
    const pids = ((await readWords(`${own}/cgroup.procs`)) ?? []).filter(Boolean)
    for (const pid of pids) await writeFile(`${leaf}/cgroup.procs`, pid)
  } catch (error) {
    throw new CgroupUnavailableError(
      `cannot move the sandbox process into ${leaf} (cgroup v2 needs a delegated group; ` +
        `run the sandbox with systemd Delegate=yes or give a prepared folder): ` +
        (error as Error).message,
    )
  }
}

async function enable(folder: string, controllers: string[]): Promise<void> {
  const enabled = (await readWords(`${folder}/cgroup.subtree_control`)) ?? []
  const toAdd = controllers.filter((c) => !enabled.includes(c))
  if (toAdd.length === 0) return
  await writeFile(`${folder}/cgroup.subtree_control`, toAdd.map((c) => `+${c}`).join(' '))
}

async function createGroup(folder: string, limits: CgroupLimits): Promise<Cgroup> {
  await mkdir(folder)
  try {
    await writeFile(`${folder}/memory.max`, String(limits.memoryBytes))
    if (await exists(`${folder}/memory.swap.max`)) await writeFile(`${folder}/memory.swap.max`, '0')
    await writeFile(`${folder}/pids.max`, String(limits.pids))
  } catch (error) {
    await removeGroupFolder(folder)
    throw error
  }
  return {
    procsFiles: [`${folder}/cgroup.procs`],
    cpuUsageNs: async () => {
      const stat = await readFile(`${folder}/cpu.stat`, 'utf8')
      return Number(/^usage_usec (\d+)$/m.exec(stat)?.[1] ?? 0) * 1000
    },
    threadIds: () => readIds(`${folder}/cgroup.threads`),
    oomKilled: async () => {
      const events = await readFile(`${folder}/memory.events`, 'utf8').catch(() => '')
      return Number(/^oom_kill (\d+)$/m.exec(events)?.[1] ?? 0) > 0
    },
    memoryPeakBytes: async () => {
      const text = await readFile(`${folder}/memory.peak`, 'utf8').catch(() => '')
      return text === '' ? null : Number(text.trim())
    },
    killAll: () => killGroup(folder),
    remove: async () => {
      await killGroup(folder)
      await removeGroupFolder(folder)
    },
  }
}

/** cgroup.kill (Linux 5.14+) kills the whole group at once; listing and killing is the fallback. */
async function killGroup(folder: string): Promise<void> {
  await writeFile(`${folder}/cgroup.kill`, '1').catch(() => undefined)
  await killListedProcesses(`${folder}/cgroup.procs`)
}

async function readWords(file: string): Promise<string[] | undefined> {
  try {
    return (await readFile(file, 'utf8')).split(/\s+/).filter(Boolean)
  } catch {
    return undefined
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
