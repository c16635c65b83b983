function twoSum(nums: number[], target: number): number[] {
  const seen = new Map<number, number>()
  for (const [i, n] of nums.entries()) {
    const j = seen.get(target - n)
    if (j !== undefined) return [j, i]
    seen.set(n, i)
  }
  return []
}
