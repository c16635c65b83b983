/**
 * Summarises a V8 heap snapshot (from `node bench/collab.ts --heap-snapshot`): retained-by-type
 * is expensive to compute, so this sums *self* sizes by constructor name, with counts, which is
 * enough to see what a room is made of: subtract the snapshot taken before the rooms opened
 * (`--base`) and divide by the room count (`--per`).
 *
 *   node bench/heapTop.ts bench/tmp/tandem-200.heapsnapshot \
 *     --base bench/tmp/tandem-200-baseline.heapsnapshot --per 200 [--top 40]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    per: { type: 'string', default: '1' },
    base: { type: 'string' },
  },
})
const file = positionals[0]
if (file === undefined) {
  console.error('usage: node bench/heapTop.ts <file.heapsnapshot> [--top 40] [--per rooms]')
  process.exit(2)
}
type Groups = Map<string, { count: number; bytes: number }>

function summarise(path: string): { groups: Groups; total: number } {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0]
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const groups: Groups = new Map()
  let total = 0
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?'
    const name = snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?'
    const bytes = snapshot.nodes[i + sizeAt] ?? 0
    // Strings and code are grouped by type; objects and closures by name.
    const key = type === 'object' || type === 'closure' ? `${type} ${name}` : `(${type})`
    const group = groups.get(key) ?? { count: 0, bytes: 0 }
    group.count++
    group.bytes += bytes
    groups.set(key, group)
    total += bytes
  }
  return { groups, total }
}

const { groups, total: loadedTotal } = summarise(file)
let total = loadedTotal
if (values.base !== undefined) {
  const base = summarise(values.base)
  total -= base.total
  for (const [key, { count, bytes }] of base.groups) {
    const group = groups.get(key) ?? { count: 0, bytes: 0 }
    groups.set(key, { count: group.count - count, bytes: group.bytes - bytes })
  }
}
const per = Number(values.per)
console.log(`${file}: ${(total / per).toFixed(0)} B self size per ${per}:`)
for (const [key, { count, bytes }] of [...groups]
  .sort((a, b) => b[1].bytes - a[1].bytes)
  .slice(0, Number(values.top))) {
  console.log(
    `  ${(bytes / per).toFixed(0).padStart(9)} B  ${(count / per).toFixed(2).padStart(8)} ×  ${key}`,
  )
}
