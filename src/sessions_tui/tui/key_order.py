"""Keys are handled one at a time, in the order they were typed.

Textual hands each key to the focused widget as soon as the key arrives, and the widget
passes it back up to the app's bindings later, from its own queue. So when a paste or a
fast typist sends `Ctrl+F` and `deploy` together, all seven keys are already on their
way to the message pane before `Ctrl+F` opens the search dialog: the dialog's box stays
empty and `d` and `e` change the filter behind it.

Like a terminal pager, the app finishes one key (its bindings, the action it starts,
the dialog that action mounts) before it looks at the next. A marker message follows
each key up from the widget it went to; when the marker reaches the app, the key is
done and the next one goes to whatever has focus by then. If the marker is lost (the
widget was removed on the way), a guard releases the queue after a moment.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.widget import Widget

GUARD_SECONDS = 0.5  # a key whose marker was lost holds the next one back this long
HOLD_SECONDS = 2.0  # the longest an action may hold the keys (see `KeyOrder.hold`)


@dataclass
class KeyDone(Message):
    """Follows a key up from the widget it went to; bubbles to the app."""

    token: int
    rounds: int  # trips up still to make, this one included


class KeyOrder:
    """The app's typed keys (and pastes), handled strictly one after another. The App
    hands every event to `receive` and every `KeyDone` to `done`."""

    def __init__(self, app: App[None], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        """`dispatch` is Textual's own handling of an event (the App's `on_event`)."""
        self._app = app
        self._dispatch = dispatch
        self._held: deque[events.Event] = deque()
        self._token = 0
        self._busy = False  # a key's marker is still on its way up
        self._hold: asyncio.TimerHandle | None = None  # an action holds the keys
        self._guard_timer: asyncio.TimerHandle | None = None
        self.released_by_guard = 0  # keys let go by the guard, not their marker
        self.last_key_at = 0.0  # time.monotonic() of the last typed key

    def hold(self) -> None:
        """Keep the next keys until `release` (or HOLD_SECONDS): for an action that
        finishes in a worker, so that `/word` Enter `n` steps through the hits it finds."""
        if self._hold is not None:
            self._hold.cancel()
        self._hold = asyncio.get_running_loop().call_later(HOLD_SECONDS, self.release)

    def release(self) -> None:
        if self._hold is not None:
            self._hold.cancel()
            self._hold = None
            self._app.call_next(self._next)

    async def receive(self, event: events.Event) -> None:
        typed = isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
        if typed:
            self.last_key_at = time.monotonic()
        if not typed:
            await self._dispatch(event)
        elif self._busy or self._hold is not None or self._held:
            self._held.append(event)
        else:
            await self._handle(event)

    async def _handle(self, event: events.Event) -> None:
        self._busy = True
        self._token += 1
        token = self._token
        await self._dispatch(event)  # priority bindings, or off to the focused widget
        self._follow(token, 2)
        self._guard_timer = asyncio.get_running_loop().call_later(GUARD_SECONDS, self._guard, token)

    def _guard(self, token: int) -> None:
        self.released_by_guard += 1
        self._app.post_message(KeyDone(token, 1))

    def _follow(self, token: int, rounds: int) -> None:
        """Send the marker up from the focused widget, behind what is queued there.

        The first trip follows the key (queued at the widget before the marker). The
        bindings run when the key reaches the app, and what they make widgets post (an
        input's Submitted, say) is queued behind the first marker; the second trip,
        started from the widget's queue again, follows those messages up.
        """
        target = self._app.focused or self._app.screen

        def follow() -> None:
            done = KeyDone(token, rounds)
            done.set_sender(target)  # so that it bubbles all the way to the app
            target.post_message(done)

        target.call_later(follow)

    async def done(self, message: KeyDone) -> None:
        """A key's marker reached the app."""
        message.stop()
        if not self._busy or message.token != self._token:
            return  # the guard of a key already done, or the marker after its guard fired
        if message.rounds > 1:
            self._follow(message.token, message.rounds - 1)
            return
        self._busy = False
        if self._guard_timer is not None:
            self._guard_timer.cancel()
            self._guard_timer = None
        await self._next()

    async def _next(self) -> None:
        if not self._busy and self._hold is None and self._held:
            await self._handle(self._held.popleft())


def key_order(node: DOMNode) -> KeyOrder | None:
    """The key order of the app `node` is in (None in an app without one)."""
    order = getattr(node.app, "key_order", None)
    return order if isinstance(order, KeyOrder) else None


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next typed key is handled (`Widget.focus()` only queues
    a callback): an action that opens a box focuses it at once, so the key after it goes
    there."""
    widget.screen.set_focus(widget)
