"""The message pane: a session's entries drawn with the Line API (only visible lines).

| key | action |
|---|---|
| j / ↓, k / ↑ | next / previous entry |
| PgDn / PgUp, Ctrl+d / Ctrl+u | a page / half a page |
| g / Home, G / End | first / last entry |
| J / }, K / { | next / previous prompt |
| Enter | expand or collapse the selected entry |
"""

from __future__ import annotations

import itertools
import re
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sessions_tui.model import Entry, Kind
from sessions_tui.output.format import KIND_LABEL
from sessions_tui.profile import PROFILER
from sessions_tui.text import printable
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import post_up
from sessions_tui.tui.state.viewstate import SessionState
from sessions_tui.tui.widgets.entry_render import (
    expanded_renderable,
    preview_lines,
    render_lines,
)
from sessions_tui.tui.widgets.style_cache import StyleCache

GUTTER = "▌ "


def mark(segments: list[Segment], pattern: re.Pattern[str], style: Style) -> list[Segment]:
    """The segments with every match of `pattern` in their joined text restyled."""
    text = "".join(seg.text for seg in segments)
    spans = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    if not spans:
        return segments
    out: list[Segment] = []
    pos = 0
    for seg in segments:
        start, end = pos, pos + len(seg.text)
        pos = end
        cuts = sorted({start, end, *(max(start, min(end, x)) for span in spans for x in span)})
        for a, b in itertools.pairwise(cuts):
            inside = any(lo <= a and b <= hi for lo, hi in spans)
            piece = seg.text[a - start : b - start]
            out.append(Segment(piece, (seg.style or Style()) + style if inside else seg.style))
    return out


class MessagePane(ScrollView, can_focus=True):
    """Entries of the active session; render cost depends on the screen, not the session."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("pane")  # tui/keys.py

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "message-pane--prompt",
        "message-pane--assistant",
        "message-pane--thinking",
        "message-pane--tool_call",
        "message-pane--tool_result",
        "message-pane--error",
        "message-pane--system",
        "message-pane--other",
        "message-pane--meta",
        "message-pane--selected",
        "message-pane--body",
        "message-pane--sidechain",
        "message-pane--empty",
        "message-pane--match",
    }

    DEFAULT_CSS = """
    /* No scrollbar: it is a separate region the compositor splits every line at
       (switch P95 17 ms with it, 11 without). The status bar says where you are. */
    MessagePane { background: $surface; scrollbar-size-vertical: 0; }
    MessagePane > .message-pane--prompt { color: $accent; text-style: bold; }
    MessagePane > .message-pane--assistant { color: $success; }
    MessagePane > .message-pane--thinking { color: $secondary; text-style: italic; }
    MessagePane > .message-pane--tool_call { color: $warning; }
    MessagePane > .message-pane--tool_result { color: $primary; }
    MessagePane > .message-pane--error { color: $error; text-style: bold; }
    MessagePane > .message-pane--system { color: $text-muted; }
    MessagePane > .message-pane--other { color: $text-disabled; }
    MessagePane > .message-pane--meta { color: $text-muted; }
    MessagePane > .message-pane--selected { background: $boost; text-style: bold; }
    MessagePane > .message-pane--body { color: $text; }
    MessagePane > .message-pane--sidechain { color: $text-muted; }
    MessagePane > .message-pane--empty { color: $text-muted; }
    MessagePane > .message-pane--match { background: $warning; color: $background; }
    """

    class Moved(Message):
        """The selection or the scroll position changed (for the status bar)."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.state: SessionState | None = None
        self._width = 0
        self._generation = 0  # bumped when the theme changes: cached strips are stale
        self._styles = StyleCache(self, "message-pane")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self._generation += 1
        self._styles.clear()
        self.refresh()

    # -- showing a session ---------------------------------------------------------------
    def show(self, state: SessionState | None) -> None:
        """Make `state` the active session: swap the pointer and repaint (no query)."""
        if self.state is not None:
            self.state.position.scroll_y = round(self.scroll_y)
        self.state = state
        self._sync_size()
        if state is not None:
            self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)
        self.refresh()

    def reflow(self) -> None:
        """The state's entries changed (a filter, an append): recompute size and repaint."""
        self._sync_size()
        if self.state is not None:
            self.scroll_to(y=self.state.position.scroll_y, animate=False, immediate=True)
        self.refresh()
        post_up(self, self.Moved())

    def _sync_size(self) -> None:
        """Give the scroll view the session's length.

        Setting `virtual_size` the usual way lays out the whole screen (25 ms a switch);
        only the scrollbars depend on it, so they are updated directly, and a layout is
        asked for only when a scrollbar appears or goes.
        """
        lines = self.state.total_lines if self.state else 0
        size = Size(self.size.width, lines)
        if size == self.virtual_size:
            return
        showing = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(MessagePane.virtual_size, size)
        self._scroll_update(size)
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != showing:
            self.refresh(layout=True)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self.state is not None:
            self._width = event.size.width
            self._rewrap()
        self._sync_size()

    def _rewrap(self) -> None:
        """A new width: expanded entries are wrapped again, the top entry stays on top."""
        state = self.state
        if state is None:
            return
        top, _ = state.locate(round(self.scroll_y)) if state.visible else (0, 0)
        for seq in list(state.expanded):
            state.set_expanded(seq, 1 + len(self._expanded_lines(seq)))
        if state.visible:
            state.position.scroll_y = state.offsets[top]
            self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)

    # -- drawing ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        state = self.state
        if state is None or not state.visible:
            if y == 0:
                text = "No session open" if state is None else "No entries match the filter"
                return Strip([Segment(f" {text}", self._styles.get("empty"))]).crop_extend(
                    0, width, self._styles.base
                )
            return Strip.blank(width, self._styles.base)
        line = round(self.scroll_y) + y
        if line >= state.total_lines:
            return Strip.blank(width, self._styles.base)
        i, offset = state.locate(line)
        seq = state.visible[i]
        selected = i == state.position.selected
        expanded = seq in state.expanded
        key = (seq, offset, width, selected, expanded, self._generation)
        strips = state.strips
        strip = strips.get(key)
        PROFILER.hit("render cache", strip is not None)
        if strip is None:
            strip = self._draw(state, i, seq, offset, width, selected)
            strips[key] = strip
            if len(strips) > 4000:
                strips.popitem(last=False)
        return strip

    def _style(self, name: str) -> Style:
        return self._styles.get(name)

    def _draw(
        self, state: SessionState, i: int, seq: int, offset: int, width: int, selected: bool
    ) -> Strip:
        entry = state.entry(i)
        indent = "  │ " if entry.sidechain else ""
        kind_style = self._style(entry.kind.value)
        base = self._style("sidechain") if entry.sidechain else self._style("body")
        if selected:
            base = base + self._style("selected")
        if offset == 0:
            segments = self._header(entry, indent, kind_style, base, selected)
        elif seq in state.expanded:
            body = self._expanded_lines(seq)
            segments = [Segment(GUTTER, kind_style), Segment(indent + "  ", base)]
            segments += body[offset - 1] if offset - 1 < len(body) else []
        else:
            lines = preview_lines(entry, state.heights[i] - 1)
            text = lines[offset - 1] if offset - 1 < len(lines) else ""
            segments = [Segment(GUTTER, kind_style), Segment(indent + "  " + text, base)]
        finding = state.finding
        if finding is not None and finding.pattern is not None and seq in finding.match_set:
            segments = mark(segments, finding.pattern, self._style("match"))
        return Strip(segments).crop_extend(0, width, base if selected else self._styles.base)

    def _header(
        self, entry: Entry, indent: str, kind_style: Style, base: Style, selected: bool
    ) -> list[Segment]:
        when = (entry.timestamp or "")[11:19]
        label = KIND_LABEL[entry.kind]
        parts = [Segment(GUTTER, kind_style), Segment(indent, base)]
        parts.append(
            Segment(
                f"{when:8} ",
                self._style("meta") + (self._style("selected") if selected else Style()),
            )
        )
        parts.append(
            Segment(label, kind_style + (self._style("selected") if selected else Style()))
        )
        if entry.tool:
            parts.append(Segment(f" {printable(entry.tool)}", base + Style(bold=True)))
        if entry.label and entry.kind in (Kind.SYSTEM, Kind.OTHER):
            parts.append(Segment(f"  {printable(entry.label)}", self._style("meta")))
        if entry.seq in (self.state.expanded if self.state else {}):
            parts.append(Segment("  ▾", self._style("meta")))
        return parts

    def _expanded_lines(self, seq: int, state: SessionState | None = None) -> list[list[Segment]]:
        state = state or self.state
        width = max(10, self.size.width - 6)
        key = (seq, width)
        lines = state.expanded_lines.get(key) if state is not None else None
        if lines is None and state is not None:
            i = state.index_of(seq)
            entry = state.entry(i) if i is not None else None
            if entry is None:
                return []
            renderable = expanded_renderable(entry, state.view.full_text(seq))
            lines = render_lines(renderable, width, self._style("body"))
            state.expanded_lines[key] = lines
        return lines or []

    def expand_in(self, state: SessionState, seq: int) -> None:
        """Expand an entry of any open session (at this pane's width)."""
        if seq not in state.expanded:
            state.set_expanded(seq, 1 + len(self._expanded_lines(seq, state)))

    # -- moving ----------------------------------------------------------------------------
    def select(self, index: int) -> None:
        """Select entry `index` and scroll so that it is in view."""
        state = self.state
        if state is None or not state.visible:
            return
        index = max(0, min(index, len(state.visible) - 1))
        state.position.selected = index
        top, bottom = round(self.scroll_y), round(self.scroll_y) + self.size.height
        start, end = state.offsets[index], state.offsets[index + 1]
        if start < top:
            self.scroll_to(y=start, animate=False, immediate=True)
        elif end > bottom:
            self.scroll_to(y=max(start, end - self.size.height), animate=False, immediate=True)
        state.position.scroll_y = round(self.scroll_y)
        self.refresh()
        post_up(self, self.Moved())

    def action_move(self, step: int) -> None:
        if self.state is not None:
            self.select(self.state.position.selected + step)

    def action_page(self, direction: int) -> None:
        self._scroll_lines(direction * max(1, self.size.height - 1))

    def action_half(self, direction: int) -> None:
        self._scroll_lines(direction * max(1, self.size.height // 2))

    def _scroll_lines(self, lines: int) -> None:
        state = self.state
        if state is None or not state.visible:
            return
        target = max(
            0, min(round(self.scroll_y) + lines, max(0, state.total_lines - self.size.height))
        )
        moved = target != round(self.scroll_y)
        self.scroll_to(y=target, animate=False, immediate=True)
        state.position.scroll_y = target
        state.position.selected = state.locate(target)[0]
        if not moved:  # a scroll repaints the pane already; else the selection moved alone
            self.refresh()
        post_up(self, self.Moved())

    def action_edge(self, direction: int) -> None:
        if self.state is not None and self.state.visible:
            self.select(0 if direction < 0 else len(self.state.visible) - 1)

    def action_next(self, kind: str, step: int) -> None:
        """The next (1) or previous (-1) entry of a kind (a prompt, an error, a tool call)."""
        if self.state is None:
            return
        found = self.state.next_of_kind(Kind(kind), step)
        if found is not None:
            self.go_to(found)

    def go_to(self, index: int) -> None:
        """Select entry `index` and put it at the top of the pane."""
        state = self.state
        if state is None or not 0 <= index < len(state.visible):
            return
        self.select(index)
        self.scroll_to(y=state.offsets[index], animate=False, immediate=True)
        state.position.scroll_y = round(self.scroll_y)

    def expand_entry(self, seq: int) -> None:
        """Expand an entry (fetching its full text) if it is not already."""
        state = self.state
        if state is not None and seq not in state.expanded:
            state.set_expanded(seq, 1 + len(self._expanded_lines(seq)))
            self._sync_size()

    def first_marked_line(self, i: int) -> int | None:
        """The session line of the first search match in entry `i` (expanded), if any."""
        state = self.state
        if state is None or state.finding is None or state.finding.pattern is None:
            return None
        seq = state.visible[i]
        if seq not in state.expanded:
            return None
        for j, segments in enumerate(self._expanded_lines(seq)):
            if state.finding.pattern.search("".join(seg.text for seg in segments)):
                return state.offsets[i] + 1 + j
        return None

    def action_toggle_entry(self) -> None:
        """Expand the selected entry to its full content (fetched now), or collapse it."""
        state = self.state
        if state is None or not state.visible:
            return
        i = state.position.selected
        seq = state.visible[i]
        if seq in state.expanded:
            state.set_expanded(seq, None)
        else:
            state.set_expanded(seq, 1 + len(self._expanded_lines(seq)))
        self._sync_size()
        self.refresh()
        post_up(self, self.Moved())

    def on_click(self, event: events.Click) -> None:
        state = self.state
        if state is None or not state.visible:
            return
        line = round(self.scroll_y) + event.y
        if line < state.total_lines:
            i, _ = state.locate(line)
            if i == state.position.selected and event.chain >= 1:
                self.select(i)
                self.action_toggle_entry()
            else:
                self.select(i)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.state is not None:
            self.state.position.scroll_y = round(new)
