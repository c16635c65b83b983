#include <bits/stdc++.h>
using namespace std;

// How long to sleep before each retry of a failed request, in ms: exponential backoff with
// "equal jitter", capped per retry, within a total sleep budget. See the statement for the spec.
//
// On-call says this misbehaves in production. Find the bugs and fix them.
vector<double> retryDelays(long long baseMs, long long capMs, long long budgetMs,
                           vector<double>& random) {
    vector<double> delays;
    long long ceiling = baseMs;
    double slept = 0;
    for (double r : random) {
        // Half the ceiling for sure, plus a random share of the other half.
        double delay = ceiling / 2.0 + r * ceiling / 2.0;
        slept += delay;
        if (slept >= budgetMs) break;
        delays.push_back(delay);
        ceiling = min(ceiling * 2, capMs);
    }
    return delays;
}
