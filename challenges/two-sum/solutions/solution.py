def two_sum(nums: list[int], target: int) -> list[int]:
    seen: dict[int, int] = {}
    for i, num in enumerate(nums):
        j = seen.get(target - num)
        if j is not None:
            return [j, i]
        seen[num] = i
    return []
