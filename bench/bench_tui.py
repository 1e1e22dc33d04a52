"""The app's own speed and memory (part of `make bench`).

- start: the real `sessions-tui` and a bare Textual app with one label, each in tmux,
  timed from launch until their first screen is readable (the same run, same machine);
- in-process through Textual's pilot with the headless driver: key → frame is the time
  from a key press to the next frame the app composes (its `_display` calls, timestamped).
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare textual app ready")
Bare().run()
"""


def _tmux_first_paint(command: str, ready: Callable[[str], bool], timeout: float = 30) -> float:
    socket = f"bench-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    started = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "140", "-y", "40", command], check=True)
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True,
                                    text=True).stdout  # fmt: skip
            if ready(screen):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"nothing painted within {timeout}s")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def start_times(history: Path, runs: int) -> dict[str, float]:
    if shutil.which("tmux") is None:
        return {}
    roots = f"--root {history / 'claude'} --root {history / 'codex'}"
    app = f"{sys.executable} -m sessions_tui {roots}"
    listed = lambda s: "entries" in s and " ago " in s  # noqa: E731
    bare, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as cache:
        env = f"SESSIONS_TUI_CACHE_DIR={cache}"
        subprocess.run(f"{env} {app} ls > /dev/null", shell=True, check=True)  # warm the cache
        for _ in range(runs):
            bare.append(_tmux_first_paint(f"{sys.executable} -c '{BARE_APP}'", lambda s: "ready" in s))
            warm.append(_tmux_first_paint(f"{env} {app}", listed))
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(_tmux_first_paint(f"SESSIONS_TUI_CACHE_DIR={cache} {app}",
                                          lambda s: "reading…" in s or listed(s)))  # fmt: skip
    b, w = statistics.median(bare), statistics.median(warm)
    return {"bare_textual_paint_s": b, "warm_list_paint_s": w, "warm_vs_bare_ratio": w / b,
            "cold_first_list_paint_s": statistics.median(cold)}  # fmt: skip


async def _in_app(history: Path, cache: Path) -> dict[str, float]:
    from sessions_tui.app import SessionsApp
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.widgets.message_pane import MessagePane
    from sessions_tui.widgets.session_list import SessionList

    roots = root_from_arg(str(history / "claude")) + root_from_arg(str(history / "codex"))
    app = SessionsApp(Catalog(roots, cache))
    result: dict[str, float] = {}
    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        # A frame is ready when the app hands a compositor update to `_display` (the
        # headless driver then writes nothing; a terminal would get these bytes).
        writes: list[float] = []
        target: Any = app
        original = target._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                writes.append(time.perf_counter())
            original(screen, renderable)

        target._display = display

        async def key_to_frame(key: str) -> float:
            t0 = time.perf_counter()
            await pilot.press(key)
            after = [w for w in writes if w > t0]
            return (after[0] if after else time.perf_counter()) - t0

        sessions = app.query_one(SessionList)
        big = max(range(len(sessions.rows)), key=lambda i: sessions.rows[i].session.records)  # type: ignore[union-attr]
        pane = app.query_one(MessagePane)
        opens = []
        for _ in range(3):
            sessions.select(big)
            sessions.focus()
            t0 = time.perf_counter()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            after = [w for w in writes if w > t0]
            opens.append(after[-1] - t0 if after else time.perf_counter() - t0)
            if len(app.open) and _ < 2:
                await pilot.press("x")  # close it, to time a fresh open again
        result["open_big_first_screen_ms"] = statistics.median(opens) * 1e3
        page = [await key_to_frame("pagedown") for _ in range(150)]
        result["page_down_p95_ms"] = sorted(page)[int(len(page) * 0.95)] * 1e3
        toggles = []
        for key in ("1", "1", "4", "4", "6", "6", "e", "e") * 3:
            toggles.append(await key_to_frame(key))
        result["filter_toggle_median_ms"] = statistics.median(toggles) * 1e3
        # nine more sessions open, then switch around
        rng = random.Random(2)
        others = [i for i, r in enumerate(sessions.rows) if r.session and i != big]
        for i in rng.sample(others, 9):
            sessions.select(i)
            sessions.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert len(app.open) == 10, len(app.open)
        pane.focus()
        switches = [await key_to_frame("right_square_bracket") for _ in range(100)]
        result["switch_p95_ms"] = sorted(switches)[int(len(switches) * 0.95)] * 1e3
        rss = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
        result["rss_10_open_mb"] = rss
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def in_app(history: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=cache)
        roots = ["--root", str(history / "claude"), "--root", str(history / "codex")]
        subprocess.run([sys.executable, "-m", "sessions_tui", *roots, "ls"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        # A fresh process, so that the memory figures are the app's, not the build's.
        code = (
            "import asyncio, json, sys; sys.path.insert(0, 'bench'); import bench_tui; "
            f"print(json.dumps(asyncio.run(bench_tui._in_app(__import__('pathlib').Path({str(history)!r}), "
            f"__import__('pathlib').Path({cache!r})))))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
        import json

        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
