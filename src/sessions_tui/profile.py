"""The app's own measurements: query timings by kind, slow queries, cache hit rates, memory.

One process-wide `PROFILER` (the data layer records into it; the performance panel and
`--profile FILE` read it). Recording is a `perf_counter` pair and a deque append, cheap
enough to leave on.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

KINDS = ("catalog refresh", "open session", "window", "filter", "search", "follow")
SLOW_SECONDS = 0.1
KEEP = 100


@dataclass(frozen=True, slots=True)
class Slow:
    kind: str
    seconds: float
    sql: str
    at: float  # time.time()


class Profiler:
    """Timings (the last KEEP per kind), slow queries, and hit/miss counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.timings: dict[str, deque[float]] = {k: deque(maxlen=KEEP) for k in KINDS}
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.slow: deque[Slow] = deque(maxlen=50)
        self.hits: dict[str, list[int]] = {}  # name -> [hits, misses]

    def record(self, kind: str, seconds: float, sql: str | None = None) -> None:
        with self._lock:
            self.timings.setdefault(kind, deque(maxlen=KEEP)).append(seconds)
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if seconds > SLOW_SECONDS and sql:
                self.slow.append(Slow(kind, seconds, " ".join(sql.split())[:2000], time.time()))

    @contextmanager
    def measure(self, kind: str, sql: str | None = None) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.record(kind, time.perf_counter() - started, sql)

    def hit(self, name: str, hit: bool, n: int = 1) -> None:
        pair = self.hits.setdefault(name, [0, 0])  # a lost race costs a count, not a crash
        pair[0 if hit else 1] += n

    def report(self) -> dict[str, Any]:
        """Everything, JSON-ready (milliseconds)."""
        with self._lock:
            timings = {k: list(v) for k, v in self.timings.items()}
            slow = list(self.slow)
            counts = dict(self.counts)
        return {
            "timings": {k: summary(v, counts.get(k, 0)) for k, v in timings.items()},
            "slow_queries": [
                {
                    "kind": s.kind,
                    "ms": round(s.seconds * 1e3, 1),
                    "sql": s.sql,
                    "at": time.strftime("%H:%M:%S", time.localtime(s.at)),
                }
                for s in reversed(slow)
            ],
            "hit_rates": {
                name: {"hits": h, "misses": m, "rate": round(h / (h + m), 4) if h + m else None}
                for name, (h, m) in self.hits.items()
            },
            "rss_mb": rss_mb(),
        }


def summary(values: list[float], count: int) -> dict[str, Any]:
    if not values:
        return {"count": count, "last_ms": None, "p50_ms": None, "p95_ms": None, "max_ms": None}
    ordered = sorted(values)
    return {
        "count": count,
        "last_ms": round(values[-1] * 1e3, 2),
        "p50_ms": round(statistics.median(ordered) * 1e3, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1e3, 2),
        "max_ms": round(ordered[-1] * 1e3, 2),
    }


def rss_mb() -> float | None:
    """The process's resident memory now (Linux), else its peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        try:
            import resource

            return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        except (ImportError, OSError):
            return None


PROFILER = Profiler()
