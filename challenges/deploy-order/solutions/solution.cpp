#include <bits/stdc++.h>
using namespace std;

// Kahn's algorithm with a min-heap as the "ready" set, so that the alphabetically first ready
// service always goes next. O((V + E) log V). If the heap empties before every service is
// deployed, the rest wait on each other: a cycle, answered with nullopt.
optional<vector<string>> deployOrder(unordered_map<string, vector<string>>& dependsOn) {
    unordered_map<string, size_t> waitingOn;
    unordered_map<string, vector<string>> dependents;
    for (const auto& [service, deps] : dependsOn) {
        // A dependency listed twice counts twice here and is released twice below.
        waitingOn[service] = deps.size();
        for (const string& dep : deps) dependents[dep].push_back(service);
    }
    // greater<> turns the max-heap into a min-heap; std::string compares by character code.
    priority_queue<string, vector<string>, greater<string>> ready;
    for (const auto& [service, left] : waitingOn) {
        if (left == 0) ready.push(service);
    }
    vector<string> order;
    order.reserve(dependsOn.size());
    while (!ready.empty()) {
        string service = ready.top();
        ready.pop();
        for (const string& next : dependents[service]) {
            if (--waitingOn[next] == 0) ready.push(next);
        }
        order.push_back(move(service));
    }
    if (order.size() != dependsOn.size()) return nullopt;
    return order;
}
