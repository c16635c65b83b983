/** The allowed requests of one client still inside the window: times[head..]. */
interface RequestLog {
  times: number[]
  head: number
}

/**
 * Sliding-window log per client: a queue of the timestamps of that client's allowed requests
 * still inside the window. Every timestamp enters and leaves its queue once, so a run over n
 * requests takes O(n) time.
 */
function rateLimit(
  limits: Record<string, number>,
  windowMs: number,
  clients: string[],
  timestamps: number[],
): boolean[] {
  const logs = new Map<string, RequestLog>()
  const decisions: boolean[] = []
  for (let i = 0; i < clients.length; i++) {
    const client = clients[i]!
    const now = timestamps[i]!
    // hasOwn, not limits[client]: a client called "constructor" must not find Object's method.
    const limit = Object.hasOwn(limits, client) ? limits[client]! : limits['*']!
    let log = logs.get(client)
    if (log === undefined) {
      log = { times: [], head: 0 }
      logs.set(client, log)
    }
    while (log.head < log.times.length && log.times[log.head]! <= now - windowMs) log.head++
    // Compact now and then so a long-lived limiter's memory stays bounded by its window.
    if (log.head > 1024 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head)
      log.head = 0
    }
    const allowed = log.times.length - log.head < limit
    if (allowed) log.times.push(now)
    decisions.push(allowed)
  }
  return decisions
}
