"""Escape in a terminal without the kitty keyboard protocol: as soon as ESCDELAY says.

A lone ESC byte may be the Escape key or the start of a key's sequence, so Textual's
parser waits ESCDELAY for more. But its input thread only looks at the clock when its
`select` wakes, every 100 ms when nothing is typed: whatever ESCDELAY says, Escape
(closing a dialog, leaving a box) came 100–140 ms after the key. Here the input thread's
selector wakes at least every ESCDELAY instead (30 ms: 33 wake-ups a second of nothing,
idle).
"""

from __future__ import annotations

import selectors
import sys
import types
from typing import Any


class _PromptSelector(selectors.SelectSelector):
    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        from textual import constants

        if timeout is not None:
            timeout = min(timeout, constants.ESCAPE_DELAY)
        return super().select(timeout)


def install() -> None:
    """Make Textual's Linux/macOS input thread wake every ESCDELAY (idempotent)."""
    if sys.platform == "win32":
        return
    from textual.drivers import linux_driver

    module: Any = linux_driver
    if isinstance(module.selectors, types.SimpleNamespace):
        return
    module.selectors = types.SimpleNamespace(
        SelectSelector=_PromptSelector, EVENT_READ=selectors.EVENT_READ
    )
