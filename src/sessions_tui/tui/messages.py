"""App-wide messages: what the workers report back to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from sessions_tui.model import Session

if TYPE_CHECKING:
    from textual.worker import Worker

    from sessions_tui.store.catalog import Catalog, RefreshReport
    from sessions_tui.tui.state.viewstate import SessionState


class CatalogProgress(Message):
    """Bytes read so far of the files that changed (replaces the previous one)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CatalogProgress)


class CatalogReady(Message):
    """Sessions to list: the final list of a refresh, or one on the way (`final` False)."""

    def __init__(
        self, sessions: list[Session], report: RefreshReport | None, *, final: bool = True
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.report = report
        self.final = final

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CatalogReady) and not message.final


class SessionOpened(Message):
    """A session's view is built and ready to show."""

    def __init__(self, session_id: str, state: SessionState, seconds: float) -> None:
        super().__init__()
        self.session_id = session_id
        self.state = state
        self.seconds = seconds


class OpenFailed(Message):
    """A session could not be opened (the file vanished, say)."""

    def __init__(self, session_id: str, reason: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.reason = reason


class CatalogOpened(Message):
    """The catalog a worker opened (the first refresh of a start with no catalog yet)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog


class WorkerFailed(Message):
    """A worker stopped on an unexpected error: said in the status bar, never a crash."""

    def __init__(self, description: str, error: BaseException | None) -> None:
        super().__init__()
        self.description = description
        self.error = error

    @property
    def notice(self) -> str:
        first = (str(self.error).splitlines() or [""])[0] if self.error else ""
        kind = type(self.error).__name__ if self.error else "error"
        return f"{self.description} failed ({kind}: {first})"


def failed(event: Worker.StateChanged) -> WorkerFailed | None:
    """The message for a worker that ended on an error (for `on_worker_state_changed`)."""
    from textual.worker import WorkerState

    if event.state is not WorkerState.ERROR:
        return None
    return WorkerFailed(event.worker.description or event.worker.name, event.worker.error)
