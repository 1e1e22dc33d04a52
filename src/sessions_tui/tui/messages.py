"""App-wide messages: what the status bar says, and a worker's failure. The others are
nested in the class that posts them (`CatalogFeed.Listed`, `TabsPane.Opened`, …)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.widget import Widget
    from textual.worker import Worker


@dataclass
class Said(Message):
    """Something to tell the person: the notice on the right of the status bar (None
    clears it)."""

    notice: str | None


@dataclass
class Began(Message):
    """Something is under way (`opening …`): said on the left of the status bar until
    the next move."""

    doing: str


@dataclass
class WorkerFailed(Message):
    """A worker stopped on an unexpected error: said in the status bar, never a crash."""

    description: str
    error: BaseException | None

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


def post_up(node: MessagePump, message: Message) -> None:
    """Post `message` to `node` as sent by `node` itself, so that it bubbles all the way up.

    Textual takes a message's sender to be whichever node's code was running when it was
    made, and stops a bubbling message at that node: a pane's timer that makes the message
    pane post `Moved` would keep it from the browser screen, which owns the status bar.
    """
    node.post_message(message.set_sender(node))


def post_to_screen(node: Widget, message: Message) -> None:
    """Post `message` straight to `node`'s screen, sent by `node`: one hop, so that what the
    screen draws of it (the status bar) comes in the same frame as what `node` drew.
    Bubbling went through every parent's queue, and an open's status came two frames (50–
    100 ms) after its first screen."""
    node.screen.post_message(message.set_sender(node))
