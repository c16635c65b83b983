import java.util.*;

class Solution {
    /**
     * A LinkedHashMap in access order is already an LRU list: get() and put() move a key to the
     * most-recent end, and the first key is the least recent. Every operation is O(1).
     */
    public static Long[] lruCache(long capacity, String[] ops, long[][] args) {
        // accessOrder = true: iteration runs from the least to the most recently used key.
        LinkedHashMap<Long, Long> cache = new LinkedHashMap<>(16, 0.75f, true);
        Long[] results = new Long[ops.length];
        for (int i = 0; i < ops.length; i++) {
            long key = args[i][0];
            if (ops[i].equals("get")) {
                // A miss answers null and, unlike a hit, leaves the order alone.
                results[i] = cache.get(key);
                continue;
            }
            if (!cache.containsKey(key) && cache.size() == capacity) {
                Long oldest = cache.keySet().iterator().next();
                cache.remove(oldest);
                results[i] = oldest;
            }
            cache.put(key, args[i][1]);
        }
        return results;
    }
}
