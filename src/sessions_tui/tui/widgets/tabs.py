"""The strip of open sessions: `1 title │ 2 title …`. The active one stands out and is
always drawn: when the titles do not fit, the strip shows a window around it with how
many are hidden on each side (`‹2` … `3›`). A click on a title picks that session."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from sessions_tui.text import one_line
from sessions_tui.tui.messages import post_up

SEPARATOR = " │ "
TITLE_CELLS = 24


def window(widths: list[int], active: int, room: int) -> tuple[int, int]:
    """The tabs `[first, last)` to draw in `room` cells: all when they fit, else as many
    as fit around `active` (always drawn), leaving room for the markers of the hidden."""
    sep = len(SEPARATOR)
    total = sum(widths) + sep * (len(widths) - 1)
    if total <= room or not widths:
        return 0, len(widths)
    first, last = active, active + 1
    used = widths[active]

    def fits(extra: int, first: int, last: int) -> bool:
        markers = (4 if first > 0 else 0) + (4 if last < len(widths) else 0)
        return used + extra + markers <= room

    grew = True
    while grew:
        grew = False
        if last < len(widths) and fits(sep + widths[last], first, last + 1):
            used += sep + widths[last]
            last += 1
            grew = True
        if first > 0 and fits(sep + widths[first - 1], first - 1, last):
            first -= 1
            used += sep + widths[first]
            grew = True
    return first, last


class OpenTabs(Static):
    """Open sessions, in the order they were opened; [ and ], Ctrl+PgUp/PgDn, Alt+N, a
    click or `T` (a list of them) switch."""

    DEFAULT_CSS = """
    OpenTabs { height: 1; background: $panel; padding: 0 1; }
    """

    @dataclass
    class Picked(Message):
        """A tab was clicked: the index of its session among the open ones."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles: list[str] = []
        self._active: int | None = None
        self._spans: list[tuple[int, int, int]] = []  # (first cell, end cell, tab index)

    def show(self, titles: list[str], active: int | None) -> None:
        self._titles, self._active = titles, active
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        if not self._titles:
            text.append("Enter opens a session · ? help", style="dim")
            self.update(text, layout=False)
            return
        labels = [f"{i + 1} {one_line(t, TITLE_CELLS)}" for i, t in enumerate(self._titles)]
        widths = [Text(label).cell_len for label in labels]
        active = self._active if self._active is not None else 0
        room = max(1, self.size.width - 2) if self.size.width else 10_000
        first, last = window(widths, active, room)
        if first > 0:
            text.append(f"‹{first} ", style="bold")
        for i in range(first, last):
            if i > first:
                text.append(SEPARATOR, style="dim")
            start = text.cell_len
            text.append(labels[i], style="bold reverse" if i == self._active else "")
            self._spans.append((start, text.cell_len, i))
        if last < len(labels):
            text.append(f" {len(labels) - last}›", style="bold")
        self.update(text, layout=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, index in self._spans:
            if start <= offset.x < end:
                post_up(self, self.Picked(index))
                return
