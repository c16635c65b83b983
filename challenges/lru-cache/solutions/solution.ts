/**
 * A hash map from key to node of a doubly linked list ordered by recency: the classic O(1) LRU
 * that carries over to any language. (In JavaScript a Map alone would do, since it iterates in
 * insertion order; see solution.js.)
 */
interface Entry {
  key: number
  value: number
  prev: Entry | null
  next: Entry | null
}

function lruCache(capacity: number, ops: string[], args: number[][]): (number | null)[] {
  const index = new Map<number, Entry>()
  // Sentinels: head.next is the most recent entry, tail.prev the least recent.
  const head: Entry = { key: 0, value: 0, prev: null, next: null }
  const tail: Entry = { key: 0, value: 0, prev: head, next: null }
  head.next = tail

  const unlink = (entry: Entry): void => {
    entry.prev!.next = entry.next
    entry.next!.prev = entry.prev
  }
  const pushFront = (entry: Entry): void => {
    entry.prev = head
    entry.next = head.next
    head.next!.prev = entry
    head.next = entry
  }

  const results: (number | null)[] = []
  for (let i = 0; i < ops.length; i++) {
    const key = args[i]![0]!
    const entry = index.get(key)
    if (ops[i] === 'get') {
      if (entry === undefined) {
        results.push(null)
        continue
      }
      unlink(entry)
      pushFront(entry)
      results.push(entry.value)
      continue
    }
    const value = args[i]![1]!
    if (entry !== undefined) {
      entry.value = value
      unlink(entry)
      pushFront(entry)
      results.push(null)
      continue
    }
    let evicted: number | null = null
    if (index.size === capacity) {
      const oldest = tail.prev!
      unlink(oldest)
      index.delete(oldest.key)
      evicted = oldest.key
    }
    const fresh: Entry = { key, value, prev: null, next: null }
    pushFront(fresh)
    index.set(key, fresh)
    results.push(evicted)
  }
  return results
}
