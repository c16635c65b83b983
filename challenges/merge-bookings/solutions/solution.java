import java.util.*;

class Solution {
    /**
     * Sort by start, then sweep: a booking that starts at or before the end of the current block
     * extends it; otherwise it opens a new block. O(n log n) for the sort, O(n) for the sweep.
     */
    public static long[][] mergeBookings(long[][] bookings) {
        // Sort a copy: the caller's array keeps its order.
        long[][] sorted = bookings.clone();
        Arrays.sort(sorted, Comparator.comparingLong(booking -> booking[0]));
        List<long[]> blocks = new ArrayList<>();
        for (long[] booking : sorted) {
            long start = booking[0], end = booking[1];
            long[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            // Half-open bookings: [1, 3) and [3, 5) leave no gap, so they form one block.
            if (last != null && start <= last[1]) last[1] = Math.max(last[1], end);
            else blocks.add(new long[] {start, end});
        }
        return blocks.toArray(new long[0][]);
    }
}
