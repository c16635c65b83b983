#include <bits/stdc++.h>
using namespace std;

// The starter with its two bugs fixed:
// 1. The first ceiling was baseMs even when baseMs > capMs; every ceiling must be capped.
// 2. `slept >= budgetMs` dropped a retry that uses up the budget exactly; only going *over* the
//    budget stops the retries.
// Doubling a capped ceiling (rather than computing baseMs << i) also keeps the long long from
// overflowing after 63 retries.
vector<double> retryDelays(long long baseMs, long long capMs, long long budgetMs,
                           vector<double>& random) {
    vector<double> delays;
    long long ceiling = min(baseMs, capMs);
    double slept = 0;
    for (double r : random) {
        // Half the ceiling for sure, plus a random share of the other half.
        double delay = ceiling / 2.0 + r * ceiling / 2.0;
        slept += delay;
        if (slept > budgetMs) break;
        delays.push_back(delay);
        ceiling = min(ceiling * 2, capMs);
    }
    return delays;
}
