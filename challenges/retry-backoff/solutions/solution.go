package main

// retryDelays is the starter with its two bugs fixed:
//  1. The first ceiling was baseMs even when baseMs > capMs; every ceiling must be capped.
//  2. `slept >= budgetMs` dropped a retry that uses up the budget exactly; only going *over*
//     the budget stops the retries.
//
// Doubling a capped ceiling (rather than computing baseMs << i) also keeps the int from
// overflowing after 63 retries.
func retryDelays(baseMs int, capMs int, budgetMs int, random []float64) []float64 {
	delays := make([]float64, 0, len(random))
	ceiling := capped(baseMs, capMs)
	slept := 0.0
	for _, r := range random {
		// Half the ceiling for sure, plus a random share of the other half.
		delay := float64(ceiling)/2 + r*float64(ceiling)/2
		slept += delay
		if slept > float64(budgetMs) {
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
