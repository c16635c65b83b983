/**
 * Finding cgroups from /proc's descriptions (v1, hybrid and v2 hosts), and the v2 manager on a
 * stand-in folder tree (this machine runs cgroup v1, so the v2 kernel files are imitated).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CgroupUnavailableError } from '../../sandbox/box/Cgroup.ts'
import {
  detectCgroupManager,
  ownCgroupFolder,
  parseCgroupMounts,
  parseSelfCgroup,
} from '../../sandbox/box/detectCgroupManager.ts'
import { createCgroupV2Manager } from '../../sandbox/box/cgroupV2.ts'

const hybridMountinfo = [
  '25 30 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw',
  '28 25 0:25 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
  '29 25 0:26 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids',
  '30 25 0:27 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
].join('\n')

const v2Mountinfo = '26 25 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate'

describe('cgroup detection', () => {
  it('reads the cgroup mounts, their controllers and the part of the tree they show', () => {
    expect(parseCgroupMounts(hybridMountinfo)).toEqual([
      { mountPoint: '/sys/fs/cgroup/unified', root: '/', fsType: 'cgroup2', controllers: [] },
      { mountPoint: '/sys/fs/cgroup/memory', root: '/', fsType: 'cgroup', controllers: ['memory'] },
      { mountPoint: '/sys/fs/cgroup/pids', root: '/', fsType: 'cgroup', controllers: ['pids'] },
      {
        mountPoint: '/sys/fs/cgroup/cpu,cpuacct',
        root: '/docker/abc',
        fsType: 'cgroup',
        controllers: ['cpu', 'cpuacct'],
      },
    ])
  })

  it("finds this process's own group folder in each hierarchy", () => {
    const paths = parseSelfCgroup('12:pids:/user/1\n4:cpu,cpuacct:/docker/abc/x\n0::/init.scope\n')
    expect(paths.get('pids')).toBe('/user/1')
    expect(paths.get('cpuacct')).toBe('/docker/abc/x')
    expect(paths.get('')).toBe('/init.scope')
    const [, , , cpu] = parseCgroupMounts(hybridMountinfo)
    expect(cpu && ownCgroupFolder(cpu, '/docker/abc/x')).toBe('/sys/fs/cgroup/cpu,cpuacct/x')
  })

  it('says why when v1 lacks a controller the boxes need', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-cg-'))
    try {
      await writeFile(
        `${dir}/mountinfo`,
        '28 25 0:25 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
      )
      await writeFile(`${dir}/cgroup`, '4:memory:/\n')
      await expect(
        detectCgroupManager({ mountinfo: `${dir}/mountinfo`, selfCgroup: `${dir}/cgroup` }),
      ).rejects.toThrow(CgroupUnavailableError)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('cgroup v2 manager', () => {
  let root: string

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tandem-cg2-'))
    await writeFile(`${root}/cgroup.controllers`, 'cpuset cpu io memory pids\n')
    await writeFile(`${root}/cgroup.subtree_control`, '')
  })

  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('enables memory, pids and cpu for its boxes and sets each box limit', async () => {
    const manager = await createCgroupV2Manager({
      mountPoint: '/sys/fs/cgroup',
      own: root,
      delegated: root,
    })
    expect(manager.base).toBe(`${root}/tandem`)
    expect(await readFile(`${root}/cgroup.subtree_control`, 'utf8')).toBe('+memory +pids +cpu')
    await writeFile(`${root}/tandem/cgroup.subtree_control`, '')
    await mkdir(`${root}/tandem/ignored`)
    const group = await manager.create('123-1', { memoryBytes: 64 << 20, pids: 16 })
    const folder = `${root}/tandem/123-1`
    expect(await readFile(`${folder}/memory.max`, 'utf8')).toBe(String(64 << 20))
    expect(await readFile(`${folder}/pids.max`, 'utf8')).toBe('16')
    expect(group.procsFiles).toEqual([`${folder}/cgroup.procs`])
    await writeFile(`${folder}/cpu.stat`, 'usage_usec 1500\nuser_usec 1000\n')
    await writeFile(`${folder}/memory.events`, 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n')
    await writeFile(`${folder}/cgroup.threads`, '101\n102\n')
    expect(await group.cpuUsageNs()).toBe(1_500_000)
    // Every thread, for their run-queue waits (a box starved of CPU is the server's fault).
    expect(await group.threadIds()).toEqual([101, 102])
    expect(await group.oomKilled()).toBe(true)
    expect(await group.memoryPeakBytes()).toBe(null)
  })

  it('refuses a tree whose memory controller is not delegated', async () => {
    await writeFile(`${root}/cgroup.controllers`, 'cpu pids\n')
    await expect(
      createCgroupV2Manager({ mountPoint: '/sys/fs/cgroup', own: root, delegated: root }),
    ).rejects.toThrow(/controllers memory are not delegated/)
  })

  it('detects v2 on a host without v1 hierarchies', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-cg-'))
    try {
      await writeFile(`${dir}/mountinfo`, v2Mountinfo)
      await writeFile(`${dir}/cgroup`, '0::/\n')
      const manager = await detectCgroupManager({
        mountinfo: `${dir}/mountinfo`,
        selfCgroup: `${dir}/cgroup`,
        root,
      })
      expect(manager.version).toBe(2)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
