import java.util.*;

class Solution {
    public static long[] twoSum(long[] nums, long target) {
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < nums.length; i++) {
            Integer j = seen.get(target - nums[i]);
            if (j != null) return new long[] {j, i};
            seen.put(nums[i], i);
        }
        return new long[0];
    }
}
