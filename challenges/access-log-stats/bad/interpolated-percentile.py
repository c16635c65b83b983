# Known bad: an interpolated index instead of the nearest rank.
"""Reads the whole access log from stdin and prints one line of statistics per endpoint.
O(n log n): one pass to group, then one sort per endpoint."""

import re
import sys
from dataclasses import dataclass, field

# [0-9], not \d: Python's \d also matches non-ASCII digits such as "٣".
LINE = re.compile(r"\S+\s+([A-Z]+)\s+(/\S*)\s+([1-5][0-9][0-9])\s+([0-9]+)")
NUMERIC = re.compile(r"[0-9]+")


@dataclass
class EndpointStats:
    method: str
    path: str
    latencies: list[int] = field(default_factory=list)  # ms, one per request
    errors: int = 0  # requests answered with a 5xx status


def endpoint_path(target: str) -> str:
    """Drops the query and collapses numeric ids: /api/users/42?x=1 becomes /api/users/:id."""
    path = target.split("?", 1)[0]
    return "/".join(":id" if NUMERIC.fullmatch(s) else s for s in path.split("/"))


def percentile(ordered: list[int], p: int) -> int:
    """Nearest-rank percentile of sorted values, with the rank computed in integers."""
    return ordered[int(p / 100 * (len(ordered) - 1))]


def main() -> None:
    endpoints: dict[tuple[str, str], EndpointStats] = {}
    for line in sys.stdin:
        match = LINE.fullmatch(line.strip())
        if match is None:
            continue  # blank or malformed: skip it, as a log shipper would
        method, target, status, latency = match.groups()
        path = endpoint_path(target)
        stats = endpoints.setdefault((method, path), EndpointStats(method, path))
        stats.latencies.append(int(latency))
        if int(status) >= 500:
            stats.errors += 1

    # Python compares str by code point: character code order for these ASCII logs.
    rows = sorted(endpoints.values(), key=lambda s: (-len(s.latencies), s.method, s.path))
    out = []
    for stats in rows:
        stats.latencies.sort()
        count = len(stats.latencies)
        p50, p95 = percentile(stats.latencies, 50), percentile(stats.latencies, 95)
        out.append(f"{stats.method} {stats.path} {count} {p50} {p95} {stats.errors / count:.4f}\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
