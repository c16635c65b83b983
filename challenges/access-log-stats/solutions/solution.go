// Reads the whole access log from stdin and prints one line of statistics per endpoint.
// O(n log n): one pass to group, then one sort per endpoint.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type endpointStats struct {
	method, path string
	latencies    []int // ms, one per request
	errors       int   // requests answered with a 5xx status
}

// allOf says whether s is non-empty and every byte of it is in [lo, hi].
func allOf(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return s != ""
}

// endpointPath turns "/api/users/42?x=1" into "/api/users/:id": it drops the query and
// collapses numeric ids.
func endpointPath(target string) string {
	path, _, _ := strings.Cut(target, "?")
	segments := strings.Split(path, "/")
	for i, segment := range segments {
		if allOf(segment, '0', '9') {
			segments[i] = ":id"
		}
	}
	return strings.Join(segments, "/")
}

// percentile is the nearest-rank percentile of sorted values, with the rank computed in integers.
func percentile(sorted []int, p int) int {
	return sorted[(p*len(sorted)+99)/100-1]
}

func main() {
	endpoints := map[string]*endpointStats{}
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<16), 1<<20)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		// Exactly five fields, each well-formed; blank or malformed lines are skipped, as a log
		// shipper would.
		if len(fields) != 5 {
			continue
		}
		method, target, status, latency := fields[1], fields[2], fields[3], fields[4]
		valid := allOf(method, 'A', 'Z') && strings.HasPrefix(target, "/") &&
			len(status) == 3 && allOf(status, '0', '9') && status >= "100" && status <= "599" &&
			allOf(latency, '0', '9')
		if !valid {
			continue
		}
		path := endpointPath(target)
		key := method + " " + path
		stats := endpoints[key]
		if stats == nil {
			stats = &endpointStats{method: method, path: path}
			endpoints[key] = stats
		}
		ms, _ := strconv.Atoi(latency)
		stats.latencies = append(stats.latencies, ms)
		if status >= "500" {
			stats.errors++
		}
	}

	rows := make([]*endpointStats, 0, len(endpoints))
	for _, stats := range endpoints {
		rows = append(rows, stats)
	}
	// Go compares strings byte by byte: character code order.
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if len(a.latencies) != len(b.latencies) {
			return len(a.latencies) > len(b.latencies)
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.path < b.path
	})
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, stats := range rows {
		sort.Ints(stats.latencies)
		count := len(stats.latencies)
		fmt.Fprintf(out, "%s %s %d %d %d %.4f\n", stats.method, stats.path, count,
			percentile(stats.latencies, 50), percentile(stats.latencies, 95),
			float64(stats.errors)/float64(count))
	}
}
