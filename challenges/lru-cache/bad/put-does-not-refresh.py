# Known bad: updating an existing key does not make it the most recently used.
from collections import OrderedDict


def lru_cache(capacity: int, ops: list[str], args: list[list[int]]) -> list[int | None]:
    """An OrderedDict is a hash map threaded on a doubly linked list: move_to_end marks a key as
    the most recent, and popitem(last=False) evicts the least recent. Every operation is O(1)."""
    cache: OrderedDict[int, int] = OrderedDict()
    results: list[int | None] = []
    for op, arg in zip(ops, args):
        key = arg[0]
        if op == "get":
            # `in`, not a truthiness check on get(): 0 is a perfectly good cached value.
            if key not in cache:
                results.append(None)
                continue
            cache.move_to_end(key)
            results.append(cache[key])
            continue
        evicted = None
        if key in cache:
            pass
        elif len(cache) == capacity:
            evicted, _ = cache.popitem(last=False)
        cache[key] = arg[1]
        results.append(evicted)
    return results
