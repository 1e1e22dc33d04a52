"""Faults, each reproduced: the app says what happened and keeps working with the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.sources.repair import MAX_TEXT
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.session_view import SessionView
from sessions_tui.tui.app import SessionsApp
from tests.pilot import A, B, open_session, opened, settle, status_right, story
from tests.records import assistant, user, write


async def test_a_session_deleted_while_open(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    app = SessionsApp(Catalog(root_from_arg(str(root)), None), follow=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        state = opened(app).states[A]
        shown = len(state.visible)
        (root / "projects" / "-work" / f"{A}.jsonl").unlink()
        app.browser.tabs.follow()
        await pilot.pause()
        assert "was deleted" in status_right(app)
        assert len(state.visible) == shown  # what was read stays readable
        await pilot.press("j", "enter", "G")
        await open_session(app, pilot, B)  # and the rest keeps working
        assert opened(app).active == B


async def test_a_tiny_terminal(tmp_path: Path) -> None:
    app = SessionsApp(Catalog(root_from_arg(str(story(tmp_path / "h", tmp_path / "w"))), None))
    async with app.run_test(size=(12, 4)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "j", "pagedown", "enter", "slash", *"x", "enter", "f12")
        await pilot.press("escape", "s", "escape", "question_mark", "escape")
        await pilot.resize_terminal(3, 2)
        await pilot.press("k", "G")
        await settle(app, pilot)


HOLD = """
import sys, time
from pathlib import Path
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
c = Catalog(root_from_arg(sys.argv[1]), Path(sys.argv[2]))
c.refresh()
c.index
print("holding", flush=True)
time.sleep(60)
"""


async def test_two_instances_at_once(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    cache = tmp_path / "cache"
    # Another process has the same cache and search index: neither keeps the files open,
    # so both use them.
    first = subprocess.Popen([sys.executable, "-c", HOLD, str(root), str(cache)],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert first.stdout is not None and first.stdout.readline().strip() == "holding"
    app = SessionsApp(lambda: Catalog(root_from_arg(str(root)), cache), follow=False)
    try:
        await _second_instance(app)
    finally:
        first.kill()
        first.wait()


async def _second_instance(app: SessionsApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "in-memory" not in status_right(app) and "in use" not in status_right(app)
        await open_session(app, pilot, A)
        await pilot.press("ctrl+f", *"zebra")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert [g.session.id for g in app.screen.found] == [B]  # type: ignore[attr-defined]


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "projects" / "-p"
    folder.mkdir(parents=True)
    lines = [json.dumps({"type": "user", "uuid": f"u{i}", "sessionId": "s",
                         "message": {"role": "user", "content": f"caf\u00e9 {i}"}},
                        ensure_ascii=False).encode("latin-1") for i in range(3)]  # fmt: skip
    (folder / "s.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    c = Catalog(root_from_arg(str(tmp_path)), None)
    c.refresh()
    (s,) = c.sessions()
    assert (s.records, s.malformed_lines, s.kind_counts["prompt"]) == (3, 0, 3)
    view = SessionView(s)
    assert [e.text for e in view.entries()] == [f"caf\ufffd {i}" for i in range(3)]
    view.close()


def huge_line_history(root: Path, megabytes: int) -> Path:
    big = "x" * (megabytes * 1_000_000)
    write(root / "projects" / "-p", "s.jsonl", [
        user("before", "u1", sessionId="s"),
        assistant({"type": "text", "text": big}, "m1", 1, "a1", sessionId="s"),
        user("after", "u2", sessionId="s"),
    ])  # fmt: skip
    return root


def test_a_single_line_of_110_mb_is_read_with_its_text_cut(tmp_path: Path) -> None:
    # 110 MB made DuckDB fail with OutOfMemory (peak 2.5 GB) and sank every verb.
    root = huge_line_history(tmp_path, 110)
    c = Catalog(root_from_arg(str(root)), None)
    c.refresh()
    (s,) = c.sessions()
    assert (s.records, s.malformed_lines) == (3, 0)
    assert s.tokens.output == 1  # the record counts: only its text is cut
    view = SessionView(s)
    texts = [e.text for e in view.entries()]
    assert texts[0] == "before" and texts[2] == "after"
    assert texts[1].startswith("x" * MAX_TEXT) and len(texts[1]) < MAX_TEXT + 200
    assert "cut by sessions-tui: this text is 110.0 MB" in texts[1]
    view.close()
    c.close()


def test_a_line_over_the_record_limit_is_skipped_with_a_note(tmp_path: Path) -> None:
    root = huge_line_history(tmp_path, 150)
    write(root / "projects" / "-q", "t.jsonl", [user("another session", "u1", sessionId="t")])
    c = Catalog(root_from_arg(str(root)), None)
    report = c.refresh()
    sessions = {s.id: s for s in c.sessions()}
    assert set(sessions) == {"s", "t"}  # every other file is still listed
    assert (sessions["s"].records, sessions["s"].malformed_lines) == (2, 1)
    assert any("150 MB long" in p and "skipped" in p for p in report.problems)
    view = SessionView(sessions["s"])
    assert [e.text for e in view.entries()] == ["before", "after"]
    view.close()
    c.close()


def test_home_unset_and_roots_missing(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("HOME", "CLAUDE_CONFIG_DIR", "CODEX_HOME")
    }
    run = [sys.executable, "-m", "sessions_tui"]
    out = subprocess.run([*run, "ls", "--json"], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "demo history" in out.stderr and json.loads(out.stdout)  # the demo stands in
    out = subprocess.run([*run, "--root", str(tmp_path / "nope"), "ls"], env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 1 and out.stderr.strip() == (
        f"sessions-tui: no such folder: {tmp_path / 'nope'}"
    )


@pytest.mark.slow
def test_a_2_gb_session_file(tmp_path: Path) -> None:
    """Generated here (not in CI: `make test-slow`)."""
    folder = tmp_path / "projects" / "-p"
    folder.mkdir(parents=True)
    block = "".join(
        assistant({"type": "text", "text": f"line {i} " + "y" * 2000}, f"m{i}", 1, f"a{i}",
                  sessionId="s") + "\n"
        for i in range(1000)
    ).encode()  # fmt: skip
    path = folder / "s.jsonl"
    with path.open("wb") as f:
        while f.tell() < 2_000_000_000:
            f.write(block)
    c = Catalog(root_from_arg(str(tmp_path)), None)
    report = c.refresh()
    (s,) = c.sessions()
    assert report.problems == [] and s.malformed_lines == 0
    assert s.records == path.stat().st_size // len(block) * 1000
    c.close()
