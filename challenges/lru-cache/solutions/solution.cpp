#include <bits/stdc++.h>
using namespace std;

// A hash map from key to a node of a doubly linked list ordered by recency (front = most
// recent): splice() moves a node to the front in O(1), so every operation is O(1).
vector<optional<long long>> lruCache(long long capacity, vector<string>& ops,
                                     vector<vector<long long>>& args) {
    list<pair<long long, long long>> recency;  // (key, value), most recent first
    unordered_map<long long, list<pair<long long, long long>>::iterator> index;
    index.reserve(min<long long>(capacity, (long long)ops.size()) + 1);
    vector<optional<long long>> results;
    results.reserve(ops.size());
    for (size_t i = 0; i < ops.size(); i++) {
        long long key = args[i][0];
        auto found = index.find(key);
        if (ops[i] == "get") {
            if (found == index.end()) {
                results.push_back(nullopt);
                continue;
            }
            recency.splice(recency.begin(), recency, found->second);
            results.push_back(found->second->second);
            continue;
        }
        long long value = args[i][1];
        if (found != index.end()) {
            // An update makes the key the most recent and evicts nothing.
            found->second->second = value;
            recency.splice(recency.begin(), recency, found->second);
            results.push_back(nullopt);
            continue;
        }
        optional<long long> evicted;
        if ((long long)index.size() == capacity) {
            evicted = recency.back().first;
            index.erase(recency.back().first);
            recency.pop_back();
        }
        recency.emplace_front(key, value);
        index[key] = recency.begin();
        results.push_back(evicted);
    }
    return results;
}
