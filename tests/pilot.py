"""Driving the app through Textual's pilot: a small two-session history and the steps
every browser test takes (wait for the workers, open a session)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.worker import WorkerCancelled

from sessions_tui.model import Kind, Session
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.state.open_sessions import OpenSessions
from sessions_tui.tui.state.viewstate import SessionState
from tests.records import assistant, user, write

A = "aaaaaaaa-1111-2222-3333-444444444444"
B = "bbbbbbbb-1111-2222-3333-444444444444"


def story(root: Path, work: Path) -> Path:
    """Two sessions of one project (its folder exists, for resume) with known text."""
    work.mkdir(parents=True, exist_ok=True)
    folder = root / "projects" / "-work"
    common = {"cwd": str(work)}
    write(folder, f"{A}.jsonl", [
        user("Please fix the flaky deploy", "u1", sessionId=A,
             timestamp="2026-11-20T10:00:00.000Z", **common),
        assistant({"type": "text", "text": "Looking at the deploy script."}, "m1", 5, "a1",
                  sessionId=A, timestamp="2026-11-20T10:00:01.000Z", **common),
        assistant({"type": "tool_use", "id": "t1", "name": "Bash",
                   "input": {"command": "make deploy"}}, "m2", 5, "a2", sessionId=A,
                  timestamp="2026-11-20T10:00:02.000Z", **common),
        user([{"type": "tool_result", "tool_use_id": "t1", "is_error": True,
               "content": "error: deploy timeout after 30s"}], "u2", sessionId=A,
             timestamp="2026-11-20T10:00:03.000Z", **common),
        assistant({"type": "text", "text": "The deploy hit a timeout; raising it fixes it."},
                  "m3", 5, "a3", sessionId=A, timestamp="2026-11-20T10:00:04.000Z", **common),
        *[assistant({"type": "text", "text": f"filler line {i}\n" * 3}, f"f{i}", 1, f"f{i}",
                    sessionId=A, timestamp="2026-11-20T10:01:00.000Z", **common)
          for i in range(40)],
        assistant({"type": "text", "text": "Deploy is green again after the timeout change."},
                  "m4", 5, "a4", sessionId=A, timestamp="2026-11-20T10:05:00.000Z", **common),
    ])  # fmt: skip
    write(folder, f"{B}.jsonl", [
        user("write the docs", "u1", sessionId=B, timestamp="2026-11-21T10:00:00.000Z", **common),
        assistant({"type": "text", "text": "The docs now explain the zebra option."}, "m1", 5,
                  "a1", sessionId=B, timestamp="2026-11-21T10:00:01.000Z", **common),
    ])  # fmt: skip
    return root


def reads_as(state: SessionState, i: int) -> Kind:
    """What unit `i` is as a person reads it: a tool call whose result is an error is an
    error; else the kind of its entry."""
    unit = state.units[i]
    return Kind.ERROR if unit.result_kind is Kind.ERROR else unit.kind


def app_for(root: Path, **kwargs: object) -> SessionsApp:
    return SessionsApp(Catalog(root_from_arg(str(root)), None), follow=False, **kwargs)  # type: ignore[arg-type]


async def workers_done(app: App[Any]) -> None:
    """Until every worker has ended. A worker cancelled by a newer one of its group (a
    search typing replaced, an open another open replaced) has ended too: Textual's
    `wait_for_complete` raises for it, and the next call sees the rest."""
    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def settle(app: SessionsApp, pilot: object) -> None:
    for _ in range(2):
        await workers_done(app)
        await pilot.pause()  # type: ignore[attr-defined]


async def open_session(app: SessionsApp, pilot: object, session_id: str) -> None:
    sessions = app.browser.listing.sessions
    index = next(i for i, r in enumerate(sessions.rows) if r.session and r.session.id == session_id)
    sessions.select(index)
    sessions.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


@asynccontextmanager
async def session_a(
    tmp_path: Path, size: tuple[int, int] = (120, 30)
) -> AsyncIterator[tuple[SessionsApp, Any, SessionState]]:
    """The story's session A open in the browser: (app, pilot, its state)."""
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        state = opened(app).current
        assert state is not None
        yield app, pilot, state


def status_right(app: SessionsApp) -> str:
    """What the right of the status bar says now (search progress, new entries, notices)."""
    from sessions_tui.tui.widgets.status_bar import StatusBar

    return app.query_one(StatusBar).right


def opened(app: SessionsApp) -> OpenSessions:
    """The sessions open in the browser's tabs (their states: filter, position, search)."""
    return app.browser.tabs.open


def listed(app: SessionsApp) -> list[Session]:
    """The sessions the list has (all of them, whatever its filter)."""
    return app.browser.listing.sessions.sessions


# What a terminal sends for the keys whose name is not their character.
CHARACTERS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "slash": "/", "question_mark": "?",
              "space": " ", "left_square_bracket": "[", "right_square_bracket": "]"}  # fmt: skip


def send_at_once(app: App[Any], *sent: str | events.Event) -> None:
    """Put keys (by name) and events in the driver's queue together, the way a terminal
    delivers a paste or fast typing (`Pilot.press` waits for the app after every key)."""
    driver = app._driver  # Textual's: the only way in that is not through the pilot
    assert driver is not None
    for item in sent:
        event = (
            item
            if isinstance(item, events.Event)
            else events.Key(item, CHARACTERS.get(item, item if len(item) == 1 else None))
        )
        event.set_sender(app)
        driver.send_message(event)
