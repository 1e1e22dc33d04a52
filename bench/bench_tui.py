"""The app's own speed and memory (part of `make bench`).

- Start: the real `sessions-tui` and a bare Textual app with one label, each in tmux, timed
  from launch until their first screen is readable (same run, same machine).
- Key → frame: the real app on a pseudo-terminal; the time from writing a key's bytes to
  the last byte of the frame the app draws in answer (the frame ends where output pauses
  for 3 ms). Memory is the app process's RSS with ten sessions open.
- Open → first screen: in-process through Textual's pilot, from Enter to the first frame
  composed after the session's view is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

BARE_APP = (
    "from textual.app import App\nfrom textual.widgets import Label\n"
    "class Bare(App):\n    def compose(self):\n        yield Label('bare textual app ready')\n"
    "Bare().run()\n"
)
KEYS = {"enter": b"\r", "pagedown": b"\x1b[6~", "tab": b"\t"}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


# -- starting ------------------------------------------------------------------------------
def _tmux_first_paint(command: str, ready: Callable[[str], bool], timeout: float = 30) -> float:
    tmux = ["tmux", "-L", f"bench-{uuid.uuid4().hex[:8]}"]
    started = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "140", "-y", "40", command],
                   check=True)  # fmt: skip
    try:
        while time.perf_counter() - started < timeout:
            capture = [*tmux, "capture-pane", "-p", "-t", "b"]
            if ready(subprocess.run(capture, capture_output=True, text=True).stdout):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"nothing painted within {timeout}s: {command}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def start_times(history: Path, runs: int) -> dict[str, float]:
    """Warm start against a bare Textual app, and a cold start (empty cache)."""
    if shutil.which("tmux") is None:
        return {}
    # The console script, as a person starts it (no runpy, like the bare app's script).
    script = Path(sys.executable).with_name("sessions-tui")
    launcher = str(script) if script.exists() else f"{sys.executable} -m sessions_tui"
    app = f"{launcher} --root {history / 'claude'} --root {history / 'codex'}"

    def listed(screen: str) -> bool:  # the list's header and a row's facts (any date style)
        return "entries" in screen and "sessions · by" in screen

    bare_script = Path(tempfile.mkdtemp()) / "bare.py"
    bare_script.write_text(BARE_APP)
    bare, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as cache:
        env = f"SESSIONS_TUI_CACHE_DIR={cache}"
        subprocess.run(f"{env} {app} ls > /dev/null", shell=True, check=True)  # warm the cache
        for _ in range(runs):
            bare.append(
                _tmux_first_paint(f"{sys.executable} {bare_script}", lambda s: "ready" in s)
            )
            warm.append(_tmux_first_paint(f"{env} {app}", listed))
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            ready = lambda s: "reading…" in s or listed(s)  # noqa: E731
            cold.append(_tmux_first_paint(f"SESSIONS_TUI_CACHE_DIR={cache} {app}", ready))
    b, w = statistics.median(bare), statistics.median(warm)
    return {"bare_textual_paint_s": b, "warm_list_paint_s": w, "warm_vs_bare_ratio": w / b,
            "cold_first_list_paint_s": statistics.median(cold)}  # fmt: skip


# -- keys on a pseudo-terminal -----------------------------------------------------------------
class PtyApp:
    """The real app on a pseudo-terminal of 140×45."""

    def __init__(
        self, args: list[str], env: dict[str, str], size: tuple[int, int] = (140, 45)
    ) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            os.execvpe(sys.executable, [sys.executable, "-m", "sessions_tui", *args], env)
        self._size(*size)
        self.settle(1.0)

    def _size(self, columns: int, rows: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def resize_to_frame(self, columns: int, rows: int) -> float:
        """Seconds from a terminal resize (SIGWINCH) to the last output of its frame."""
        self.settle(0.1)
        started = time.perf_counter()
        self._size(columns, rows)
        os.kill(self.pid, signal.SIGWINCH)
        last = None
        while time.perf_counter() - started < 5:
            if select.select([self.fd], [], [], 0.003 if last else 0.05)[0]:
                os.read(self.fd, 1 << 16)
                last = time.perf_counter()
            elif last is not None:
                return last - started
        raise RuntimeError("no frame after a resize")

    def settle(self, quiet: float = 0.2, limit: float = 30) -> None:
        end, last = time.time() + limit, time.time()
        while time.time() < end and time.time() - last < quiet:
            if select.select([self.fd], [], [], 0.02)[0]:
                os.read(self.fd, 1 << 16)
                last = time.time()

    def idle(self, limit: float = 20) -> None:
        """Wait until the app does nothing: under 5 ms of CPU in 0.2 s (a search's index,
        the stats, a worker), its output read as it comes."""
        end = time.time() + limit
        while time.time() < end:
            used = self.cpu_seconds()
            self.settle(0.2, limit=0.2)
            if self.cpu_seconds() - used < 0.005:
                return

    def press(self, key: str, quiet: float = 0.3) -> None:
        os.write(self.fd, KEYS.get(key, key.encode()))
        self.settle(quiet)

    def key_to_frame(self, key: str) -> float:
        return self.key_to_frame_bytes(KEYS.get(key, key.encode()))

    def key_to_frame_bytes(self, data: bytes, limit: float = 5) -> float:
        self.settle(0.1)
        started = time.perf_counter()
        os.write(self.fd, data)
        last = None
        while time.perf_counter() - started < limit:
            if select.select([self.fd], [], [], 0.003 if last else 0.05)[0]:
                os.read(self.fd, 1 << 16)
                last = time.perf_counter()
            elif last is not None:
                return last - started
        raise RuntimeError(f"no frame after {data!r}")

    def wait_for(self, marker: bytes, limit: float = 10) -> float:
        """Seconds until `marker` is drawn (the output is searched as it arrives)."""
        started = time.perf_counter()
        seen = b""
        while time.perf_counter() - started < limit:
            if select.select([self.fd], [], [], 0.005)[0]:
                seen = (seen + os.read(self.fd, 1 << 16))[-(1 << 17) :]
                if marker in seen:
                    return time.perf_counter() - started
        raise RuntimeError(f"{marker!r} not drawn within {limit}s")

    def cpu_seconds(self) -> float:
        """User + system CPU time the app has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid}/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    def close(self) -> None:
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _root_with(sessions: list[Path]) -> Path:
    """A folder of links to some sessions (and their subagent folders)."""
    root = Path(tempfile.mkdtemp()) / "p"
    root.mkdir()
    for path in sessions:
        os.symlink(path.resolve(), root / path.name)
        if (path.parent / path.stem).is_dir():
            os.symlink((path.parent / path.stem).resolve(), root / path.stem)
    return root.parent


def keys_and_memory(history: Path) -> dict[str, float]:
    """Page down, filter toggles and switching on the real app; RSS with ten sessions open."""
    mains = [
        p
        for p in (history / "claude" / "projects").glob("*/*.jsonl")
        if not p.name.startswith("agent-")
    ]
    big = max(mains, key=lambda p: p.stat().st_size)
    others = sorted(p for p in mains if p != big)[:9]
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=cache, TERM="xterm-256color")
        for root in (_root_with([big]), _root_with([big, *others])):
            subprocess.run([sys.executable, "-m", "sessions_tui", "--root", str(root), "ls"],
                           env=env, capture_output=True, check=True)  # fmt: skip
        app = PtyApp(["--root", str(_root_with([big]))], env, size=(160, 45))
        try:
            app.press("enter", quiet=1.0)
            result["page_down_p95_ms"] = (
                p95([app.key_to_frame("pagedown") for _ in range(120)]) * 1e3
            )
            ends = [app.key_to_frame(k) for k in ("G", "g") * 20]  # the last entry, the first
            result["jump_end_p95_ms"] = p95(ends) * 1e3
            app.press(":")
            app.press(f"{2 * 1000}\r", quiet=0.5)  # reading the middle of the session
            resizes = []
            for _ in range(5):
                resizes.append(app.resize_to_frame(80, 45))
                app.resize_to_frame(160, 45)
            result["resize_160_to_80_ms"] = statistics.median(resizes) * 1e3
            details = []
            for key in ("v", "v", "v", "f", "f", "i", "i") * 3:
                with contextlib.suppress(RuntimeError):  # (a build without these keys)
                    details.append(app.key_to_frame_bytes(key.encode(), limit=1))
            if details:
                result["reading_keys_median_ms"] = statistics.median(details) * 1e3
            toggles = [app.key_to_frame(k) for k in ("1", "1", "4", "4", "6", "6", "e", "e") * 3]
            result["filter_toggle_median_ms"] = statistics.median(toggles) * 1e3
        finally:
            app.close()
        app = PtyApp(["--root", str(_root_with([big, *others]))], env)
        try:
            app.press("enter", quiet=1.0)
            for _ in range(9):
                app.press("tab")
                app.press("j")
                app.press("enter", quiet=0.6)
            app.press("tab")
            result["switch_p95_ms"] = p95([app.key_to_frame("]") for _ in range(100)]) * 1e3
            result["rss_10_open_mb"] = app.rss_mb()
        finally:
            app.close()
    return result


def record_frames(app: Any) -> list[float]:
    """The times the app hands a frame to the terminal (filled in as it runs)."""
    frames: list[float] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> Any:
        if renderable:
            frames.append(time.perf_counter())
        return original(screen, renderable)

    app._display = display
    return frames


# -- open → first screen ----------------------------------------------------------------------
async def _open_times(history: Path, runs: int) -> dict[str, float]:
    """Enter → the first frame after the session's first screen is ready, for the five
    largest sessions (one of each size: the real history holds copies) and one of 1–3 MB;
    and, for those shown by their head, Enter → the whole view in place."""
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.widgets.session_list import SessionList

    roots = root_from_arg(str(history / "claude")) + root_from_arg(str(history / "codex"))
    app = SessionsApp(Catalog(roots, None), follow=False)
    frames = record_frames(app)
    result: dict[str, float] = {}
    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        sessions = app.query_one(SessionList)
        listed, still = -1, 0.0
        while still < 1.5:  # the whole list (a cold catalog lists in steps)
            await pilot.pause(0.1)
            still = still + 0.1 if len(sessions.sessions) == listed else 0.0
            listed = len(sessions.sessions)
        sessions.here_only = False  # every session listed, whatever folder this runs in
        sessions.set_sessions(sessions.sessions)
        by_size: dict[int, Any] = {}
        for s in sorted(sessions.sessions, key=lambda s: -s.size):
            by_size.setdefault(s.size, s)
        picks = [(f"largest{n + 1}", s) for n, s in enumerate(list(by_size.values())[:5])]
        mid = [s for size, s in by_size.items() if 1_000_000 <= size <= 3_000_000]
        picks += [("1to3mb", mid[0])] if mid else []
        for name, session in picks:
            firsts, wholes = [], []
            for _ in range(runs):
                rows = sessions.rows  # (the list may have moved since)
                sessions.select(
                    next(
                        i
                        for i, r in enumerate(rows)
                        if r.session and r.session.path == session.path
                    )
                )
                sessions.focus()
                app.browser.tabs.timings.pop("whole_at", None)
                started = time.perf_counter()
                await pilot.press("enter")
                while app.browser.tabs.open.current is None:
                    await pilot.pause(0.001)
                ready = app.browser.tabs.timings.get("opened_at", started)
                while not [f for f in frames if f >= ready]:
                    await pilot.pause(0.001)
                firsts.append(min(f for f in frames if f >= ready) - started)
                await app.workers.wait_for_complete()
                await pilot.pause()
                whole = app.browser.tabs.timings.get("whole_at")
                if whole is not None:
                    wholes.append(whole - started)
                await pilot.press("w")
                await pilot.pause()
            result[f"open_{name}_mb"] = session.size / 1e6
            result[f"open_{name}_first_screen_ms"] = statistics.median(firsts) * 1e3
            if wholes:
                result[f"open_{name}_whole_ms"] = statistics.median(wholes) * 1e3
    return result


def open_times(history: Path, runs: int) -> dict[str, float]:
    return asyncio.run(_open_times(history, runs))
