import java.util.*;

class Solution {
    /**
     * The starter with its two bugs fixed:
     * 1. The first ceiling was baseMs even when baseMs > capMs; every ceiling must be capped.
     * 2. {@code slept >= budgetMs} dropped a retry that uses up the budget exactly; only going
     *    over the budget stops the retries.
     * Doubling a capped ceiling (rather than computing baseMs << i) also keeps the long from
     * overflowing after 63 retries.
     */
    public static double[] retryDelays(long baseMs, long capMs, long budgetMs, double[] random) {
        double[] delays = new double[random.length];
        int count = 0;
        long ceiling = Math.min(baseMs, capMs);
        double slept = 0;
        for (double r : random) {
            // Half the ceiling for sure, plus a random share of the other half.
            double delay = ceiling / 2.0 + r * ceiling / 2.0;
            slept += delay;
            if (slept > budgetMs) break;
            delays[count++] = delay;
            ceiling = Math.min(ceiling * 2, capMs);
        }
        return Arrays.copyOf(delays, count);
    }
}
