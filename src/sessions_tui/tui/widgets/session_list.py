"""The session list: newest activity first, optionally grouped by project; Line API.

| key | action |
|---|---|
| j / ↓, k / ↑ | next / previous session |
| g / Home, G / End | first / last |
| Enter | open the session (or focus it if open) |
| p | group by project, or not |
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sessions_tui.model import Session
from sessions_tui.output.format import human, short_project, when_text
from sessions_tui.text import one_line
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import post_up
from sessions_tui.tui.widgets.style_cache import StyleCache


@dataclass(frozen=True, slots=True)
class Row:
    """A project heading (session None) or a session."""

    session: Session | None
    heading: str = ""

    @property
    def height(self) -> int:
        return 1 if self.session is None else 2


class SessionList(ScrollView, can_focus=True):
    """Sessions as rows of two lines: the title, then project, age, size and errors."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("list")  # tui/keys.py

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "session-list--title",
        "session-list--meta",
        "session-list--heading",
        "session-list--selected",
        "session-list--error",
        "session-list--open",
    }

    DEFAULT_CSS = """
    SessionList { background: $panel; }
    SessionList > .session-list--title { color: $text; }
    SessionList > .session-list--meta { color: $text-muted; }
    SessionList > .session-list--heading { color: $accent; text-style: bold; }
    SessionList > .session-list--selected { background: $boost; text-style: bold; }
    SessionList > .session-list--error { color: $error; }
    SessionList > .session-list--open { color: $success; }
    """

    grouped: reactive[bool] = reactive(False)

    @dataclass
    class OpenRequested(Message):
        """The person asked to open a session."""

        session: Session

    date_format = "relative"  # or a strftime pattern (the `date_format` setting)

    def __init__(self, *, id: str | None = None, sessions: list[Session] | None = None) -> None:
        super().__init__(id=id)
        self.sessions: list[Session] = sessions or []
        self.rows: list[Row] = []
        self.offsets: list[int] = [0]
        self.selected = 0
        self.query_text = ""
        self.open_ids: set[str] = set()
        self._styles = StyleCache(
            self,
            "session-list",
            readable=True,
            selected="selected",
            distinct="error",
        )
        if self.sessions:
            self._rebuild(None)

    # -- content ---------------------------------------------------------------------------
    def set_sessions(self, sessions: list[Session]) -> None:
        """Show these sessions, keeping the selected one selected."""
        keep = self.selected_session
        self.sessions = sessions
        self._rebuild(keep.id if keep else None)

    def set_query(self, text: str) -> None:
        """Show only sessions whose title or project contains `text` (any case)."""
        self.query_text = text
        keep = self.selected_session
        self._rebuild(keep.id if keep else None)

    def watch_grouped(self) -> None:
        keep = self.selected_session
        self._rebuild(keep.id if keep else None)

    def _rebuild(self, keep_id: str | None) -> None:
        wanted = self.query_text.lower()
        shown = [s for s in self.sessions if not wanted or wanted in (s.title or s.id).lower()
                 or wanted in (s.project or "").lower()]  # fmt: skip
        rows: list[Row] = []
        if self.grouped:
            groups: dict[str, list[Session]] = {}
            for s in shown:  # already newest first, so groups come newest first too
                groups.setdefault(s.project or "?", []).append(s)
            for project, members in groups.items():
                rows.append(Row(None, f"{short_project(project)}  ({len(members)})  {project}"))
                rows += [Row(s) for s in members]
        else:
            rows = [Row(s) for s in shown]
        self.rows = rows
        self.offsets = [0, *itertools.accumulate(r.height for r in rows)]
        self._sync_size()
        index = next((i for i, r in enumerate(rows) if r.session and r.session.id == keep_id), None)
        self.selected = index if index is not None else self._first_session(0, 1)
        self.refresh()

    def on_resize(self) -> None:
        self._sync_size()

    def _sync_size(self) -> None:
        """The list's length for the scrollbar, without laying out the screen again
        (see MessagePane._sync_size)."""
        size = Size(self.size.width, self.offsets[-1])
        if size == self.virtual_size:
            return
        showing = self.show_vertical_scrollbar
        self.set_reactive(SessionList.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar != showing:
            self.refresh(layout=True)

    def _first_session(self, start: int, step: int) -> int:
        i = start
        while 0 <= i < len(self.rows):
            if self.rows[i].session is not None:
                return i
            i += step
        return max(0, min(start, len(self.rows) - 1))

    @property
    def selected_session(self) -> Session | None:
        if 0 <= self.selected < len(self.rows):
            return self.rows[self.selected].session
        return None

    # -- drawing -----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        line = round(self.scroll_y) + y
        if line >= self.offsets[-1]:
            if not self.rows and y == 0:
                text = "no sessions match" if self.query_text else "no sessions found"
                return Strip([Segment(f" {text}", self._style("meta"))]).crop_extend(
                    0, width, self._styles.base
                )
            return Strip.blank(width, self._styles.base)
        i = bisect.bisect_right(self.offsets, line) - 1
        row = self.rows[i]
        selected = i == self.selected
        sel = self._style("selected") if selected else Style()
        if row.session is None:
            segments = [Segment(" " + one_line(row.heading, width), self._style("heading"))]
            return Strip(segments).crop_extend(0, width, self._styles.base)
        s = row.session
        mark = "●" if s.id in self.open_ids else " "
        if line == self.offsets[i]:
            title = one_line(s.title or s.id, max(1, width - 3))
            segments = [
                Segment(mark + " ", self._style("open")),
                Segment(title, self._style("title") + sel),
            ]
        else:
            age = when_text(s.ended or s.started, self.date_format)
            tokens = human(s.tokens.total)
            meta = f"{short_project(s.project)} · {age} · {s.entries} entries · {tokens} tok"
            segments = [
                Segment("  " + one_line(meta, max(1, width - 2)), self._style("meta") + sel)
            ]
            if s.errors:
                segments.append(Segment(f" · {s.errors} err", self._style("error") + sel))
        return Strip(segments).crop_extend(0, width, self._styles.base + sel)

    def _style(self, name: str) -> Style:
        return self._styles.get(name)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self._styles.clear()
        self.refresh()

    # -- moving ------------------------------------------------------------------------------
    def select(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if self.rows[index].session is None:
            index = self._first_session(index, 1 if index >= self.selected else -1)
        self.selected = index
        start, end = self.offsets[index], self.offsets[index + 1]
        if start < self.scroll_y:
            self.scroll_to(y=start, animate=False, immediate=True)
        elif end > self.scroll_y + self.size.height:
            self.scroll_to(y=end - self.size.height, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        target = self.selected + step
        while 0 <= target < len(self.rows) and self.rows[target].session is None:
            target += step
        if 0 <= target < len(self.rows):
            self.select(target)

    def action_page(self, direction: int) -> None:
        line = self.offsets[self.selected] + direction * max(1, self.size.height - 2)
        line = max(0, min(line, self.offsets[-1] - 1))
        self.select(bisect.bisect_right(self.offsets, line) - 1)

    def action_edge(self, direction: int) -> None:
        self.select(0 if direction < 0 else len(self.rows) - 1)

    def action_open(self) -> None:
        session = self.selected_session
        if session is not None:
            post_up(self, self.OpenRequested(session))

    def action_group(self) -> None:
        self.grouped = not self.grouped

    def on_click(self, event: events.Click) -> None:
        line = round(self.scroll_y) + event.y
        if line < self.offsets[-1]:
            self.select(bisect.bisect_right(self.offsets, line) - 1)
            self.action_open()
