"""Read-only proof: the CLI verbs and a scripted browser session change nothing under the roots."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.demo import generate_history
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.dialogs import ExportScreen
from tests.pilot import settle


def listing(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under `root` (folders too) with its size, mtime and mode."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            st = os.lstat(os.path.join(folder, name))
            out[os.path.join(folder, name)] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


async def test_nothing_under_the_roots_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "history"
    generate_history(root, seed=21, sessions=12, total_bytes=600_000)
    roots = ["--root", str(root / "claude"), "--root", str(root / "codex")]
    before = listing(root)
    assert len(before) > 20
    out = tmp_path / "out"
    out.mkdir()

    assert main([*roots, "ls", "--json"]) == 0
    sid = json.loads(capsys.readouterr().out)[0]["id"]
    for argv in (
        ["show", sid, "--json"],
        ["search", "the", "--json"],
        ["search", "t.e", "--regex", "--kind", "assistant"],
        ["stats", "--json"],
        ["stats", sid],
        ["export", sid, "-o", str(out / "a.html")],
        ["export", sid, "--format", "md"],
        ["sql", "SELECT count(*) FROM entries"],
        ["config"],
    ):
        assert main([*roots, *argv]) in (0, 1), argv
    capsys.readouterr()

    app = SessionsApp(
        Catalog(root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex")), None),
        state_folder=tmp_path / "state",
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("2", "0", "e", "0", "slash", *"the", "enter")
        await settle(app, pilot)
        await pilot.press("n", "n", "enter", "ctrl+f", *"the")
        await pilot.pause(0.4)
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+u", *str(out / "b.json"), "enter")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("escape", "q")
    assert (out / "a.html").exists() and (out / "b.json").exists()
    assert listing(root) == before
