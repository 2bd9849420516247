"""Small statistics helpers (no numpy needed)."""


def percentile(values, fraction):
    """Linear-interpolated percentile (like numpy's default), fraction in [0, 1]."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(latencies_s, items_per_call):
    total = sum(latencies_s)
    return {
        "iterations": len(latencies_s),
        "latency_ms": {
            "p50": 1000.0 * percentile(latencies_s, 0.50),
            "p90": 1000.0 * percentile(latencies_s, 0.90),
            "p99": 1000.0 * percentile(latencies_s, 0.99),
            "mean": 1000.0 * total / len(latencies_s),
        },
        "throughput": items_per_call * len(latencies_s) / total if total > 0 else None,
        "samples_processed": items_per_call * len(latencies_s),
    }
