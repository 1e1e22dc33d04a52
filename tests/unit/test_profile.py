"""The app's own measurements: timings by kind, slow queries with their SQL, hit rates."""

from __future__ import annotations

import time

from sessions_tui.profile import KEEP, Profiler


def test_timings_keep_the_last_hundred_and_summarise() -> None:
    p = Profiler()
    for i in range(KEEP + 20):
        p.record("window", i / 1000)
    t = p.report()["timings"]["window"]
    assert t["count"] == KEEP + 20  # every one counted, the last KEEP kept
    assert t["last_ms"] == KEEP + 19 and t["max_ms"] == KEEP + 19
    assert t["p50_ms"] == (20 + KEEP + 19) / 2 and 20 <= t["p95_ms"] <= KEEP + 19


def test_slow_queries_keep_their_sql_and_hit_rates_count() -> None:
    p = Profiler()
    with p.measure("search", "SELECT  *\n FROM   docs"):
        time.sleep(0.11)
    p.record("filter", 0.5)  # no SQL given: timed but not listed
    report = p.report()
    (slow,) = report["slow_queries"]
    assert slow["kind"] == "search" and slow["ms"] >= 100 and slow["sql"] == "SELECT * FROM docs"
    p.hit("render cache", True, 3)
    p.hit("render cache", False)
    assert p.report()["hit_rates"]["render cache"] == {"hits": 3, "misses": 1, "rate": 0.75}
    assert report["rss_mb"] is None or report["rss_mb"] > 0
