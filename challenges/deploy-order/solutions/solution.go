package main

import "container/heap"

// deployOrder runs Kahn's algorithm with a min-heap as the "ready" set, so that the
// alphabetically first ready service always goes next. O((V + E) log V). If the heap empties
// before every service is deployed, the rest wait on each other: a cycle, answered with nil.
func deployOrder(dependsOn map[string][]string) []string {
	waitingOn := make(map[string]int, len(dependsOn))
	dependents := make(map[string][]string, len(dependsOn))
	for service, deps := range dependsOn {
		// A dependency listed twice counts twice here and is released twice below.
		waitingOn[service] = len(deps)
		for _, dep := range deps {
			dependents[dep] = append(dependents[dep], service)
		}
	}
	ready := &minHeap{}
	for service, left := range waitingOn {
		if left == 0 {
			*ready = append(*ready, service)
		}
	}
	heap.Init(ready)
	// Not nil: with no services at all the answer is an empty order, not "misconfigured".
	order := make([]string, 0, len(dependsOn))
	for ready.Len() > 0 {
		service := heap.Pop(ready).(string)
		order = append(order, service)
		for _, next := range dependents[service] {
			waitingOn[next]--
			if waitingOn[next] == 0 {
				heap.Push(ready, next)
			}
		}
	}
	if len(order) != len(dependsOn) {
		return nil
	}
	return order
}

// minHeap is a heap.Interface of strings; Go compares strings byte by byte (character codes).
type minHeap []string

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *minHeap) Pop() any {
	old := *h
	last := old[len(old)-1]
	*h = old[:len(old)-1]
	return last
}
