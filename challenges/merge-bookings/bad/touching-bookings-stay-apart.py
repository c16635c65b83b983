# Known bad: `<` instead of `<=`, so [1, 3) and [3, 5) stay two blocks.
def merge_bookings(bookings: list[list[int]]) -> list[list[int]]:
    """Sort by start, then sweep: a booking that starts at or before the end of the current block
    extends it; otherwise it opens a new block. O(n log n) for the sort, O(n) for the sweep."""
    blocks: list[list[int]] = []
    # sorted() copies, so the caller's list keeps its order.
    for start, end in sorted(bookings, key=lambda booking: booking[0]):
        # Half-open bookings: [1, 3) and [3, 5) leave no gap, so they form one block.
        if blocks and start < blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], end)
        else:
            blocks.append([start, end])
    return blocks
