import java.io.*;
import java.util.*;
import java.util.regex.*;

/**
 * Reads the whole access log from stdin and prints one line of statistics per endpoint.
 * O(n log n): one pass to group, then one sort per endpoint.
 */
public class Main {
    private static final Pattern LINE =
            Pattern.compile("\\S+\\s+([A-Z]+)\\s+(/\\S*)\\s+([1-5]\\d\\d)\\s+(\\d+)");
    private static final Pattern NUMERIC = Pattern.compile("\\d+");

    private static final class EndpointStats {
        final String method;
        final String path;
        /** Milliseconds, one per request. */
        final List<Integer> latencies = new ArrayList<>();
        /** Requests answered with a 5xx status. */
        int errors;

        EndpointStats(String method, String path) {
            this.method = method;
            this.path = path;
        }
    }

    /** "/api/users/42?x=1" → "/api/users/:id": drop the query, collapse numeric ids. */
    static String endpointPath(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        // limit -1 keeps trailing empty segments: "/health/" stays "/health/".
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (NUMERIC.matcher(segments[i]).matches()) segments[i] = ":id";
        }
        return String.join("/", segments);
    }

    /** Nearest-rank percentile of sorted values, with the rank computed in integers. */
    static int percentile(List<Integer> sorted, int p) {
        return sorted.get((p * sorted.size() + 99) / 100 - 1);
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        Map<String, EndpointStats> endpoints = new HashMap<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Matcher match = LINE.matcher(line.strip());
            if (!match.matches()) continue; // blank or malformed: skip it, as a log shipper would
            String method = match.group(1);
            String path = endpointPath(match.group(2));
            EndpointStats stats = endpoints.computeIfAbsent(
                    method + " " + path, key -> new EndpointStats(method, path));
            stats.latencies.add(Integer.parseInt(match.group(4)));
            if (Integer.parseInt(match.group(3)) >= 500) stats.errors++;
        }

        // String.compareTo compares UTF-16 code units: character code order.
        List<EndpointStats> rows = new ArrayList<>(endpoints.values());
        rows.sort(Comparator.<EndpointStats>comparingInt(s -> -s.latencies.size())
                .thenComparing(s -> s.method)
                .thenComparing(s -> s.path));
        StringBuilder out = new StringBuilder();
        for (EndpointStats stats : rows) {
            Collections.sort(stats.latencies);
            int count = stats.latencies.size();
            // Locale.ROOT: a decimal point, whatever the machine's locale.
            out.append(String.format(Locale.ROOT, "%s %s %d %d %d %.4f%n", stats.method, stats.path,
                    count, percentile(stats.latencies, 50), percentile(stats.latencies, 95),
                    (double) stats.errors / count));
        }
        System.out.print(out);
    }
}
