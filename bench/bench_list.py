"""Finding a session (part of `make bench`): the list's filter and sort on 10,000 sessions,
and Ctrl+F's first session row, in the real app on a pseudo-terminal.

- List: 10,000 small real sessions (`bench_many`'s history: files of ../shared copied
  under new ids). Each key typed into the list's filter (`/`), and each sort change (`o`,
  `O`), is timed from the key to the end of its frame.
- Search: on the big history with its index built (the app builds it in the background
  after the catalog; the bench waits until it is idle), Ctrl+F, then a query pasted in
  one piece: the time until the first session row (`▸`) is drawn, or "0 sessions" for
  a query nothing matches.
"""

from __future__ import annotations

import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_tui import PtyApp, p95

FILTER_TEXT = "fix auth 2025"
ROW = "▸".encode()  # the first characters of a session row of Ctrl+F's results
NONE = b"0 sessions"  # what the status line says when nothing matches


def list_keys(count: int = 10_000) -> dict[str, float]:
    import bench_many

    folder, made_of = bench_many._history(count)
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=f"{tmp}/cache", TERM="xterm-256color")
        env["SESSIONS_TUI_STATE_DIR"] = f"{tmp}/state"
        # the catalog first, as a person who has run it before has it
        subprocess.run([sys.executable, "-m", "sessions_tui", "--root", str(folder), "ls"],
                       env=env, capture_output=True, check=True)  # fmt: skip
        app = PtyApp(["--root", str(folder), "--fresh"], env)
        try:
            app.idle(limit=120)  # the list, and the index built behind it
            typed = []
            for _ in range(3):
                app.press("/")
                typed += [app.key_to_frame_bytes(c.encode()) for c in FILTER_TEXT]
                app.press("\x15")  # Ctrl+U: the box emptied, every session back
                app.press("\x1b", quiet=0.5)
            result["list_filter_key_median_ms"] = statistics.median(typed) * 1e3
            result["list_filter_key_p95_ms"] = p95(typed) * 1e3
            sorts = [app.key_to_frame_bytes(k) for k in (b"o", b"o", b"O") * 7]
            result["list_sort_median_ms"] = statistics.median(sorts) * 1e3
            result["list_sort_max_ms"] = max(sorts) * 1e3
            result["list_sessions"] = float(count)
        finally:
            app.close()
    print(f"list: {count} sessions made of {made_of}", file=sys.stderr)
    return result


def search_first_row(history: Path, queries: list[str], runs: int) -> dict[str, float]:
    """Ctrl+F and a pasted query → the first session row, with the index built."""
    roots = ["--root", str(history / "claude"), "--root", str(history / "codex")]
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=f"{tmp}/cache", TERM="xterm-256color")
        env["SESSIONS_TUI_STATE_DIR"] = f"{tmp}/state"
        subprocess.run([sys.executable, "-m", "sessions_tui", *roots, "ls"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        app = PtyApp([*roots, "--fresh"], env)
        try:
            app.idle(limit=600)  # the background index, built
            for _ in range(runs):
                for query in queries:
                    app.press("\x06", quiet=0.5)  # Ctrl+F
                    paste = b"\x1b[200~" + query.encode() + b"\x1b[201~"
                    app.settle(0.1)
                    started = time.perf_counter()
                    os.write(app.fd, paste)
                    _wait_for_any(app, (ROW, NONE), limit=30)
                    times.append(time.perf_counter() - started)
                    app.idle(limit=30)
                    app.press("\x1b", quiet=0.5)
        finally:
            app.close()
    return {
        "search_first_row_median_ms": statistics.median(times) * 1e3,
        "search_first_row_max_ms": max(times) * 1e3,
    }


def _wait_for_any(app: PtyApp, markers: tuple[bytes, ...], limit: float) -> None:
    """Until one of `markers` is drawn (the output searched as it arrives)."""
    started = time.perf_counter()
    seen = b""
    while time.perf_counter() - started < limit:
        if select.select([app.fd], [], [], 0.005)[0]:
            seen = (seen + os.read(app.fd, 1 << 16))[-(1 << 17) :]
            if any(m in seen for m in markers):
                return
    raise RuntimeError(f"none of {markers!r} drawn within {limit}s")


def keys_during_index_build(history: Path) -> dict[str, float]:
    """The background index's first build (the catalog already made): keys on the list
    meanwhile (key → frame, P99; the build waits up to 3 s for a pause in the keys, then
    reads its next batch anyway, so batches run between them) and the app's highest RSS.
    (How fast the build reads is `index_build_mb_s`, the same code in the foreground.)"""
    roots = ["--root", str(history / "claude"), "--root", str(history / "codex")]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=f"{tmp}/cache", TERM="xterm-256color")
        env["SESSIONS_TUI_STATE_DIR"] = f"{tmp}/state"
        subprocess.run([sys.executable, "-m", "sessions_tui", *roots, "ls"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        for index in Path(f"{tmp}/cache").glob("search-*"):
            index.unlink()  # (`ls` makes none; to be sure)
        app = PtyApp([*roots, "--fresh"], env)
        try:
            times, rss = [], []
            for i in range(200):
                times.append(app.key_to_frame_bytes(b"j" if i % 4 < 2 else b"k"))
                if i % 20 == 0:
                    rss.append(app.rss_mb())
            for _ in range(20):  # the build, alone
                app.settle(0.5, limit=0.5)
                rss.append(app.rss_mb())
        finally:
            app.close()
    ordered = sorted(times)
    return {
        "keys_during_index_build_p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1e3,
        "keys_during_index_build_median_ms": statistics.median(times) * 1e3,
        "rss_during_index_build_max_mb": max(rss),
    }
