"""Escape in a terminal without the kitty keyboard protocol: as soon as ESCDELAY says.

A lone ESC byte may be the Escape key or the start of a key's sequence, so Textual's
parser waits ESCDELAY for more. But its input thread only looks at the clock when its
`select` wakes, every 100 ms when nothing is typed: whatever ESCDELAY says, Escape
(closing a dialog, leaving a box) came 100–140 ms after the key. Here the input thread's
`select` wakes when the parser's wait is over, and only then: idle, nothing changes.
"""

from __future__ import annotations

import selectors
import sys
import types
from typing import Any


class _Waiting:
    """The parser of the one input thread, whose deadline the selector keeps."""

    parser: Any = None


def _parser_class() -> type:
    from textual._xterm_parser import XTermParser

    class _KnownParser(XTermParser):
        def __init__(self, debug: bool = False) -> None:
            super().__init__(debug)
            _Waiting.parser = self

    return _KnownParser


class _PromptSelector(selectors.SelectSelector):
    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        from textual._time import get_time

        parser = _Waiting.parser
        due = getattr(parser, "_timeout_time", None)
        if due is not None:
            left = max(0.0, due - get_time())
            timeout = left if timeout is None else min(timeout, left)
        return super().select(timeout)


def install() -> None:
    """Make Textual's Linux/macOS input thread wake at the end of an Escape's wait
    (idempotent)."""
    if sys.platform == "win32":
        return
    from textual.drivers import linux_driver

    module: Any = linux_driver
    if isinstance(module.selectors, types.SimpleNamespace):
        return
    module.selectors = types.SimpleNamespace(
        SelectSelector=_PromptSelector, EVENT_READ=selectors.EVENT_READ
    )
    module.XTermParser = _parser_class()
