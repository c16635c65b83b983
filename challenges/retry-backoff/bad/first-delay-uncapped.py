# Known bad: the first ceiling is base_ms even when base_ms > cap_ms.
def retry_delays(base_ms: int, cap_ms: int, budget_ms: int, random: list[float]) -> list[float]:
    """The starter with its two bugs fixed:
    1. The first ceiling was base_ms even when base_ms > cap_ms; every ceiling must be capped.
    2. `slept >= budget_ms` dropped a retry that uses up the budget exactly; only going *over*
       the budget stops the retries.
    Doubling a capped ceiling (rather than computing base_ms * 2**i) keeps the numbers small;
    Python's ints would not overflow, but other languages' would after 63 retries."""
    delays: list[float] = []
    ceiling = base_ms
    slept = 0.0
    for r in random:
        # Half the ceiling for sure, plus a random share of the other half.
        delay = ceiling / 2 + r * ceiling / 2
        slept += delay
        if slept > budget_ms:
            break
        delays.append(delay)
        ceiling = min(ceiling * 2, cap_ms)
    return delays
