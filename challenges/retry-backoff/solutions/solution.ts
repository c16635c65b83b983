/**
 * The starter with its two bugs fixed:
 * 1. The first ceiling was baseMs even when baseMs > capMs; every ceiling must be capped.
 * 2. `slept >= budgetMs` dropped a retry that uses up the budget exactly; only going *over* the
 *    budget stops the retries.
 * Doubling a capped ceiling (rather than computing baseMs * 2^i) also keeps integer languages
 * from overflowing after 63 retries.
 */
function retryDelays(baseMs: number, capMs: number, budgetMs: number, random: number[]): number[] {
  const delays: number[] = []
  let ceiling = Math.min(baseMs, capMs)
  let slept = 0
  for (let i = 0; i < random.length; i++) {
    // Half the ceiling for sure, plus a random share of the other half.
    const delay = ceiling / 2 + (random[i]! * ceiling) / 2
    slept += delay
    if (slept > budgetMs) break
    delays.push(delay)
    ceiling = Math.min(ceiling * 2, capMs)
  }
  return delays
}
