"""SVG snapshots of the main screens at a fixed size, on a fixed demo history and clock.

Update them with `.venv/bin/pytest tests/snapshots --snapshot-update` after a deliberate
change of look, and review the diff of the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sessions_tui.demo import generate_history
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.app import SessionsApp
from tests.pilot import workers_done

SnapCompare = Callable[..., bool]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snapdemo")
    generate_history(root, seed=5, sessions=12, total_bytes=600_000)
    return root


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSIONS_TUI_NOW", "2026-11-21T00:00:00Z")


def app_for(root: Path) -> SessionsApp:
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    return SessionsApp(Catalog(roots, None), follow=False)


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await workers_done(pilot.app)
        await pilot.pause()
        for key in presses:
            await pilot.press(key)
            await workers_done(pilot.app)
            await pilot.pause()

    return run


def test_session_list(snap_compare: SnapCompare, history: Path) -> None:
    assert snap_compare(app_for(history), run_before=keys(), terminal_size=(120, 34))


def test_open_session(snap_compare: SnapCompare, history: Path) -> None:
    press = keys("enter", "j", "j")
    assert snap_compare(app_for(history), run_before=press, terminal_size=(120, 34))


def test_expanded_entry(snap_compare: SnapCompare, history: Path) -> None:
    press = keys("enter", "4", "J", "j", "enter")
    assert snap_compare(app_for(history), run_before=press, terminal_size=(120, 34))


def test_reading_80x24(snap_compare: SnapCompare, history: Path) -> None:
    """Reading mode at 80×24: one pane at a time, the reply wrapped to the width."""
    assert snap_compare(app_for(history), run_before=keys("enter"), terminal_size=(80, 24))


def test_tool_detail(snap_compare: SnapCompare, history: Path) -> None:
    """`v`: each tool's first lines of output (an edit: its diff) under its line."""
    press = keys("enter", "z", "v")
    assert snap_compare(app_for(history), run_before=press, terminal_size=(120, 34))


def test_errors_only(snap_compare: SnapCompare, history: Path) -> None:
    assert snap_compare(app_for(history), run_before=keys("enter", "e"), terminal_size=(120, 34))


def test_help(snap_compare: SnapCompare, history: Path) -> None:
    assert snap_compare(app_for(history), run_before=keys("question_mark"), terminal_size=(100, 40))


def test_tiny_terminal(snap_compare: SnapCompare, history: Path) -> None:
    assert snap_compare(app_for(history), run_before=keys("enter"), terminal_size=(40, 12))


def test_light_theme(snap_compare: SnapCompare, history: Path) -> None:
    app = app_for(history)

    async def light(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await keys("enter", "j")(pilot)

    assert snap_compare(app, run_before=light, terminal_size=(120, 34))
