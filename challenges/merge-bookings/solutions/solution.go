package main

import "sort"

// mergeBookings sorts by start, then sweeps: a booking that starts at or before the end of the
// current block extends it; otherwise it opens a new block. O(n log n) for the sort, O(n) for
// the sweep.
func mergeBookings(bookings [][]int) [][]int {
	// Sort a copy: the caller's slice keeps its order.
	sorted := append([][]int(nil), bookings...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a][0] < sorted[b][0] })
	blocks := [][]int{}
	for _, booking := range sorted {
		start, end := booking[0], booking[1]
		last := len(blocks) - 1
		// Half-open bookings: [1, 3) and [3, 5) leave no gap, so they form one block.
		if last >= 0 && start <= blocks[last][1] {
			if end > blocks[last][1] {
				blocks[last][1] = end
			}
		} else {
			blocks = append(blocks, []int{start, end})
		}
	}
	return blocks
}
