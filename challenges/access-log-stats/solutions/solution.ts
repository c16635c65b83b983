// Reads the whole access log from stdin (the global `input` string) and prints one line of
// statistics per endpoint. O(n log n): one pass to group, then one sort per endpoint.

declare const input: string

interface EndpointStats {
  method: string
  path: string
  /** Milliseconds, one per request. */
  latencies: number[]
  /** Requests answered with a 5xx status. */
  errors: number
}

const linePattern = /^(\S+)\s+([A-Z]+)\s+(\/\S*)\s+([1-5]\d\d)\s+(\d+)$/

/** "/api/users/42?x=1" → "/api/users/:id": drop the query, collapse numeric ids. */
function endpointPath(target: string): string {
  const path = target.split('?')[0]!
  return path
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':id' : segment))
    .join('/')
}

/** Nearest-rank percentile of sorted values, with the rank computed in integers. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.floor((p * sorted.length + 99) / 100)
  return sorted[rank - 1]!
}

const endpoints = new Map<string, EndpointStats>()
for (const line of input.split('\n')) {
  const match = linePattern.exec(line.trim())
  if (match === null) continue // blank or malformed: skip it, as a log shipper would
  const [, , method = '', target = '', status = '', latency = ''] = match
  const path = endpointPath(target)
  const key = `${method} ${path}`
  let stats = endpoints.get(key)
  if (stats === undefined) {
    stats = { method, path, latencies: [], errors: 0 }
    endpoints.set(key, stats)
  }
  stats.latencies.push(Number(latency))
  if (Number(status) >= 500) stats.errors++
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const rows = [...endpoints.values()].sort(
  (a, b) =>
    b.latencies.length - a.latencies.length || byCode(a.method, b.method) || byCode(a.path, b.path),
)
const out: string[] = []
for (const { method, path, latencies, errors } of rows) {
  latencies.sort((a, b) => a - b)
  const count = latencies.length
  const errorRate = (errors / count).toFixed(4)
  out.push(
    `${method} ${path} ${count} ${percentile(latencies, 50)} ${percentile(latencies, 95)} ${errorRate}`,
  )
}
if (out.length > 0) console.log(out.join('\n'))
