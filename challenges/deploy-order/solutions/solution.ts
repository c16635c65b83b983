/**
 * Kahn's algorithm with a min-heap as the "ready" set, so that the alphabetically first ready
 * service always goes next. O((V + E) log V). If the heap empties before every service is
 * deployed, the rest wait on each other: a cycle.
 */
function deployOrder(dependsOn: Record<string, string[]>): string[] | null {
  const services = Object.keys(dependsOn)
  const waitingOn = new Map<string, number>() // service → dependencies not yet deployed
  const dependents = new Map<string, string[]>() // service → services that depend on it
  for (const service of services) dependents.set(service, [])
  for (const service of services) {
    const deps = dependsOn[service]!
    // A dependency listed twice counts twice here and is released twice below, so it balances.
    waitingOn.set(service, deps.length)
    for (const dep of deps) dependents.get(dep)!.push(service)
  }
  const ready = new MinHeap()
  for (const service of services) if (waitingOn.get(service) === 0) ready.push(service)
  const order: string[] = []
  for (let service = ready.pop(); service !== undefined; service = ready.pop()) {
    order.push(service)
    for (const next of dependents.get(service)!) {
      const left = waitingOn.get(next)! - 1
      waitingOn.set(next, left)
      if (left === 0) ready.push(next)
    }
  }
  return order.length === services.length ? order : null
}

/** A binary min-heap of strings, ordered by UTF-16 code units (plain `<`, not localeCompare). */
class MinHeap {
  private readonly items: string[] = []

  push(item: string): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (items[parent]! <= item) break
      items[i] = items[parent]!
      i = parent
    }
    items[i] = item
  }

  /** The smallest item, or undefined when empty. */
  pop(): string | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= items.length) break
        const right = left + 1
        const child = right < items.length && items[right]! < items[left]! ? right : left
        if (last <= items[child]!) break
        items[i] = items[child]!
        i = child
      }
      items[i] = last
    }
    return top
  }
}
