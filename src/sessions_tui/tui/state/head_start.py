"""The first open's head start. Right after a start, the session the list highlights (the
snapshot's top row, as a rule) has its view built in the background, while DuckDB and the
catalog load: an Enter pressed at once then finds it built, or under way, instead of
waiting for DuckDB's import, a database and the build in a row behind them.

Plain Python; the tabs pane owns it, runs `build` in a worker and hands it to the open
that asks for the same session (or drops it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from sessions_tui.store.opening import Opening

if TYPE_CHECKING:
    from sessions_tui.model import Session
    from sessions_tui.store.db import ViewDatabases
    from sessions_tui.store.session_view import SessionView


class HeadStart:
    """One view built ahead for `session` (of its `head` bytes, as the open would)."""

    def __init__(self, session: Session, head: int | None) -> None:
        self.session = session
        self.head = head
        self.opening = Opening()  # dropped or superseded: the build stops
        self.done = threading.Event()  # built, failed or stopped (the catalog waits for it)
        self._view: Future[SessionView] = Future()

    def build(self, databases: Callable[[], ViewDatabases]) -> None:
        """In a worker thread: build the view (an error is kept for `view` to see)."""
        from sessions_tui.store.session_view import SessionView

        try:
            self._view.set_result(
                SessionView(
                    self.session, databases=databases(), opening=self.opening, head=self.head
                )
            )
        except BaseException as exc:  # kept: the open that takes it builds again and says why
            self._view.set_exception(exc)
        finally:
            self.done.set()

    def fits(self, session: Session, head: int | None) -> bool:
        """Whether an open of `session` (of `head` bytes) can take this view: the same
        session's file, read the same way. Subagents the catalog found since the snapshot
        do not count: the tabs pane builds a view again with them, as for any session
        opened from the snapshot."""
        return (
            session.id == self.session.id
            and head == self.head
            and session.path == self.session.path
        )

    def view(self) -> SessionView | None:
        """The view, once built (waits for it); None if it could not be built."""
        try:
            return self._view.result()
        except Exception:
            return None

    def drop(self) -> None:
        """Not wanted (another session opened, a workspace restored, a quit): stop the
        build, and close the view if it was built."""
        self.opening.stop()
        self._view.add_done_callback(_close)


def _close(done: Future[SessionView]) -> None:
    if done.exception() is None:
        done.result().close()
