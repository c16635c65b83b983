# Known bad: returns [i, j] with the later index first; the answer wants the smallest index first.
def two_sum(nums: list[int], target: int) -> list[int]:
    seen: dict[int, int] = {}
    for i, num in enumerate(nums):
        j = seen.get(target - num)
        if j is not None:
            return [i, j]
        seen[num] = i
    return []
