"""A long session opens with the head of its file and grows to the whole view.

The first screen comes from the file's first lines while the whole view is built in the
background; when it is, it takes the head's place: the counts, the filter's entries and
the scroll range grow, the entry at the top of the screen stays there, and what the
reader ends with is what a view built in one go holds.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from sessions_tui.demo import generate_history
from sessions_tui.model import Entry, Kind, Session
from sessions_tui.store import session_view
from sessions_tui.store.session_view import SessionView
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.panes import tabs
from sessions_tui.tui.panes.tabs import STREAM_FROM
from sessions_tui.tui.state.viewstate import SessionState
from tests.pilot import app_for, opened, settle, status_right


def _same(entry: Entry) -> tuple[Any, ...]:
    return (entry.kind, entry.timestamp, entry.tool, entry.uuid, entry.text, entry.sidechain)


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    report = generate_history(root, seed=11, sessions=2, total_bytes=400_000, big_records=6000)
    assert report.big_session is not None and report.big_session.stat().st_size > STREAM_FROM
    return root / "claude"


async def _enter_on_the_longest(app: SessionsApp, pilot: Any) -> Session:
    """Enter on the history's longest session, once the list is read; which it is."""
    await settle(app, pilot)
    sessions = app.browser.listing.sessions
    big = max((r.session for r in sessions.rows if r.session), key=lambda s: s.size)
    sessions.select(next(i for i, r in enumerate(sessions.rows) if r.session is big))
    sessions.focus()
    await pilot.press("enter")
    return big


@contextlib.asynccontextmanager
async def _opened_by_head(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[SessionsApp, Any, SessionState, threading.Event]]:
    """The long session shown by its head, its whole view held until the gate opens
    (what is on screen meanwhile is the head's, whatever the machine's speed)."""
    gate = threading.Event()

    class Held(SessionView):
        def __init__(self, *args: Any, head: int | None = None, **kwargs: Any) -> None:
            if head is None:
                assert gate.wait(30)
            super().__init__(*args, head=head, **kwargs)

    monkeypatch.setattr(session_view, "SessionView", Held)
    monkeypatch.setattr(tabs, "HEAD_BYTES", 512 * 1024)  # past the first subagent's spawn
    app = app_for(history)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            big = await _enter_on_the_longest(app, pilot)
            for _ in range(200):
                await pilot.pause(0.02)
                if opened(app).current is not None:
                    break
            state = opened(app).current
            assert state is not None and state.view.partial  # on screen before the rest
            assert 0 < state.view.total < big.entries
            assert "reading the rest" in status_right(app)
            yield app, pilot, state, gate
    finally:
        gate.set()


def _as_built_in_one_go(state: SessionState) -> None:
    """What the reader ends with is what a view built in one go holds."""
    assert not state.view.partial
    whole = SessionView(state.view.session)
    try:
        assert state.view.total == whole.total
        assert [_same(e) for e in state.view.entries()] == [_same(e) for e in whole.entries()]
        assert state.counts == whole.counts()
        assert [u.seq for u in state.units] == [u.seq for u in whole.units(state.filter)]
    finally:
        whole.close()


async def test_the_whole_view_takes_the_heads_place_where_the_reader_is(
    long_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _opened_by_head(long_history, monkeypatch) as (app, pilot, state, gate):
        head_total = state.view.total
        first = state.entry(0)
        # Read to the end of what is there: past a subagent's spawn, where the whole
        # view has more entries above (the subagent's).
        await pilot.press("G", "k", "k")
        await pilot.pause(0.2)  # drawn (and laid out ahead) as a person would see it
        top, within = state.locate(state.position.scroll_y)
        top_entry = state.entry(top)
        selected_entry = state.entry(state.position.selected)

        gate.set()
        await settle(app, pilot)
        assert state is opened(app).current
        assert "reading the rest" not in status_right(app)
        _as_built_in_one_go(state)
        assert state.view.total > head_total
        assert _same(state.entry(0)) == _same(first)
        # The place did not jump: the same entry at the top, as far into it, though it
        # is further down the whole view; the same entry selected.
        now_top, now_within = state.locate(state.position.scroll_y)
        assert now_top > top
        assert _same(state.entry(now_top)) == _same(top_entry)
        assert now_within == within
        assert _same(state.entry(state.position.selected)) == _same(selected_entry)


async def test_a_filter_set_while_the_rest_is_read_covers_the_rest(
    long_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _opened_by_head(long_history, monkeypatch) as (app, pilot, state, gate):
        await pilot.press("1")  # only the prompts
        assert state.filter.kinds == frozenset({Kind.PROMPT})
        shown = len(state.units)
        gate.set()
        await settle(app, pilot)
        _as_built_in_one_go(state)
        assert state.filter.kinds == frozenset({Kind.PROMPT}) and len(state.units) > shown


async def test_a_search_and_an_export_while_the_rest_is_read(
    long_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search run on the head covers the rest once it is read; an export waits for
    the rest (it would write the head alone)."""
    async with _opened_by_head(long_history, monkeypatch) as (app, pilot, state, gate):
        await pilot.press("x")
        assert "still being read" in status_right(app)
        await pilot.press("slash", *"the", "enter")
        for _ in range(200):  # (not `settle`: the rest's worker waits for the gate)
            await pilot.pause(0.02)
            if state.finding is not None:
                break
        assert state.finding is not None
        in_head = len(state.finding.matches)
        assert in_head > 0
        gate.set()
        await settle(app, pilot)
        assert not state.view.partial and state.finding is not None
        assert state.finding.matches == state.view.matching(state.finding.query)
        assert len(state.finding.matches) > in_head
        assert f"/{len(state.hits())}" in status_right(app)


async def test_the_rest_that_cannot_be_read_leaves_the_head_and_says_so(
    long_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(SessionView):
        def __init__(self, *args: Any, head: int | None = None, **kwargs: Any) -> None:
            if head is None:
                raise OSError(5, "Input/output error")
            super().__init__(*args, head=head, **kwargs)

    monkeypatch.setattr(session_view, "SessionView", Failing)
    app = app_for(long_history)
    async with app.run_test(size=(120, 30)) as pilot:
        await _enter_on_the_longest(app, pilot)
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None and state.view.partial and state.view.total > 0
        assert "cannot read all of" in status_right(app)
        assert "Input/output error" in status_right(app)
        await pilot.press("j")  # the notice goes with the next move; the facts stay
        assert "the first part of" in status_right(app)
        assert "reading the rest" not in status_right(app)
        await pilot.press("x")
        assert "nothing exported" in status_right(app)


async def test_a_short_session_opens_in_one_go(tmp_path: Path) -> None:
    generate_history(tmp_path, seed=3, sessions=3, total_bytes=60_000)
    app = app_for(tmp_path / "claude")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None and not state.view.partial
        assert state.view.session.size <= STREAM_FROM


def test_a_head_holds_the_first_entries_of_the_whole_view(long_history: Path) -> None:
    """Store level: the head's entries are the whole view's first entries of the main
    file, in order, and `same_entries` finds each of them there."""
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog

    catalog = Catalog(root_from_arg(str(long_history)), None)
    catalog.refresh()
    big = max(catalog.sessions(), key=lambda s: s.size)
    head = SessionView(big, head=64 * 1024)
    whole = SessionView(big)
    try:
        assert head.partial and not whole.partial and head.versions == {}
        ours = list(head.entries())
        moved = head.same_entries(whole, [e.seq for e in ours])
        assert len(moved) == len(ours) > 0
        theirs = {e.seq: e for e in whole.entries()}
        assert [_same(theirs[moved[e.seq]]) for e in ours] == [_same(e) for e in ours]
        places = [moved[e.seq] for e in ours]
        assert places == sorted(places)  # in the same order
        assert whole.total > len(ours)  # and the whole view reads past the head
    finally:
        head.close()
        whole.close()
