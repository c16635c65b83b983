// Known bad: a booking inside the block sets its end instead of extending it, so the block shrinks.
/**
 * Sort by start, then sweep: a booking that starts at or before the end of the current block
 * extends it; otherwise it opens a new block. O(n log n) for the sort, O(n) for the sweep.
 */
function mergeBookings(bookings: number[][]): number[][] {
  const sorted = bookings
    .map(([start, end]) => [start!, end!] as [number, number])
    .sort((a, b) => a[0] - b[0])
  const blocks: [number, number][] = []
  for (const [start, end] of sorted) {
    const last = blocks[blocks.length - 1]
    // Half-open bookings: [1, 3) and [3, 5) leave no gap, so they form one block.
    if (last !== undefined && start <= last[1]) last[1] = end
    else blocks.push([start, end])
  }
  return blocks
}
