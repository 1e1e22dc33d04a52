"""The first open's head start (tui/state/head_start.py): a view built ahead, handed to the
open of the same session read the same way, closed when dropped."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import duckdb
import pytest

from sessions_tui.model import Session
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store import db
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.state.head_start import HeadStart

SID = "11111111-2222-3333-4444-555555555555"


def session_of(root: Path, prompts: int = 3) -> Session:
    path = root / "p" / f"{SID}.jsonl"
    path.parent.mkdir(parents=True)
    records = [
        {"type": "user", "uuid": f"u{i}", "sessionId": SID, "timestamp": f"2026-11-01T10:00:0{i}Z",
         "message": {"role": "user", "content": f"prompt {i}"}}
        for i in range(prompts)
    ]  # fmt: skip
    lines = [json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n")
    catalog = Catalog(root_from_arg(str(root)), None)
    catalog.refresh()
    (session,) = catalog.sessions()
    catalog.close()
    return session


def test_the_view_built_ahead_is_the_one_handed_over(tmp_path: Path) -> None:
    session = session_of(tmp_path)
    pool = db.ViewDatabases()
    start = HeadStart(session, None)
    worker = threading.Thread(target=start.build, args=(lambda: pool,))
    worker.start()
    view = start.view()  # waits for the build
    worker.join(10)
    assert start.done.is_set() and start.opening.building.is_set()
    assert view is not None and view.total == 3 and not view.partial
    assert start.view() is view  # the same view, not a second build
    view.close()
    pool.close()


def test_only_the_same_session_read_the_same_way_fits(tmp_path: Path) -> None:
    session = session_of(tmp_path)
    start = HeadStart(session, 256 * 1024)
    assert start.fits(session, 256 * 1024)
    assert not start.fits(session, None)  # a whole view was asked for (a search hit)
    other = dataclasses.replace(session, id="99999999-2222-3333-4444-555555555555")
    assert not start.fits(other, 256 * 1024)
    moved = dataclasses.replace(session, path=tmp_path / "elsewhere.jsonl")
    assert not start.fits(moved, 256 * 1024)
    # A subagent the catalog found since the snapshot: the view is shown, and built again
    # with it (as any session opened from the snapshot).
    grown = dataclasses.replace(session, subagent_paths=(tmp_path / "agent-a.jsonl",))
    assert start.fits(grown, 256 * 1024)


def test_a_dropped_head_start_closes_its_view(tmp_path: Path) -> None:
    session = session_of(tmp_path)
    start = HeadStart(session, None)
    start.build(db.ViewDatabases)
    view = start.view()
    assert view is not None and view.total == 3
    start.drop()
    with pytest.raises(duckdb.ConnectionException):
        view.cursor()


def test_a_head_start_dropped_before_its_build_builds_nothing(tmp_path: Path) -> None:
    session = session_of(tmp_path)
    start = HeadStart(session, None)
    start.drop()  # a workspace to restore, say: dropped before its worker ran
    start.build(db.ViewDatabases)
    assert start.done.is_set() and start.view() is None


def test_a_build_that_fails_hands_over_nothing(tmp_path: Path) -> None:
    session = session_of(tmp_path)
    session.path.unlink()  # gone since the snapshot listed it
    start = HeadStart(session, None)
    start.build(db.ViewDatabases)
    assert start.done.is_set() and start.view() is None  # the open builds again, says why
