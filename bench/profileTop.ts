/**
 * Summarises a V8 CPU profile (from `--cpu-prof`, e.g. `node bench/collab.ts --cpu-prof`): the
 * frames with the most self time, and the same grouped by package, so a profile can be quoted.
 *
 *   node bench/profileTop.ts bench/tmp/tandem-200.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    /** Also list total (self + callees) time of frames whose URL contains this. */
    total: { type: 'string' },
  },
})
const file = positionals[0]
if (file === undefined) {
  console.error('usage: node bench/profileTop.ts <file.cpuprofile> [--top 25]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))

// Self time per node, from the sample deltas (µs).
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
})
const totalUs = profile.endTime - profile.startTime

const where = (node: ProfileNode): string => {
  const { url, lineNumber } = node.callFrame
  const short = url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/main\//, '')
  return short === '' ? '' : `${short}:${lineNumber + 1}`
}
const packageOf = (node: ProfileNode): string => {
  const url = node.callFrame.url
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match !== null) return match[1] ?? url
  if (url.startsWith('node:')) return url.split('/')[0] ?? url
  if (url.includes('/server/')) return 'tandem server/'
  if (url === '') return `(${node.callFrame.functionName || 'native'})`
  return 'other'
}

const frames = new Map<string, number>()
const packages = new Map<string, number>()
for (const [id, us] of selfUs) {
  const node = byId.get(id)
  if (node === undefined) continue
  const key = `${node.callFrame.functionName || '(anonymous)'}  ${where(node)}`
  frames.set(key, (frames.get(key) ?? 0) + us)
  const pkg = packageOf(node)
  packages.set(pkg, (packages.get(pkg) ?? 0) + us)
}

const top = Number(values.top)
const pct = (us: number): string => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`)
console.log('\nself time by frame')
for (const [key, us] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${pct(us)}  ${key}`)
}
if (values.total !== undefined) {
  // Total time: a sample counts once for every distinct frame on its stack.
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  const totals = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)
      if (node === undefined || !node.callFrame.url.includes(values.total)) continue
      const key = `${node.callFrame.functionName || '(anonymous)'}  ${where(node)}`
      if (seen.has(key)) continue
      seen.add(key)
      totals.set(key, (totals.get(key) ?? 0) + us)
    }
  }
  console.log(`\ntotal time of frames in ${values.total}`)
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${pct(us)}  ${key}`)
  }
}
console.log('\nself time by package')
for (const [key, us] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${pct(us)}  ${key}`)
}
