/**
 * Control groups for boxes: which cgroup version this host offers, and where boxes may create
 * theirs. A box's group has a memory limit, a pids limit and CPU time counted for every process
 * in it (a fork bomb's children included). cgroup v1 (a hierarchy per controller) and v2 (one
 * unified hierarchy) sit behind one interface (Cgroup.ts), chosen here at startup.
 *
 * Each engine creates its boxes' groups under a `tandem` folder inside the group the sandbox
 * process already lives in, so the host's own limits on the sandbox still cover every box.
 */
import { readFile } from 'node:fs/promises'
import { CgroupUnavailableError, type CgroupManager } from './Cgroup.ts'
import { createCgroupV1Manager } from './cgroupV1.ts'
import { createCgroupV2Manager } from './cgroupV2.ts'

/** Where to look; tests point these at a fake tree. */
export interface CgroupDetectOptions {
  /** A prepared, writable cgroup folder to create boxes under (v2: with controllers delegated). */
  root?: string | undefined
  /** Default /proc/self/mountinfo. */
  mountinfo?: string | undefined
  /** Default /proc/self/cgroup. */
  selfCgroup?: string | undefined
}

/** One line of /proc/self/mountinfo that mounts a cgroup hierarchy. */
export interface CgroupMount {
  /** Where it is mounted, e.g. /sys/fs/cgroup/memory. */
  mountPoint: string
  /** Which folder of the hierarchy the mount shows (not "/" inside some containers). */
  root: string
  fsType: 'cgroup' | 'cgroup2'
  /** v1 controllers of the hierarchy, e.g. ["cpu", "cpuacct"]; empty for v2. */
  controllers: string[]
}

/** Parses /proc/self/mountinfo into its cgroup mounts. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = []
  for (const line of mountinfo.split('\n')) {
    // "36 25 0:31 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory"
    const [left, right] = line.split(' - ')
    if (left === undefined || right === undefined) continue
    const fields = left.split(' ')
    const [fsType, , superOptions = ''] = right.split(' ')
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue
    const root = unescapeMountPath(fields[3] ?? '/')
    const mountPoint = unescapeMountPath(fields[4] ?? '')
    const controllers =
      fsType === 'cgroup'
        ? superOptions.split(',').filter((o) => knownV1Controllers.has(o) || o.startsWith('name='))
        : []
    mounts.push({ mountPoint, root, fsType, controllers })
  }
  return mounts
}

const knownV1Controllers = new Set([
  'cpu',
  'cpuacct',
  'cpuset',
  'memory',
  'pids',
  'devices',
  'freezer',
  'blkio',
  'net_cls',
  'net_prio',
  'perf_event',
  'hugetlb',
  'rdma',
  'misc',
])

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  )
}

/** Parses /proc/self/cgroup: controller list ("" for v2) → path of this process. */
export function parseSelfCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line)
    if (match === null) continue
    const [, controllers = '', path = '/'] = match
    if (controllers === '') paths.set('', path)
    for (const controller of controllers.split(','))
      if (controller !== '') paths.set(controller, path)
  }
  return paths
}

/**
 * The host folder of this process's cgroup in one hierarchy: the mount point plus the process's
 * path, minus the part of the path the mount hides (its root).
 */
export function ownCgroupFolder(mount: CgroupMount, ownPath: string): string {
  let relative = ownPath
  if (mount.root !== '/' && (ownPath === mount.root || ownPath.startsWith(`${mount.root}/`))) {
    relative = ownPath.slice(mount.root.length)
  }
  return `${mount.mountPoint}${relative === '/' ? '' : relative}`
}

/**
 * Finds usable cgroups: v1 when the memory, pids and cpuacct controllers are mounted as v1
 * hierarchies (hybrid hosts mount an empty v2 tree too), else v2 when the unified tree offers
 * memory, pids and cpu. Throws CgroupUnavailableError with the reason otherwise.
 */
export async function detectCgroupManager(
  options: CgroupDetectOptions = {},
): Promise<CgroupManager> {
  const mountinfo = await readText(options.mountinfo ?? '/proc/self/mountinfo')
  const selfCgroup = await readText(options.selfCgroup ?? '/proc/self/cgroup')
  const mounts = parseCgroupMounts(mountinfo)
  const paths = parseSelfCgroup(selfCgroup)
  const v1 = (controller: string): CgroupMount | undefined =>
    mounts.find((m) => m.fsType === 'cgroup' && m.controllers.includes(controller))
  const [memory, pids, cpuacct] = [v1('memory'), v1('pids'), v1('cpuacct')]
  if (memory !== undefined || pids !== undefined || cpuacct !== undefined) {
    if (memory === undefined || pids === undefined || cpuacct === undefined) {
      throw new CgroupUnavailableError(
        'cgroup v1 is mounted without all of the memory, pids and cpuacct controllers',
      )
    }
    const folder = (mount: CgroupMount, controller: string): string =>
      options.root ?? ownCgroupFolder(mount, paths.get(controller) ?? '/')
    return createCgroupV1Manager({
      memory: `${folder(memory, 'memory')}/tandem`,
      pids: `${folder(pids, 'pids')}/tandem`,
      cpuacct: `${folder(cpuacct, 'cpuacct')}/tandem`,
    })
  }
  const unified = mounts.find((m) => m.fsType === 'cgroup2')
  if (unified === undefined) throw new CgroupUnavailableError('no cgroup filesystem is mounted')
  const own = options.root ?? ownCgroupFolder(unified, paths.get('') ?? '/')
  return createCgroupV2Manager({ mountPoint: unified.mountPoint, own, delegated: options.root })
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new CgroupUnavailableError(`cannot read ${file}: ${(error as Error).message}`)
  }
}
