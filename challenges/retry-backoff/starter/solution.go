package main

// retryDelays says how long to sleep before each retry of a failed request, in ms: exponential
// backoff with "equal jitter", capped per retry, within a total sleep budget. See the statement
// for the spec.
//
// On-call says this misbehaves in production. Find the bugs and fix them.
func retryDelays(baseMs int, capMs int, budgetMs int, random []float64) []float64 {
	delays := make([]float64, 0, len(random))
	ceiling := baseMs
	slept := 0.0
	for _, r := range random {
		// Half the ceiling for sure, plus a random share of the other half.
		delay := float64(ceiling)/2 + r*float64(ceiling)/2
		slept += delay
		if slept >= float64(budgetMs) {
			break
		}
		delays = append(delays, delay)
		ceiling = capped(ceiling*2, capMs)
	}
	return delays
}

// capped is min(ms, capMs); Go 1.19 has no built-in min.
func capped(ms, capMs int) int {
	if ms > capMs {
		return capMs
	}
	return ms
}
