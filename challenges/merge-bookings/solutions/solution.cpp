#include <bits/stdc++.h>
using namespace std;

// Sort by start, then sweep: a booking that starts at or before the end of the current block
// extends it; otherwise it opens a new block. O(n log n) for the sort, O(n) for the sweep.
vector<vector<long long>> mergeBookings(vector<vector<long long>>& bookings) {
    // Sort a copy: the caller's bookings keep their order.
    vector<vector<long long>> sorted = bookings;
    sort(sorted.begin(), sorted.end(),
         [](const vector<long long>& a, const vector<long long>& b) { return a[0] < b[0]; });
    vector<vector<long long>> blocks;
    for (const auto& booking : sorted) {
        long long start = booking[0], end = booking[1];
        // Half-open bookings: [1, 3) and [3, 5) leave no gap, so they form one block.
        if (!blocks.empty() && start <= blocks.back()[1]) {
            blocks.back()[1] = max(blocks.back()[1], end);
        } else {
            blocks.push_back({start, end});
        }
    }
    return blocks;
}
