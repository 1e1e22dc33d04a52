"""One cache, several processes, and a fast first `make run` (issue 17).

- `ls --json` with a browser open on the same history and cache, against the same command
  with no browser (the browser keeps no file open, so it must read the cache, not the
  files);
- a second browser started while the first is open: launch → the whole list;
- a warm start with Enter pressed as soon as the list is painted: launch → the session's
  first screen;
- a fresh clone → the first frame of `make run` (package caches warm; uv when on PATH).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class Term:
    """A command in a tmux window of its own, read off the screen."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"bench-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        self.started = time.perf_counter()
        self._tmux("new-session", "-d", "-s", "b", "-x", "140", "-y", "40",
                   f"{exports} {command}; sleep 60")  # fmt: skip

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, timeout=30)  # fmt: skip
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "b")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "b", *keys)

    def wait(self, ready: Callable[[str], bool], timeout: float = 60, step: float = 0.005) -> float:
        """Seconds since the start when `ready(screen)` first held."""
        while time.perf_counter() - self.started < timeout:
            if ready(self.screen()):
                return time.perf_counter() - self.started
            time.sleep(step)
        raise RuntimeError(f"not ready within {timeout}s; the screen:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")


def _app(history: Path) -> str:
    script = Path(sys.executable).with_name("sessions-tui")
    launcher = str(script) if script.exists() else f"{sys.executable} -m sessions_tui"
    return f"{launcher} --root {history / 'claude'} --root {history / 'codex'}"


def _listed(screen: str) -> bool:
    return "sessions · by" in screen and "entries" in screen


def _settled(screen: str) -> bool:
    return _listed(screen) and "reading" not in screen and "indexing" not in screen


def shared_cache(history: Path, runs: int, strict: bool = True) -> dict[str, float]:
    """`strict`: a notice on stderr or a browser in memory is an error (False measures an
    older build, which falls back to memory beside a browser)."""
    if shutil.which("tmux") is None:
        return {}
    app = _app(history)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "SESSIONS_TUI_CACHE_DIR": cache}
        ls = f"{app} ls --json > /dev/null"
        subprocess.run(f"{app} search the > /dev/null", shell=True, env=env, check=False)

        def timed() -> float:
            started = time.perf_counter()
            done = subprocess.run(ls, shell=True, env=env, capture_output=True, text=True)
            if done.returncode or (strict and done.stderr):
                raise RuntimeError(f"ls --json: {done.stderr}")  # a fallback notice, say
            return time.perf_counter() - started

        alone = [timed() for _ in range(runs)]
        first = Term(app, {"SESSIONS_TUI_CACHE_DIR": cache})
        try:
            first.wait(_settled, timeout=300, step=0.2)
            beside = [timed() for _ in range(runs)]
            seconds = []
            for _ in range(runs):
                second = Term(app, {"SESSIONS_TUI_CACHE_DIR": cache})
                try:
                    seconds.append(second.wait(_listed))
                    if strict and "in-memory" in second.screen():
                        raise RuntimeError("the second browser fell back to memory")
                finally:
                    second.close()
        finally:
            first.close()
    a, b = statistics.median(alone), statistics.median(beside)
    return {"ls_json_alone_s": a, "ls_json_beside_browser_s": b,
            "ls_beside_browser_ratio": b / a,
            "second_browser_full_list_s": statistics.median(seconds)}  # fmt: skip


def enter_at_once(history: Path, runs: int) -> dict[str, float]:
    """Warm start, Enter as soon as the list is painted: launch → the session's first
    screen (the status bar's "shown of" appears with the open session). And Enter a
    second after the list is painted (a look at the list first): Enter → first screen."""
    if shutil.which("tmux") is None:
        return {}
    app = _app(history)
    at_once, after_a_look = [], []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "SESSIONS_TUI_CACHE_DIR": cache}
        # warm: the catalog and the search index built (else each start builds the index
        # in the background, which takes the second core from the open)
        subprocess.run(f"{app} search the > /dev/null", shell=True, env=env, check=True)
        for run in range(2 * runs):
            with tempfile.TemporaryDirectory() as state:  # no workspace to restore
                term = Term(app, {"SESSIONS_TUI_CACHE_DIR": cache,
                                  "SESSIONS_TUI_STATE_DIR": state})  # fmt: skip
                try:
                    term.wait(_listed)
                    looked = run % 2 == 1
                    if looked:
                        time.sleep(1.0)
                    pressed = time.perf_counter() - term.started
                    term.keys("Enter")
                    shown = term.wait(lambda s: "shown of" in s)
                    if looked:
                        after_a_look.append(shown - pressed)
                    else:
                        at_once.append(shown)
                finally:
                    term.close()
                _gone(history)
    return {
        "warm_enter_at_once_first_screen_s": statistics.median(at_once),
        "warm_enter_after_a_look_to_screen_ms": 1e3 * statistics.median(after_a_look),
    }


def _gone(history: Path, timeout: float = 5.0) -> None:
    """Wait for the app of a closed window to end: its quit (saving, closing) would
    otherwise share the two cores with the next run's start."""
    deadline = time.monotonic() + timeout
    pattern = f"--root {history / 'claude'}"
    while time.monotonic() < deadline:
        if subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True).returncode:
            return
        time.sleep(0.05)


def make_run_first_frame() -> dict[str, float]:
    """A fresh clone of this repository → the first frame of `make run` (the demo history,
    for a home with no sessions). Package caches are whatever this machine has."""
    if shutil.which("tmux") is None or not (REPO / ".git").exists():
        return {}
    with tempfile.TemporaryDirectory() as work:
        clone, home = Path(work) / "clone", Path(work) / "home"
        home.mkdir()
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
               "XDG_DATA_HOME": str(home / ".local/share")}  # fmt: skip
        term = Term(f"cd {clone} && make run", env)
        try:
            took = term.wait(lambda s: "sessions · by" in s, timeout=300, step=0.05)
        finally:
            term.close()
    return {"make_run_fresh_clone_first_frame_s": took}
