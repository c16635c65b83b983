# Known bad: a plain queue instead of a min-heap, so ready services go in discovery order, not alphabetically.
import heapq


def deploy_order(depends_on: dict[str, list[str]]) -> list[str] | None:
    """Kahn's algorithm with a min-heap as the "ready" set, so that the alphabetically first
    ready service always goes next. O((V + E) log V). If the heap empties before every service
    is deployed, the rest wait on each other: a cycle."""
    # A dependency listed twice counts twice here and is released twice below, so it balances.
    waiting_on = {service: len(deps) for service, deps in depends_on.items()}
    dependents: dict[str, list[str]] = {service: [] for service in depends_on}
    for service, deps in depends_on.items():
        for dep in deps:
            dependents[dep].append(service)

    # Python compares str by code point, which is character code order for these names.
    ready = [service for service, left in waiting_on.items() if left == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        service = ready.pop(0)
        order.append(service)
        for nxt in dependents[service]:
            waiting_on[nxt] -= 1
            if waiting_on[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(depends_on) else None
