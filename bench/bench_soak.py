"""Random keys on the real app (key → frame P99) and memory over 100 opened and closed
sessions (part of `make bench`)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_tui import PtyApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' key sequence
from tests.soak import key_sequence

BYTES = {
    "enter": b"\r", "tab": b"\t", "escape": b"\x1b", "down": b"\x1b[B", "up": b"\x1b[A",
    "pagedown": b"\x1b[6~", "pageup": b"\x1b[5~", "ctrl+d": b"\x04", "ctrl+u": b"\x15",
    "ctrl+f": b"\x06", "f12": b"\x1b[24~", "slash": b"/", "question_mark": b"?",
    "left_square_bracket": b"[", "right_square_bracket": b"]", "greater_than_sign": b">",
    "less_than_sign": b"<", "left_parenthesis": b"(", "right_parenthesis": b")",
}  # fmt: skip


def random_keys(history: Path, presses: int = 400) -> dict[str, float]:
    """The soak's key sequence on a pseudo-terminal: key → frame P99 (and median)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", SESSIONS_TUI_CACHE_DIR=tmp)
        env["SESSIONS_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        env["PATH"] = "/usr/bin:/bin"  # R finds no claude: a dialog, not a real program
        roots = ["--root", str(history / "claude"), "--root", str(history / "codex")]
        subprocess.run([sys.executable, "-m", "sessions_tui", *roots, "ls"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        app = PtyApp([*roots, "--fresh"], env)
        app.idle()  # started: the catalog read, the list drawn
        times: list[float] = []
        escapes: list[float] = []  # a lone ESC waits ESCDELAY for a sequence to follow
        try:
            for key in key_sequence(presses, seed=11):
                if isinstance(key, tuple) or key in ("wait", "settle"):
                    # a dialog's work (search, stats) is let to finish, as a person waits
                    # for its results: its last frame is not the next key's
                    app.settle(0.3)
                    app.idle()
                    continue
                data = BYTES.get(key, key.encode())
                with contextlib.suppress(RuntimeError):  # a key that changes nothing draws nothing
                    times.append(app.key_to_frame_bytes(data, limit=0.5))
                    if key == "escape":
                        escapes.append(times[-1])
        finally:
            app.close()
    ordered = sorted(times)
    return {
        "random_keys_measured": len(times),
        "random_key_frame_median_ms": statistics.median(ordered) * 1e3,
        "random_key_frame_p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3,
        "random_key_frame_max_ms": ordered[-1] * 1e3,
        "escape_frame_median_ms": statistics.median(escapes) * 1e3 if escapes else 0.0,
    }


async def settled(pilot: Any) -> None:
    """A pause, as a person makes: the app collects and trims then (tui/memory.py)."""
    from sessions_tui.tui import memory

    await pilot.pause(getattr(memory, "QUIET_SECONDS", 0.0) + 0.4)
    gc.collect()


async def _memory(history: Path, cycles: int) -> dict[str, float]:
    from sessions_tui.profile import rss_mb
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.widgets.session_list import SessionList

    app = SessionsApp(Catalog(root_from_arg(str(history / "claude")), None), follow=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        sessions = app.query_one(SessionList)
        rows = [i for i, r in enumerate(sessions.rows) if r.session is not None]

        async def open_close(i: int) -> None:
            sessions.select(rows[i % len(rows)])
            sessions.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("j", "pagedown", "enter", "w")

        for i in range(20):  # warm up: caches, imports, DuckDB's first allocations
            await open_close(i)
        await settled(pilot)
        before = rss_mb() or 0.0
        for i in range(20, 20 + cycles):
            await open_close(i)
        await settled(pilot)
        after = rss_mb() or 0.0
        for i in range(20 + cycles, 20 + 2 * cycles):  # a leak keeps growing; caches do not
            await open_close(i)
        await settled(pilot)
        later = rss_mb() or 0.0
        assert len(app.browser.tabs.open) == 0, f"{len(app.browser.tabs.open)} sessions still open"
    return {
        "rss_before_100_open_close_mb": before,
        "rss_growth_100_open_close_mb": after - before,
        "rss_growth_next_100_open_close_mb": later - after,
    }


def memory(history: Path, cycles: int = 100) -> dict[str, float]:
    return asyncio.run(_memory(history, cycles))
