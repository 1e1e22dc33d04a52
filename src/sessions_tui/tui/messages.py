"""App-wide messages: what the workers report back to the app (the catalog feed's are
nested in `CatalogFeed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.worker import Worker

    from sessions_tui.tui.state.viewstate import SessionState


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
