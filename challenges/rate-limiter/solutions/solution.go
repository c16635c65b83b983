package main

// rateLimit keeps a sliding-window log per client: a queue of the timestamps of that client's
// allowed requests still inside the window. Every timestamp enters and leaves its queue once, so
// a run over n requests takes O(n) time.
func rateLimit(limits map[string]int, windowMs int, clients []string, timestamps []int) []bool {
	logs := make(map[string][]int)
	decisions := make([]bool, len(clients))
	for i, client := range clients {
		now := timestamps[i]
		limit, ok := limits[client]
		if !ok {
			limit = limits["*"]
		}
		log := logs[client]
		// The window is (now - windowMs, now]: a request exactly windowMs ago has left it.
		// Re-slicing drops the head; append reallocates now and then, freeing what was dropped.
		for len(log) > 0 && log[0] <= now-windowMs {
			log = log[1:]
		}
		if len(log) < limit {
			log = append(log, now)
			decisions[i] = true
		}
		logs[client] = log
	}
	return decisions
}
