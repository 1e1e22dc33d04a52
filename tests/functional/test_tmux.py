"""End to end: the real `sessions-tui` in tmux, driven by keys, read off the screen."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sessions_tui.demo import DemoReport

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e")

    @classmethod
    def start(cls, command: str, width: int = 120, height: int = 30) -> Tmux:
        t = cls(f"sessions-tui-{uuid.uuid4().hex[:8]}")
        t.run("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), command)
        return t

    @classmethod
    def demo(
        cls, root: Path, cache: Path, *, env: str = "", args: str = "", width: int = 120
    ) -> Tmux:
        """The app on the demo history at `root` (its cache in `cache`), left on screen
        for 30 s after it exits."""
        return cls.start(
            f"{env} SESSIONS_TUI_CACHE_DIR={cache} {sys.executable} -m sessions_tui "
            f"--root {root / 'claude'} --root {root / 'codex'} {args}; sleep 30",
            width=width,
        )

    def open_first_session(self) -> None:
        self.wait_for(lambda s: "entries" in s, "the session list")
        self.keys("Enter")
        self.wait_for(lambda s: "shown of" in s, "an open session")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{self.screen()}")


@pytest.fixture()
def tmux(demo_history: tuple[Path, DemoReport], tmp_path: Path) -> Iterator[Tmux]:
    root, _ = demo_history
    t = Tmux(f"sessions-tui-{uuid.uuid4().hex[:8]}")
    command = (
        f"SESSIONS_TUI_CACHE_DIR={tmp_path / 'cache'} {sys.executable} -m sessions_tui "
        f"--root {root / 'claude'} --root {root / 'codex'} --profile {tmp_path / 'profile.json'}"
        "; echo APP-EXITED-$?; sleep 30"
    )
    t.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", command)
    try:
        yield t
    finally:
        t.run("kill-server")


def test_the_real_app_in_tmux(tmux: Tmux, tmp_path: Path) -> None:
    # The first frames can come before the terminal's size is known (80×24, one pane) and
    # before the catalog (placeholder rows): wait for the list beside the session pane.
    tmux.wait_for(
        lambda s: "entries" in s and "reading…" not in s and "Enter opens a session" in s,
        "the session list beside the session pane",
    )
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: " you " in s and "shown of" in s, "an open session")
    assert "1 you" in screen  # the filter bar with counts
    tmux.keys("e")
    tmux.wait_for(lambda s: "shown of" in s and "· error" in s, "the errors filter")
    tmux.keys("0", "G")
    tmux.keys("/")
    tmux.wait_for(lambda s: "▔ text ▔" in s, "the search box")
    tmux.keys("the", "Enter")
    tmux.wait_for(lambda s: re.search(r"text 'the' \d+/\d+", s) is not None, "search hits")
    tmux.keys("C-f")
    tmux.wait_for(lambda s: "search every session" in s, "the search screen")
    tmux.keys("lock twice")
    tmux.wait_for(lambda s: "matching entries" in s, "results from every session")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "matching entries" not in s, "the search screen to close")
    tmux.keys("F12")
    tmux.wait_for(lambda s: "queries (last 100 of each)" in s, "the performance panel")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "queries (last 100" not in s, "the panel to close")
    tmux.keys("?")
    tmux.wait_for(lambda s: "sessions-tui — keys" in s, "the help overlay")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "sessions-tui — keys" not in s, "the help to close")
    tmux.keys("q")
    screen = tmux.wait_for(lambda s: "APP-EXITED-" in s, "the app to quit")
    assert "APP-EXITED-0" in screen and "Traceback" not in screen
    profile = json.loads((tmp_path / "profile.json").read_text("utf-8"))
    assert profile["timings"]["open session"]["count"] >= 1
    assert profile["views"] and profile["views"][0]["rows"] > 0


def test_the_window_size_wins_over_columns_and_lines_in_the_environment(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    """COLUMNS=80 LINES=24 exported, a 120×30 window: the app fills the window, and
    follows it when it changes."""
    root, _ = demo_history
    t = Tmux.demo(root, tmp_path / "cache", env="COLUMNS=80 LINES=24")
    try:
        screen = t.wait_for(lambda s: "Enter opens a session" in s and "entries" in s,
                            "the two panes side by side")  # fmt: skip
        assert len(screen.splitlines()) == 30 and "⏎ Open" in screen.splitlines()[-1]
        t.run("resize-window", "-t", "e2e", "-x", "90", "-y", "30")
        t.wait_for(lambda s: "Enter opens a session" not in s, "one pane under 100 columns")
    finally:
        t.run("kill-server")


def test_no_color_draws_in_greys_only(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    root, _ = demo_history
    t = Tmux.demo(root, tmp_path / "cache", env="NO_COLOR=1")
    try:
        t.open_first_session()
        coloured = t.run("capture-pane", "-e", "-p", "-t", "e2e")
    finally:
        t.run("kill-server")
    greys = {0, 7, 8, 15, 16, *range(232, 256)}
    indexed = [int(n) for n in re.findall(r"\x1b\[[0-9;]*?[34]8;5;(\d+)", coloured)]
    truecolor = re.findall(r"[34]8;2;(\d+);(\d+);(\d+)", coloured)
    assert indexed or truecolor, "no colours at all were captured"
    assert {n for n in indexed if n not in greys} == set()
    assert all(r == g == b for r, g, b in truecolor)


def test_resume_hands_the_terminal_over_and_comes_back(tmp_path: Path) -> None:
    from tests.pilot import B, story

    work = tmp_path / "work"
    root = story(tmp_path / "h", work)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "claude"
    fake.write_text('#!/bin/sh\necho "FAKE CLAUDE in $PWD with $*"\nsleep 2\n')
    fake.chmod(0o755)
    t = Tmux.start(
        f"PATH={bin_dir}:$PATH SESSIONS_TUI_CACHE_DIR={tmp_path / 'cache'} "
        f"{sys.executable} -m sessions_tui --root {root}; echo APP-EXITED-$?; sleep 30"
    )
    try:
        t.open_first_session()
        t.keys("R")
        screen = t.wait_for(lambda s: "FAKE CLAUDE" in s, "the program to run")
        # The newest session (B) is first in the list; the line may wrap on screen.
        assert f"FAKE CLAUDE in {work} with --resume {B}" in screen.replace("\n", "")
        t.wait_for(lambda s: "back from claude (exit status 0)" in s, "the app to come back")
        t.keys("q")
        screen = t.wait_for(lambda s: "APP-EXITED-" in s, "the app to quit")
        assert "APP-EXITED-0" in screen
    finally:
        t.run("kill-server")


def test_keys_typed_ahead_act_in_order(tmux: Tmux) -> None:
    """A terminal delivers fast typing in one read: each key acts where the last one led."""
    tmux.open_first_session()
    tmux.keys("C-f", "lock twice")  # one send: the dialog is not up yet when `l` arrives
    screen = tmux.wait_for(lambda s: "matching entries" in s, "results from every session")
    assert "lock twice" in screen
    tmux.keys("Escape")  # alone: Escape and a key in one read is Alt+key to a terminal
    tmux.wait_for(lambda s: "matching entries" not in s, "the search screen to close")
    tmux.keys("/", "the", "Enter", "n")
    screen = tmux.wait_for(
        lambda s: re.search(r"text 'the' 2/\d+", s) is not None, "the second hit"
    )
    tmux.run("set-buffer", "lock twice")
    tmux.keys("C-f")
    tmux.run("paste-buffer", "-p", "-t", "e2e")  # bracketed, as a terminal pastes
    tmux.wait_for(lambda s: "matching entries" in s and "lock twice" in s, "the pasted search")
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "matching entries" not in s, "the search screen to close")
    tmux.keys("q")
    assert "APP-EXITED-0" in tmux.wait_for(lambda s: "APP-EXITED-" in s, "the app to quit")


def test_hostile_text_sets_no_title_and_no_clipboard(tmp_path: Path) -> None:
    """In a real terminal (tmux honours OSC 52 and OSC 0 here), a history full of escapes
    leaves the clipboard and the window title alone, and markup shows as typed."""
    from tests.hostile import hostile_history

    root = hostile_history(tmp_path / "h")
    command = (
        f"SESSIONS_TUI_CACHE_DIR={tmp_path / 'cache'} SESSIONS_TUI_STATE_DIR={tmp_path / 's'} "
        f"{sys.executable} -m sessions_tui --root {root} --fresh; sleep 30"
    )
    t = Tmux(f"sessions-tui-{uuid.uuid4().hex[:8]}")
    t.run("new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40", "sleep 60")
    t.run("set-option", "-g", "set-clipboard", "on")
    t.run("set-option", "-g", "allow-rename", "on")
    t.run("respawn-pane", "-k", "-t", "e2e", command)
    try:
        t.wait_for(lambda s: "[red]abc" in s, "the hostile titles, markup shown as typed")
        for keys in (["Enter"], ["g", "Enter", "j", "Enter", "j", "Enter"], ["F12"], ["Escape"],
                     ["s"], ["Escape"], ["R"], ["Escape"]):  # fmt: skip
            t.keys(*keys)
            time.sleep(0.6)
        screen = t.wait_for(lambda s: "␛" in s, "escapes shown as symbols")
        assert "[red]abc" in screen
        assert t.run("list-buffers").strip() == ""  # OSC 52 set no clipboard
        title = t.run("display-message", "-p", "-t", "e2e", "#{pane_title}")
        assert "pwned" not in title
    finally:
        t.run("kill-server")


def test_tabs_switch_with_keys_a_real_terminal_delivers(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    """Ctrl+PgDn/PgUp and `[`/`]` through tmux (escape sequences, not Pilot key names)."""
    root, _ = demo_history
    t = Tmux.demo(root, tmp_path / "cache", args="--fresh", width=100)

    def active(screen: str) -> str:
        found = re.search(r"shown of \d+ · [^·]+ · (\S+)", screen)
        assert found is not None, screen
        return found.group(1)

    try:
        t.open_first_session()
        first = active(t.screen())
        for _ in range(3):  # open three more: Tab to the list, down, Enter
            was = active(t.screen())

            def another(screen: str, was: str = was) -> bool:
                return "shown of" in screen and active(screen) != was

            t.keys("Tab", "j", "Enter")
            t.wait_for(another, "a new tab")
        fourth = active(t.screen())
        t.keys("C-NPage")  # Ctrl+PgDn: from the last tab round to the first
        t.wait_for(lambda s: active(s) == first, "Ctrl+PgDn to switch to the first tab")
        t.keys("C-PPage")  # Ctrl+PgUp: back round to the last
        t.wait_for(lambda s: active(s) == fourth, "Ctrl+PgUp to switch back")
        t.keys("]")
        t.wait_for(lambda s: active(s) == first, "] to switch to the next tab")
    finally:
        t.run("kill-server")


def test_a_quoted_phrase_in_search_all_opens_its_session(tmp_path: Path) -> None:
    """Ctrl+F, a phrase in quotes, one Enter: the session holding the phrase opens at it,
    and its own search keeps the phrase (one hit, not the three entries with the words)."""
    from tests.pilot import story

    root = story(tmp_path / "h", tmp_path / "work")
    t = Tmux.start(
        f"SESSIONS_TUI_CACHE_DIR={tmp_path / 'cache'} SESSIONS_TUI_STATE_DIR={tmp_path / 's'} "
        f"{sys.executable} -m sessions_tui --root {root} --fresh; echo APP-EXITED-$?; sleep 30"
    )
    try:
        t.wait_for(lambda s: "entries" in s, "the session list")
        t.keys("C-f")
        t.wait_for(lambda s: "search every session" in s, "the search screen")
        t.keys('"hit a timeout"')
        t.wait_for(lambda s: "1 session · 1 matching entries" in s, "one session found")
        t.keys("Enter")
        screen = t.wait_for(lambda s: "shown of" in s and "1/1" in s, "the session at its hit")
        assert "The deploy hit a timeout; raising it fixes it." in screen
        assert "search every session" not in screen
        t.keys("q")
        assert "APP-EXITED-0" in t.wait_for(lambda s: "APP-EXITED-" in s, "the app to quit")
    finally:
        t.run("kill-server")


def test_the_cli_and_a_second_browser_share_the_cache_of_an_open_browser(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    """A browser is open (and has built its search index); `ls --json` in another terminal
    reads the same cache (no fallback notice, nothing read again, the same output as with
    no browser), `search` uses the same index, and a second browser lists everything."""
    root, report = demo_history
    cache = tmp_path / "cache"
    roots = ["--root", str(root / "claude"), "--root", str(root / "codex")]
    env = {**os.environ, "SESSIONS_TUI_CACHE_DIR": str(cache)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sessions_tui", *roots, *args], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    alone = cli("ls", "--json")
    assert alone.returncode == 0 and alone.stderr == ""
    first = Tmux.demo(root, cache)
    second: Tmux | None = None
    try:
        first.wait_for(lambda s: "entries" in s and "indexing" not in s and "reading" not in s,
                       "the list, read and indexed", timeout=60)  # fmt: skip
        beside = cli("ls", "--json")
        assert beside.returncode == 0 and beside.stderr == ""  # no "in-memory catalog"
        assert json.loads(beside.stdout) == json.loads(alone.stdout)
        found = cli("search", "--json", "the")
        assert found.returncode == 0 and found.stderr == "", found.stderr
        second = Tmux.demo(root, cache)
        screen = second.wait_for(lambda s: f"{report.sessions} sessions" in s, "a full list")
        assert "in-memory" not in screen and "in use" not in screen
        first.keys("q")
        first.wait_for(lambda s: "entries" not in s, "the first browser to quit")
    finally:
        first.run("kill-server")
        if second is not None:
            second.run("kill-server")
