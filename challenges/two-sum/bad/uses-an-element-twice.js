// Known bad: records nums[i] before looking for its complement, so 3 + 3 = 6 pairs index 0 with itself.
function twoSum(nums, target) {
  const seen = new Map()
  for (let i = 0; i < nums.length; i++) {
    seen.set(nums[i], i)
    const j = seen.get(target - nums[i])
    if (j !== undefined) return [j, i]
  }
  return []
}
