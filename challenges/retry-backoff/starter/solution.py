def retry_delays(base_ms: int, cap_ms: int, budget_ms: int, random: list[float]) -> list[float]:
    """How long to sleep before each retry of a failed request, in ms: exponential backoff with
    "equal jitter", capped per retry, within a total sleep budget. See the statement for the spec.

    On-call says this misbehaves in production. Find the bugs and fix them.
    """
    delays: list[float] = []
    ceiling = base_ms
    slept = 0.0
    for r in random:
        # Half the ceiling for sure, plus a random share of the other half.
        delay = ceiling / 2 + r * ceiling / 2
        slept += delay
        if slept >= budget_ms:
            break
        delays.append(delay)
        ceiling = min(ceiling * 2, cap_ms)
    return delays
