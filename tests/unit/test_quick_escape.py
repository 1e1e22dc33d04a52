"""A lone Escape is reported once ESCDELAY has passed, not at the input thread's next
100 ms wake-up (tui/quick_escape.py)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Textual's Linux driver only")


def test_the_input_thread_wakes_when_the_escape_wait_is_over() -> None:
    from textual import constants, events
    from textual.drivers import linux_driver

    from sessions_tui.tui import quick_escape

    quick_escape.install()
    quick_escape.install()  # twice: the same
    driver: Any = linux_driver  # what the input thread finds there, patched
    parser = driver.XTermParser(False)
    selector = driver.selectors.SelectSelector()
    read_end, write_end = os.pipe()
    try:
        selector.register(read_end, driver.selectors.EVENT_READ)
        assert selector.select(0.0) == []  # nothing waits: a plain select
        assert list(parser.feed("\x1b")) == []  # the Escape key, or a sequence's start?
        started = time.perf_counter()
        assert selector.select(5.0) == []  # woken by the parser's deadline, not 5 s later
        waited = time.perf_counter() - started
        keys = list(parser.tick())
        assert [k.key for k in keys if isinstance(k, events.Key)] == ["escape"]
        assert waited < 5.0 - 1.0 and waited >= constants.ESCAPE_DELAY * 0.5
        # a sequence that arrives whole is one key, with no wait
        keys = list(parser.feed("\x1b[A"))
        assert [k.key for k in keys if isinstance(k, events.Key)] == ["up"]
        assert parser._timeout_time is None
    finally:
        selector.close()
        os.close(read_end)
        os.close(write_end)
