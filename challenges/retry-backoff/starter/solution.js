/**
 * How long to sleep before each retry of a failed request, in ms: exponential backoff with
 * "equal jitter", capped per retry, within a total sleep budget. See the statement for the spec.
 *
 * On-call says this misbehaves in production. Find the bugs and fix them.
 */
function retryDelays(baseMs, capMs, budgetMs, random) {
  const delays = []
  let ceiling = baseMs
  let slept = 0
  for (let i = 0; i < random.length; i++) {
    // Half the ceiling for sure, plus a random share of the other half.
    const delay = ceiling / 2 + (random[i] * ceiling) / 2
    slept += delay
    if (slept >= budgetMs) break
    delays.push(delay)
    ceiling = Math.min(ceiling * 2, capMs)
  }
  return delays
}
