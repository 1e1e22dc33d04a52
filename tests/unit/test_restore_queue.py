"""The restore queue (tui/state/restore.py), plain Python: what to reopen next."""

from __future__ import annotations

from pathlib import Path

from sessions_tui.model import Role, Session, SessionFile, Source, placeholder
from sessions_tui.tui.state.restore import RestoreQueue
from sessions_tui.tui.state.workspace import Tab, Workspace


def _session(tmp_path: Path, sid: str, exists: bool = True) -> Session:
    path = tmp_path / f"{sid}.jsonl"
    if exists:
        path.write_text("{}\n")
    return placeholder(SessionFile(path, 3, 1, Source.CLAUDE, Role.MAIN, sid))


def test_the_active_session_first_then_the_rest_then_the_saved_order(tmp_path: Path) -> None:
    saved = Workspace([Tab("a", "a.jsonl"), Tab("b", "b.jsonl"), Tab("c", "c.jsonl")], "b")
    queue = RestoreQueue(saved)
    listed = {s.id: s for s in (_session(tmp_path, "a"), _session(tmp_path, "b"))}
    assert queue.waiting and not queue.shown.is_set()
    first = queue.next(listed)
    assert first is not None and first.id == "b"  # the active one first
    assert queue.next(listed) is None  # one at a time
    tab = queue.opened("b")
    assert tab is not None and tab.session_id == "b" and queue.shown.is_set()
    assert (second := queue.next(listed)) is not None and second.id == "a"
    assert queue.opened("a") is not None
    assert queue.next(listed) is None and queue.waiting  # c is not listed yet: wait
    queue.complete = True  # the catalog listed everything: c is gone, dropped quietly
    assert queue.next(listed) is None and not queue.waiting
    assert queue.finish(["b", "x", "a"]) == ["a", "b", "x"]  # saved order, new ones after
    assert queue.finish(["a", "b"]) is None  # once


def test_a_gone_or_failing_active_session_lets_the_walk_go_on(tmp_path: Path) -> None:
    saved = Workspace([Tab("a", "a.jsonl"), Tab("b", "b.jsonl")], "a")
    queue = RestoreQueue(saved)
    listed = {"a": _session(tmp_path, "a", exists=False), "b": _session(tmp_path, "b")}
    nxt = queue.next(listed)  # a's file is gone: skipped, and the catalog need not wait
    assert nxt is not None and nxt.id == "b" and queue.shown.is_set()
    assert queue.tab_for("b") is not None and queue.tab_for("a") is None
    queue.failed()
    assert queue.current is None and queue.next(listed) is None and not queue.waiting
    assert RestoreQueue().shown.is_set() and not RestoreQueue().waiting  # nothing saved
