import java.util.*;

class Solution {
    /**
     * Kahn's algorithm with a min-heap as the "ready" set, so that the alphabetically first ready
     * service always goes next. O((V + E) log V). If the heap empties before every service is
     * deployed, the rest wait on each other: a cycle, answered with null.
     */
    public static String[] deployOrder(Map<String, String[]> dependsOn) {
        Map<String, Integer> waitingOn = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (String service : dependsOn.keySet()) dependents.put(service, new ArrayList<>());
        for (Map.Entry<String, String[]> entry : dependsOn.entrySet()) {
            // A dependency listed twice counts twice here and is released twice below.
            waitingOn.put(entry.getKey(), entry.getValue().length);
            for (String dep : entry.getValue()) dependents.get(dep).add(entry.getKey());
        }
        // String.compareTo compares UTF-16 code units: character code order.
        PriorityQueue<String> ready = new PriorityQueue<>();
        for (Map.Entry<String, Integer> entry : waitingOn.entrySet()) {
            if (entry.getValue() == 0) ready.add(entry.getKey());
        }
        List<String> order = new ArrayList<>(dependsOn.size());
        while (!ready.isEmpty()) {
            String service = ready.poll();
            order.add(service);
            for (String next : dependents.get(service)) {
                if (waitingOn.merge(next, -1, Integer::sum) == 0) ready.add(next);
            }
        }
        return order.size() == dependsOn.size() ? order.toArray(new String[0]) : null;
    }
}
