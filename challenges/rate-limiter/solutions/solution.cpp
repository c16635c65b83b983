#include <bits/stdc++.h>
using namespace std;

// Sliding-window log per client: a queue of the timestamps of that client's allowed requests
// still inside the window. Every timestamp enters and leaves its queue once, so a run over n
// requests takes O(n) time.
vector<bool> rateLimit(unordered_map<string, long long>& limits, long long windowMs,
                       vector<string>& clients, vector<long long>& timestamps) {
    unordered_map<string, deque<long long>> logs;
    const long long defaultLimit = limits.at("*");
    vector<bool> decisions;
    decisions.reserve(clients.size());
    for (size_t i = 0; i < clients.size(); i++) {
        long long now = timestamps[i];
        auto tier = limits.find(clients[i]);
        long long limit = tier != limits.end() ? tier->second : defaultLimit;
        deque<long long>& log = logs[clients[i]];
        // The window is (now - windowMs, now]: a request exactly windowMs ago has left it.
        while (!log.empty() && log.front() <= now - windowMs) log.pop_front();
        bool allowed = (long long)log.size() < limit;
        if (allowed) log.push_back(now);
        decisions.push_back(allowed);
    }
    return decisions;
}
