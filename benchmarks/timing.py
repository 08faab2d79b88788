"""Timing helpers the benchmark scripts share.

On a noisy 2-core machine the speed drifts by several percent within a minute, so calls
that are to be compared take turns, one of each per round: drift then affects each alike,
and their ratios hold even when the absolute times do not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping


def in_turns(calls: Mapping[str, Callable[[], object]], runs: int,
             clock: Callable[[], int] = time.perf_counter_ns) -> dict[str, list[float]]:
    """Microseconds per call of each of `calls`, `runs` of each, one of each per round,
    after a short warm-up so caches are as in a live server. `clock` is wall time unless
    told (`time.process_time_ns`: the process's CPU time, which a busy machine's other
    processes do not add to)."""
    for _ in range(min(runs, 20)):
        for call in calls.values():
            call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            start = clock()
            call()
            samples[name].append((clock() - start) / 1000)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
