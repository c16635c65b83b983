#include <bits/stdc++.h>
using namespace std;

vector<long long> twoSum(vector<long long>& nums, long long target) {
    unordered_map<long long, long long> seen;
    for (long long i = 0; i < (long long)nums.size(); i++) {
        auto it = seen.find(target - nums[i]);
        if (it != seen.end()) return {it->second, i};
        seen[nums[i]] = i;
    }
    return {};
}
