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
from collections import deque

from textual import events, on
from textual.app import App
from textual.message import Message

GUARD_SECONDS = 0.5  # a key whose marker was lost holds the next one back this long
HOLD_SECONDS = 2.0  # the longest an action may hold the keys (see `hold_keys`)


class KeyDone(Message):
    """Follows a key up from the widget it went to; bubbles to the app."""

    def __init__(self, token: int, rounds: int) -> None:
        super().__init__()
        self.token = token
        self.rounds = rounds  # trips up still to make, this one included


class InOrderKeys(App[None]):
    """An app whose keys (and pastes) are handled strictly one after another."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held_keys: deque[events.Event] = deque()
        self._key_token = 0
        self._key_busy = False  # a key's marker is still on its way up
        self._key_hold: asyncio.TimerHandle | None = None  # an action holds the keys
        self._key_guard: asyncio.TimerHandle | None = None
        self.keys_released_by_guard = 0  # keys let go by the guard, not their marker

    def hold_keys(self) -> None:
        """Keep the next keys until `release_keys` (or HOLD_SECONDS): for an action that
        finishes in a worker, so that `/word` Enter `n` steps through the hits it finds."""
        if self._key_hold is not None:
            self._key_hold.cancel()
        self._key_hold = asyncio.get_running_loop().call_later(HOLD_SECONDS, self.release_keys)

    def release_keys(self) -> None:
        if self._key_hold is not None:
            self._key_hold.cancel()
            self._key_hold = None
            self.call_next(self._next_key)

    async def on_event(self, event: events.Event) -> None:
        typed = isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
        if not typed:
            await super().on_event(event)
        elif self._key_busy or self._key_hold is not None or self._held_keys:
            self._held_keys.append(event)
        else:
            await self._handle_typed(event)

    async def _handle_typed(self, event: events.Event) -> None:
        self._key_busy = True
        self._key_token += 1
        token = self._key_token
        await super().on_event(event)  # priority bindings, or off to the focused widget
        self._follow(token, 2)
        self._key_guard = asyncio.get_running_loop().call_later(GUARD_SECONDS, self._guard, token)

    def _guard(self, token: int) -> None:
        self.keys_released_by_guard += 1
        self.post_message(KeyDone(token, 1))

    def _follow(self, token: int, rounds: int) -> None:
        """Send the marker up from the focused widget, behind what is queued there.

        The first trip follows the key (queued at the widget before the marker). The
        bindings run when the key reaches the app, and what they make widgets post (an
        input's Submitted, say) is queued behind the first marker; the second trip,
        started from the widget's queue again, follows those messages up.
        """
        target = self.focused or self.screen

        def follow() -> None:
            done = KeyDone(token, rounds)
            done.set_sender(target)  # so that it bubbles all the way to the app
            target.post_message(done)

        target.call_later(follow)

    @on(KeyDone)
    async def _key_done(self, message: KeyDone) -> None:
        message.stop()
        if not self._key_busy or message.token != self._key_token:
            return  # the guard of a key already done, or the marker after its guard fired
        if message.rounds > 1:
            self._follow(message.token, message.rounds - 1)
            return
        self._key_busy = False
        if self._key_guard is not None:
            self._key_guard.cancel()
            self._key_guard = None
        await self._next_key()

    async def _next_key(self) -> None:
        if not self._key_busy and self._key_hold is None and self._held_keys:
            await self._handle_typed(self._held_keys.popleft())
