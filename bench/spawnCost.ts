/**
 * What one `child_process.spawn` costs the event loop of the process that calls it, by that
 * process's resident memory: Linux copies the parent's page tables at fork, so a large parent
 * (the sandbox process holds the isolate pool) pays more per box it starts.
 *
 *   node bench/spawnCost.ts [--sizes 10,150,600] [--spawns 100]
 *
 * Each size runs in a fresh child process holding that many MiB, which spawns `/bin/true`
 * `--spawns` times; printed: the synchronous time of each spawn call (the event loop is blocked
 * for it) and the CPU it cost, beside the smallest size as the baseline.
 */
import { execFileSync, spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { printTable, ratio } from './lib/printTable.ts'

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,150,600' },
    spawns: { type: 'string', default: '100' },
    /** Internal: run one measurement holding this many MiB and print it as JSON. */
    child: { type: 'string' },
  },
})
const spawns = Number(flags.spawns)

interface Measurement {
  mib: number
  rssMiB: number
  syncMsPerSpawn: number
  cpuMsPerSpawn: number
}

async function measure(mib: number): Promise<Measurement> {
  const held: Buffer[] = []
  for (let i = 0; i < mib; i++) held.push(Buffer.alloc(1 << 20, 1))
  const before = process.cpuUsage()
  let syncMs = 0
  await new Promise<void>((resolve) => {
    let done = 0
    for (let i = 0; i < spawns; i++) {
      const start = performance.now()
      const child = spawn('/bin/true')
      syncMs += performance.now() - start
      child.on('close', () => {
        if (++done === spawns) resolve()
      })
    }
  })
  const cpu = process.cpuUsage(before)
  return {
    mib: held.length,
    rssMiB: Math.round(process.memoryUsage.rss() / (1 << 20)),
    syncMsPerSpawn: syncMs / spawns,
    cpuMsPerSpawn: (cpu.user + cpu.system) / 1000 / spawns,
  }
}

if (flags.child !== undefined) {
  console.log(JSON.stringify(await measure(Number(flags.child))))
} else {
  const rows = flags.sizes.split(',').map((size) => {
    const output = execFileSync(process.execPath, [
      import.meta.filename,
      '--child',
      size,
      '--spawns',
      String(spawns),
    ])
    return JSON.parse(output.toString('utf8')) as Measurement
  })
  const [base] = rows
  printTable(
    `spawn() cost by the caller's memory (${spawns} spawns of /bin/true each)`,
    ['held MiB', 'RSS MiB', 'sync ms/spawn', 'CPU ms/spawn', '× smallest'],
    rows.map((row) => [
      row.mib,
      row.rssMiB,
      row.syncMsPerSpawn,
      row.cpuMsPerSpawn,
      ratio(base?.syncMsPerSpawn, row.syncMsPerSpawn),
    ]),
  )
}
