"""Where the CLI's words reach the terminal: every string passes `printable()` on its way.

Callers build Rich renderables from `Text` (never markup) and already pass session text
through `printable()`/`one_line()` so columns line up; `SafeConsole` is the guarantee
behind them: it cleans the text of every segment it writes, whoever built it, so no
control character from a session or a file name reaches the terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from sessions_tui.text import json_text, printable


class SafeConsole(Console):
    """A Rich console that writes no control character it did not make itself."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(printable(segment.text), segment.style)
            for segment in buffer
        )

    def on_broken_pipe(self) -> None:
        # Rich exits with status 1; a reader that stopped early (`| head`) is no failure.
        self.quiet = True
        raise BrokenPipeError


def console(*, stderr: bool = False) -> SafeConsole:
    """The console for a verb's output: no highlighting, no emoji codes, no markup."""
    return SafeConsole(highlight=False, soft_wrap=False, markup=False, emoji=False, stderr=stderr)


def say(line: str) -> None:
    """One line on stderr, made printable (a problem often names a file)."""
    sys.stderr.write(printable(line).replace("\n", " ") + "\n")


def warn(problem: str) -> None:
    """A problem on stderr, as `sessions-tui: …`."""
    say(f"sessions-tui: {problem}")


def write_json(value: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and fast) for a pipe.
    Session text stays data; what a terminal would act on is a \\u escape."""
    indent = 1 if sys.stdout.isatty() else None
    sys.stdout.write(json_text(value, indent) + "\n")


def write_text(text: str) -> None:
    """Text made for a file (an export) on stdout: printable already, checked again."""
    sys.stdout.write(printable(text))
