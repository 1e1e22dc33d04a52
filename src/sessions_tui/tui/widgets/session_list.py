"""The session list: in the order picked, filtered by what was typed, optionally
grouped by project; Line API.

| key | action |
|---|---|
| j / ↓, k / ↑ | next / previous session |
| g / Home, G / End | first / last |
| Enter | open the session (or focus it if open) |
| o, O | the next order (last activity, started, tokens, …); reversed |
| d | dates: recent relative and older ones as dates; all relative; all absolute |
| h | this folder's project only, or every session |
| p | group by project, or not |

A row is two lines: the title and when; then the project, the errors, tokens, entries,
cost and duration. What does not fit is left out whole, the least wanted first.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
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
from sessions_tui.output.format import (
    DATE_STYLES,
    duration_text,
    human,
    money,
    short_project,
    when_text,
)
from sessions_tui.output.format import now as format_now
from sessions_tui.store.list_query import SORTS, ListQuery, ordered, parse
from sessions_tui.text import one_line
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import Said, post_up
from sessions_tui.tui.widgets.style_cache import StyleCache

LIVE_SECONDS = 300  # a file written this recently is a session being written now


@dataclass(frozen=True, slots=True)
class Row:
    """A project heading (session None) or a session."""

    session: Session | None
    heading: str = ""

    @property
    def height(self) -> int:
        return 1 if self.session is None else 2


def is_here(project: str | None, here: str | None) -> bool:
    """Whether `here` (the folder the app started in) is `project` or inside it."""
    if not project or not here:
        return False
    project = project.rstrip("/\\") or project
    return here == project or here.startswith(project + "/") or here.startswith(project + "\\")


class SessionList(ScrollView, can_focus=True):
    """Sessions as rows of two lines: the title and when, then the project and numbers."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("list")  # tui/keys.py

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "session-list--title",
        "session-list--meta",
        "session-list--heading",
        "session-list--selected",
        "session-list--error",
        "session-list--open",
        "session-list--here",
        "session-list--live",
    }

    DEFAULT_CSS = """
    SessionList { background: $panel; overflow-x: hidden; }
    SessionList > .session-list--title { color: $text; }
    SessionList > .session-list--meta { color: $text-muted; }
    SessionList > .session-list--heading { color: $accent; text-style: bold; }
    SessionList > .session-list--selected { background: $boost; text-style: bold; }
    SessionList > .session-list--error { color: $error; }
    SessionList > .session-list--open { color: $success; }
    SessionList > .session-list--here { color: $accent; }
    SessionList > .session-list--live { color: $success; text-style: bold; }
    """

    grouped: reactive[bool] = reactive(False)

    @dataclass
    class OpenRequested(Message):
        """The person asked to open a session."""

        session: Session

    @dataclass
    class Highlighted(Message):
        """Another session is highlighted (None: none)."""

        session: Session | None

    @dataclass
    class PreviewRequested(Message):
        """Space: the highlighted session's preview, over the open one (or back)."""

    @dataclass
    class Shown(Message):
        """What the list shows changed: how many of how many, in which order."""

        shown: int
        total: int

    date_format = "auto"  # a style of DATE_STYLES or a strftime pattern (`date_format`)

    def __init__(
        self,
        *,
        id: str | None = None,
        sessions: list[Session] | None = None,
        here: str | None = None,
    ) -> None:
        """`here`: the folder the app started in; its project's sessions are marked, and
        shown alone at first when it has some."""
        super().__init__(id=id)
        self.sessions: list[Session] = sessions or []
        self.rows: list[Row] = []
        self.offsets: list[int] = [0]
        self.selected = 0
        self.query_text = ""
        self.list_query = ListQuery()
        self.sort = "activity"
        self.reverse = False
        self.here = here
        self.here_only: bool | None = None  # None: decided when sessions first come
        self.shown_count = 0
        self.open_ids: set[str] = set()
        self._ordered: tuple[int, str, bool, list[Session]] | None = None
        self._announced: Session | None = None
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
        self._ordered = None
        self._rebuild(keep.id if keep else None)

    def set_query(self, text: str, now: datetime | None = None) -> ListQuery:
        """Show only the sessions `text` finds (store/list_query.py); what it says."""
        self.query_text = text
        self.list_query = parse(text, now or format_now())
        self._reordered()
        return self.list_query

    def watch_grouped(self) -> None:
        self._reordered()

    @property
    def here_sessions(self) -> int:
        return sum(1 for s in self.sessions if is_here(s.project, self.here))

    def _in_order(self) -> list[Session]:
        """The sessions in the order picked, kept until the sessions or the order change
        (a keystroke in the filter then only filters)."""
        key = (id(self.sessions), self.sort, self.reverse)
        if self._ordered is None or self._ordered[:3] != key:
            self._ordered = (*key, ordered(self.sessions, self.sort, self.reverse))
        return self._ordered[3]

    def _rebuild(self, keep_id: str | None) -> None:
        if self.here_only is None and any(s.project for s in self.sessions):
            # on when this folder has sessions (decided once projects are known: a cold
            # start lists files before it has read them)
            self.here_only = self.here_sessions > 0
        shown = self._in_order()
        if self.here_only:
            shown = [s for s in shown if is_here(s.project, self.here)]
        shown = self.list_query.filter(shown)
        rows: list[Row] = []
        if self.grouped:
            groups: dict[str, list[Session]] = {}
            for s in shown:  # in the list's order, so groups come in that order too
                groups.setdefault(s.project or "?", []).append(s)
            for project, members in groups.items():
                rows.append(Row(None, f"{short_project(project)}  ({len(members)})  {project}"))
                rows += [Row(s) for s in members]
        else:
            rows = [Row(s) for s in shown]
        self.rows = rows
        self.shown_count = len(shown)
        self.offsets = [0, *itertools.accumulate(r.height for r in rows)]
        self._sync_size()
        index = next((i for i, r in enumerate(rows) if r.session and r.session.id == keep_id), None)
        self.selected = index if index is not None else self._first_session(0, 1)
        if self.is_attached:
            if index is None:
                self.scroll_to(y=0, animate=False, immediate=True)
            self.post_message(self.Shown(self.shown_count, len(self.sessions)))
            self._announce()
        self.refresh()

    def counted(self) -> str:
        """How many are shown: `12 of 303 sessions`, or `303 sessions` when all are."""
        total = len(self.sessions)
        count = f"{self.shown_count} of {total}" if self.shown_count != total else f"{total}"
        return f"{count} session{'s' if total != 1 else ''}"

    def describe(self) -> str:
        """The list's header: `12 of 303 sessions · api only · by tokens ↓`."""
        parts = [self.counted()]
        if self.here_only:
            project = next(
                (s.project for s in self.sessions if is_here(s.project, self.here)), None
            )
            parts.append(f"{short_project(project or self.here)} only (h: all)")
        arrow = "↑" if (self.sort == "project") != self.reverse else "↓"
        parts.append(f"by {SORTS[self.sort][0]} {arrow}")
        return " · ".join(parts)

    def on_resize(self) -> None:
        self._sync_size()

    def _sync_size(self) -> None:
        """The list's length for the scrollbar, without laying out the screen again
        (see MessagePane._sync_size); as wide as what is seen (no sideways scrolling)."""
        size = Size(self.scrollable_content_region.width, self.offsets[-1])
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
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        if line >= self.offsets[-1]:
            if not self.rows and y == 0:
                text = (
                    "no sessions match"
                    if self.list_query or self.here_only
                    else "no sessions found"
                )
                return Strip([Segment(f" {text}", self._style("meta"))]).crop_extend(
                    0, width, self._styles.base
                )
            return Strip.blank(width, self._styles.base)
        i = bisect.bisect_right(self.offsets, line) - 1
        row = self.rows[i]
        sel = self._style("selected") if i == self.selected else Style()
        if row.session is None:
            segments = [Segment(" " + one_line(row.heading, width), self._style("heading"))]
            return Strip(segments).crop_extend(0, width, self._styles.base)
        if line == self.offsets[i]:
            segments = self._first_line(row.session, width, sel)
        else:
            segments = self._second_line(row.session, width, sel)
        return Strip(segments).crop_extend(0, width, self._styles.base + sel)

    def _first_line(self, s: Session, width: int, sel: Style) -> list[Segment]:
        """`● The title…   3d ago`: open mark, title, and when (or `live`)."""
        live = 0 <= format_now().timestamp() - s.mtime_ns / 1e9 < LIVE_SECONDS
        when = "live" if live else when_text(s.ended or s.started, self.date_format)
        room = width - 2 - (cell_len(when) + 1 if when else 0)
        if room < 8:  # too narrow for both: the title wins
            when, room = "", width - 2
        title = one_line(s.title or s.id, max(1, room))
        segments = [
            Segment("●" if s.id in self.open_ids else " ", self._style("open") + sel),
            Segment(" ", sel),
            Segment(title, self._style("title") + sel),
        ]
        if when:
            pad = " " * max(1, width - 2 - cell_len(title) - cell_len(when))
            segments += [
                Segment(pad, sel),
                Segment(when, self._style("live" if live else "meta") + sel),
            ]
        return segments

    def _second_line(self, s: Session, width: int, sel: Style) -> list[Segment]:
        """`  api · 2 errors · 11.4k tok · 95 entries · $1.50 · 1h30m`: whole facts only."""
        meta = self._style("meta") + sel
        facts: list[tuple[str, Style]] = []  # after the project, the most wanted first
        if s.errors:
            facts.append(
                (f"{s.errors} error{'s' if s.errors != 1 else ''}", self._style("error") + sel)
            )
        facts.append((f"{human(s.tokens.total + s.subagent_tokens.total)} tok", meta))
        facts.append((f"{s.entries} entries", meta))
        if s.cost is not None:
            facts.append((money(s.cost), meta))
        took = duration_text(s.started, s.ended)
        if took:
            facts.append((took, meta))
        room = width - 2
        project = short_project(s.project)
        floor = min(cell_len(project), max(6, room // 3))  # a third of the line at least
        used, kept = floor, []
        for text, style in facts:
            if used + 3 + len(text) > room:
                break  # this fact and the rest are left out whole
            kept.append((text, style))
            used += 3 + len(text)
        project = one_line(project, max(1, room - (used - floor)))
        here = is_here(s.project, self.here)
        segments = [
            Segment("  ", sel),
            Segment(project, (self._style("here") if here else meta) + sel),
        ]
        for text, style in kept:
            segments += [Segment(" · ", meta), Segment(text, style)]
        return segments

    def _style(self, name: str) -> Style:
        return self._styles.get(name)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._announce()

    def _theme_changed(self, _theme: object) -> None:
        self._styles.clear()
        self.refresh()

    # -- orders and scope --------------------------------------------------------------------
    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.reverse = False
        self._reordered()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._reordered()

    def _reordered(self) -> None:
        """Shown again (filtered, ordered, grouped), the selected session kept selected."""
        keep = self.selected_session
        self._rebuild(keep.id if keep else None)

    def action_dates(self) -> None:
        styles = list(DATE_STYLES)
        at = styles.index(self.date_format) if self.date_format in styles else -1
        self.date_format = styles[(at + 1) % len(styles)]
        self.refresh()
        self.post_message(self.Shown(self.shown_count, len(self.sessions)))

    def action_here(self) -> None:
        if not self.here_sessions:
            self.notify_here_missing()
            return
        self.here_only = not self.here_only
        self._reordered()

    def notify_here_missing(self) -> None:
        post_up(self, Said(f"no session was started in {self.here or 'this folder'}"))

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
        self._announce()
        self.refresh()

    def _announce(self) -> None:
        """Say which session is highlighted, when it changed (the preview follows it)."""
        session = self.selected_session
        if session is not self._announced:
            self._announced = session
            self.post_message(self.Highlighted(session))

    def action_preview(self) -> None:
        post_up(self, self.PreviewRequested())

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
