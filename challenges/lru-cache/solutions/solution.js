/**
 * A JavaScript Map iterates in insertion order, so it is already an LRU list: deleting and
 * re-inserting a key moves it to the most-recent end, and the first key is the least recent.
 * Every operation is O(1).
 */
function lruCache(capacity, ops, args) {
  const cache = new Map()
  const results = []
  for (let i = 0; i < ops.length; i++) {
    const [key, value] = args[i]
    if (ops[i] === 'get') {
      // has(), not a truthiness check: 0 is a perfectly good cached value.
      if (!cache.has(key)) {
        results.push(null)
        continue
      }
      const hit = cache.get(key)
      cache.delete(key)
      cache.set(key, hit)
      results.push(hit)
    } else {
      let evicted = null
      if (cache.has(key)) cache.delete(key)
      else if (cache.size === capacity) {
        evicted = cache.keys().next().value
        cache.delete(evicted)
      }
      cache.set(key, value)
      results.push(evicted)
    }
  }
  return results
}
