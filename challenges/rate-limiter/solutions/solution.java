import java.util.*;

class Solution {
    /**
     * Sliding-window log per client: a queue of the timestamps of that client's allowed requests
     * still inside the window. Every timestamp enters and leaves its queue once, so a run over n
     * requests takes O(n) time.
     */
    public static boolean[] rateLimit(
            Map<String, Long> limits, long windowMs, String[] clients, long[] timestamps) {
        Map<String, ArrayDeque<Long>> logs = new HashMap<>();
        long defaultLimit = limits.get("*");
        boolean[] decisions = new boolean[clients.length];
        for (int i = 0; i < clients.length; i++) {
            long now = timestamps[i];
            long limit = limits.getOrDefault(clients[i], defaultLimit);
            ArrayDeque<Long> log = logs.computeIfAbsent(clients[i], client -> new ArrayDeque<>());
            // The window is (now - windowMs, now]: a request exactly windowMs ago has left it.
            while (!log.isEmpty() && log.peekFirst() <= now - windowMs) log.pollFirst();
            decisions[i] = log.size() < limit;
            if (decisions[i]) log.addLast(now);
        }
        return decisions;
    }
}
