"""Search, live follow and the workspace (part of `make bench`).

- Search: the first search builds the index (timed on its own); later searches are timed
  against ripgrep over the same files, as a person would run it (`rg -S`, printing matching
  lines cut to 300 columns), for the same phrase or regular expression.
- Append → screen: the real app on a pseudo-terminal, at the bottom of an open session; a
  record with a unique word is appended and the clock runs until that word is drawn.
- Workspace: saving ten open sessions (in-process), and on the next start the time from
  the catalog being ready to the saved active session (the 20k-record one) on screen.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_tui import PtyApp, p95, record_frames

QUERIES = [
    ("vendored copy", False),
    ("lock twice", False),
    ("Connection refused", False),
    (r"batch \d+ in 4\d\dms", True),
]


REAL_QUERIES = [  # words, a phrase and a pattern found in the real corpora's sessions
    ("pomodoro", False),
    ("fan speed", False),
    ("Exit code 1", False),
    (r"line \d+", True),
]


def search(
    history: Path, runs: int, queries: list[tuple[str, bool]] | None = None
) -> dict[str, float]:
    from sessions_tui.profile import rss_mb
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.store.search import Query, search_all

    roots = root_from_arg(str(history / "claude")) + root_from_arg(str(history / "codex"))
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        catalog = Catalog(roots, Path(cache))
        catalog.refresh()
        cur = catalog.con.cursor()
        result["rss_before_index_build_mb"] = rss_mb() or 0.0
        started = time.perf_counter()
        report = catalog.index.update(catalog.file_facts(), cur)
        build = time.perf_counter() - started
        result["rss_after_index_build_mb"] = rss_mb() or 0.0  # what DuckDB kept was given back
        result["index_build_s"] = build
        result["index_build_mb_s"] = report.bytes_read / 1e6 / build
        result["index_file_mb"] = catalog.index.path.stat().st_size / 1e6
        history_mb = report.bytes_read / 1e6
        result["index_file_vs_history"] = result["index_file_mb"] / max(history_mb, 1e-9)
        sessions = catalog.sessions()
        ours, theirs, first_batch = [], [], []
        for text, regex in queries or QUERIES:
            query = Query(text, regex=regex)
            times, firsts = [], []
            for _ in range(runs + 2):
                t = time.perf_counter()
                first = None
                for _results in search_all(cur, catalog.index, sessions, query):
                    first = first or time.perf_counter() - t
                times.append(time.perf_counter() - t)
                firsts.append(first or 0.0)
            ours.append(statistics.median(times))
            first_batch.append(statistics.median(firsts))
            if rg_path := _ripgrep():
                rg = [rg_path, "-S", "--max-columns", "300", "-n"]
                rg += ([] if regex else ["-F"]) + [text, str(history / "claude"),
                                                  str(history / "codex")]  # fmt: skip
                subprocess.run(rg, stdout=subprocess.DEVNULL)  # the same page cache for both
                rg_times = []
                for _ in range(runs + 2):
                    t = time.perf_counter()
                    subprocess.run(rg, stdout=subprocess.DEVNULL)
                    rg_times.append(time.perf_counter() - t)
                theirs.append(statistics.median(rg_times))
        catalog.close()
    result["search_median_ms"] = statistics.median(ours) * 1e3
    result["search_first_results_ms"] = statistics.median(first_batch) * 1e3
    if theirs:
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        result["rg_median_ms"] = statistics.median(theirs) * 1e3
        result["search_vs_rg_ratio"] = statistics.median(ratios)
        result["search_vs_rg_worst_ratio"] = max(ratios)
    return result


def _ripgrep() -> str | None:
    """ripgrep on PATH, or beside this Python (`make bench` installs its wheel there)."""
    beside = Path(sys.executable).parent / "rg"
    return shutil.which("rg") or (str(beside) if beside.exists() else None)


def _record(marker: str, session_id: str) -> str:
    return json.dumps({
        "type": "assistant", "uuid": uuid.uuid4().hex, "sessionId": session_id,
        "timestamp": "2026-11-23T12:00:00.000Z",
        "message": {"id": uuid.uuid4().hex, "role": "assistant", "model": "claude-opus-4-6",
                    "content": [{"type": "text", "text": marker}]},
    })  # fmt: skip


def append_to_screen(history: Path, samples: int = 30) -> dict[str, float]:
    """The real app following a session: append → the new entry drawn, P95 over samples."""
    mains = sorted(
        (history / "claude" / "projects").glob("*/*.jsonl"), key=lambda p: p.stat().st_size
    )
    source = mains[len(mains) // 2]  # a typical session, copied: the history stays as it is
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root" / "proj"
        root.mkdir(parents=True)
        path = root / source.name
        shutil.copyfile(source, path)
        env = dict(os.environ, TERM="xterm-256color")
        env["SESSIONS_TUI_CACHE_DIR"] = str(Path(tmp) / "cache")
        env["SESSIONS_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        app = PtyApp(["--root", str(root.parent), "--fresh"], env)
        times = []
        try:
            app.press("enter", quiet=1.0)
            app.press("G", quiet=0.5)
            for n in range(samples):
                time.sleep(rng.uniform(0, 1.0))  # appends land anywhere in the tick
                marker = f"APPENDED{n:03d}X{rng.randrange(10**6):06d}".encode()
                with path.open("a", encoding="utf-8") as f:
                    f.write(_record(marker.decode(), source.stem) + "\n")
                times.append(app.wait_for(marker))
        finally:
            app.close()
    return {"append_to_screen_p95_s": p95(times),
            "append_to_screen_median_s": statistics.median(times)}  # fmt: skip


def idle_cpu(history: Path, seconds: float = 30) -> dict[str, float]:
    """CPU the app uses doing nothing but following, on the whole history, a session open."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", SESSIONS_TUI_CACHE_DIR=tmp)
        env["SESSIONS_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        roots = ["--root", str(history / "claude"), "--root", str(history / "codex")]
        subprocess.run([sys.executable, "-m", "sessions_tui", *roots, "ls"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        app = PtyApp([*roots, "--fresh"], env)
        try:
            app.press("enter", quiet=2.0)
            cpu, started = app.cpu_seconds(), time.perf_counter()
            app.settle(quiet=seconds, limit=seconds)  # reads whatever it draws meanwhile
            idle = (app.cpu_seconds() - cpu) / (time.perf_counter() - started)
        finally:
            app.close()
    return {"idle_cpu_percent": 100 * idle}


async def _workspace(history: Path, runs: int) -> dict[str, float]:
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.state.workspace import load
    from sessions_tui.tui.widgets.session_list import SessionList

    roots = root_from_arg(str(history / "claude"))
    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as cache:
        folder = Path(state)
        warm = Catalog(roots, Path(cache))  # a warm start: the catalog is cached
        warm.refresh()
        warm.close()
        app = SessionsApp(Catalog(roots, None), follow=False, state_folder=folder)
        saves = []
        async with app.run_test(size=(140, 45)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            sessions = app.query_one(SessionList)
            rows = [i for i, r in enumerate(sessions.rows) if r.session is not None]
            big = max(rows, key=lambda i: sessions.rows[i].session.records)  # type: ignore[union-attr]
            for i in [*[r for r in rows if r != big][:9], big]:
                sessions.select(i)
                sessions.focus()
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("2", "G", "enter")
            for _ in range(20):
                app.browser.tabs.save_workspace()
                saves.append(app.timings["workspace_save"])
        loads = []
        for _ in range(20):
            t = time.perf_counter()
            load(folder)
            loads.append(time.perf_counter() - t)
        saved = load(folder)
        assert saved is not None
        restores = []
        for _ in range(runs):
            again = SessionsApp(
                lambda: Catalog(roots, Path(cache)), follow=False, state_folder=folder
            )
            frames = record_frames(again)
            async with again.run_test(size=(140, 45)) as pilot:
                while "restore_active_at" not in again.timings:
                    await pilot.pause(0.01)
                await pilot.pause()
                shown = [f for f in frames if f >= again.timings["restore_active_at"]]
                restores.append(shown[0] - again.timings["restore_started"])
                while "workspace_restored" not in again.timings:
                    await pilot.pause(0.05)
                assert len(again.browser.tabs.open.tabs) == len(saved.tabs) >= 9
    return {
        "workspace_save_ms": statistics.median(saves) * 1e3,
        "workspace_file_load_ms": statistics.median(loads) * 1e3,
        "workspace_restore_active_ms": statistics.median(restores) * 1e3,
    }


def workspace(history: Path, runs: int) -> dict[str, float]:
    return asyncio.run(_workspace(history, runs))
