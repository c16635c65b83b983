// Reads the whole access log from stdin and prints one line of statistics per endpoint.
// O(n log n): one pass to group, then one sort per endpoint.
#include <bits/stdc++.h>
using namespace std;

struct EndpointStats {
    vector<int> latencies;  // ms, one per request
    int errors = 0;         // requests answered with a 5xx status
};

// Whether s is non-empty and every character passes test (isdigit, isupper: ASCII only in the
// C locale); the cast to unsigned char keeps bytes >= 0x80 from being negative.
bool allOf(const string& s, int (*test)(int)) {
    return !s.empty() && all_of(s.begin(), s.end(), [&](unsigned char c) { return test(c); });
}

// "/api/users/42?x=1" → "/api/users/:id": drop the query, collapse numeric ids.
string endpointPath(const string& target) {
    string path = target.substr(0, target.find('?'));
    string out, segment;
    // One pass over the segments; the final segment is flushed after the loop.
    for (char c : path) {
        if (c == '/') {
            out += allOf(segment, isdigit) ? ":id" : segment;
            out += '/';
            segment.clear();
        } else {
            segment += c;
        }
    }
    out += allOf(segment, isdigit) ? ":id" : segment;
    return out;
}

// Nearest-rank percentile of sorted values, with the rank computed in integers.
int percentile(const vector<int>& sorted, int p) {
    return sorted[(p * sorted.size() + 99) / 100 - 1];
}

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    map<pair<string, string>, EndpointStats> endpoints;  // (method, path) → stats
    string line;
    while (getline(cin, line)) {
        istringstream fields(line);
        string timestamp, method, target, status, latency, extra;
        // Exactly five whitespace-separated fields; blank or malformed lines are skipped, as a
        // log shipper would.
        if (!(fields >> timestamp >> method >> target >> status >> latency) || fields >> extra) {
            continue;
        }
        bool valid = allOf(method, isupper) && target[0] == '/' && status.size() == 3 &&
                     allOf(status, isdigit) && status >= "100" && status <= "599" &&
                     allOf(latency, isdigit);
        if (!valid) continue;
        EndpointStats& stats = endpoints[{method, endpointPath(target)}];
        stats.latencies.push_back(stoi(latency));
        if (status >= "500") stats.errors++;
    }

    vector<pair<const pair<string, string>, EndpointStats>*> rows;
    for (auto& row : endpoints) rows.push_back(&row);
    // Most requests first; the map already ordered ties by (method, path), and stable_sort keeps
    // that order. std::string compares by character code.
    stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
        return a->second.latencies.size() > b->second.latencies.size();
    });
    for (auto* row : rows) {
        const auto& [method, path] = row->first;
        EndpointStats& stats = row->second;
        sort(stats.latencies.begin(), stats.latencies.end());
        size_t count = stats.latencies.size();
        printf("%s %s %zu %d %d %.4f\n", method.c_str(), path.c_str(), count,
               percentile(stats.latencies, 50), percentile(stats.latencies, 95),
               (double)stats.errors / count);
    }
    return 0;
}
