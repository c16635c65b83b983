import java.util.*;

class Solution {
    /**
     * How long to sleep before each retry of a failed request, in ms: exponential backoff with
     * "equal jitter", capped per retry, within a total sleep budget. See the statement for the
     * spec.
     *
     * On-call says this misbehaves in production. Find the bugs and fix them.
     */
    public static double[] retryDelays(long baseMs, long capMs, long budgetMs, double[] random) {
        double[] delays = new double[random.length];
        int count = 0;
        long ceiling = baseMs;
        double slept = 0;
        for (double r : random) {
            // Half the ceiling for sure, plus a random share of the other half.
            double delay = ceiling / 2.0 + r * ceiling / 2.0;
            slept += delay;
            if (slept >= budgetMs) break;
            delays[count++] = delay;
            ceiling = Math.min(ceiling * 2, capMs);
        }
        return Arrays.copyOf(delays, count);
    }
}
