"""The message pane: a session's entries drawn with the Line API (only visible lines).

Reading mode: prompts and replies whole, wrapped, as Markdown; a tool call and its result
one unit, folded to one line; thinking folded. Heights are exact only for what has been
laid out (the screen): `_lay_out_*` lay out a screen's worth before a move or a paint, and
keep the entry at the top of the screen where it is. The keys are in `tui/keys.py`.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from typing import ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from sessions_tui.harness import shown_text
from sessions_tui.model import Entry, Kind
from sessions_tui.output.format import KIND_LABEL
from sessions_tui.profile import PROFILER
from sessions_tui.text import printable
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import Said, post_up
from sessions_tui.tui.state.viewstate import GUTTER_WIDTH, PREVIEW_LINES, Level, SessionState
from sessions_tui.tui.widgets.entry_render import (
    message_renderable,
    render_lines,
    text_preview,
    tool_line,
    tool_preview,
    tool_whole,
)
from sessions_tui.tui.widgets.style_cache import StyleCache

GUTTER = "▌ "
_LEVEL_WORDS = {Level.ONE: "one line", Level.PREVIEW: "first lines", Level.FULL: "whole"}


def mark(segments: list[Segment], pattern: re.Pattern[str], style: Style) -> list[Segment]:
    """The segments with every match of `pattern` in their joined text in `style` (the
    same look wherever a match is: a header, an error, a diff)."""
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
            out.append(Segment(piece, style if inside else seg.style))
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
        self._ahead: Timer | None = None  # the next laying out ahead, between keys

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
        if state is not None and self.size.width:
            state.set_width(self.size.width)
        self._sync_size()
        if state is not None:
            self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)
        self.refresh()

    def reflow(self) -> None:
        """The state's units or heights changed (a filter, an append, a fold): recompute
        the size, go where the state says and repaint."""
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
        state = self.state
        if state is not None and event.size.width and event.size.width != state.width:
            state.set_width(event.size.width)  # estimates again; the top entry stays
            self._sync_size()
            self._lay_out_down(state.locate(state.position.scroll_y)[0])
            self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)
        self._sync_size()

    # -- laying out (exact heights for what is on screen) ----------------------------------
    def _body(self, i: int, level: Level, state: SessionState | None = None) -> list[list[Segment]]:
        """The lines under unit `i`'s header at `level` (cached per width)."""
        state = state or self.state
        assert state is not None
        key = (state.visible[i], level, state.width)
        lines = state.laid.get(key)
        if lines is not None:
            state.laid.move_to_end(key)
            return lines
        renderable = self._renderable(state, i, level)
        width = max(10, state.width - GUTTER_WIDTH - (4 if state.entry(i).sidechain else 0))
        lines = render_lines(renderable, width, self._style("body")) if renderable else []
        if level >= Level.READ:
            lines.append([])  # a blank line after a unit shown whole
        state.laid[key] = lines
        if len(state.laid) > 600:
            state.laid.popitem(last=False)
        return lines

    def _renderable(self, state: SessionState, i: int, level: Level) -> RenderableType | None:
        if level is Level.ONE:
            return None
        unit = state.units[i]
        entry = state.entry(i)
        whole = level >= Level.READ
        if unit.kind is Kind.TOOL_CALL:
            result = state.result(i)
            call_text = state.view.full_text(unit.seq) if len(entry.text) >= 600 else entry.text
            if not whole:
                return tool_preview(entry, call_text, result, PREVIEW_LINES)
            result_text = (
                state.view.full_text(result.seq)
                if result is not None and len(result.text) >= 600
                else (result.text if result is not None else "")
            )
            return tool_whole(entry, call_text, result, result_text)
        if not whole:
            return text_preview(entry, PREVIEW_LINES)
        text = state.view.full_text(unit.seq) if len(entry.text) >= 600 else entry.text
        return message_renderable(entry, text, cut=level is Level.READ and state.cut(i))

    def _lay_out(self, i: int) -> bool:
        """Lay unit `i` out at the pane's width; whether its height changed."""
        state = self.state
        if state is None or state.is_laid_out(i):
            return False
        level = state.level(i)
        before = state.heights[i]
        state.laid_out(i, level, 1 + len(self._body(i, level)))
        return state.heights[i] != before

    def _lay_out_down(self, i: int) -> bool:
        """Lay out units from `i` down until a screen is filled (nothing above moves)."""
        state = self.state
        if state is None:
            return False
        changed, covered, n = False, 0, len(state.visible)
        while i < n and covered < self.size.height:
            changed |= self._lay_out(i)
            covered += state.heights[i]
            i += 1
        return changed

    def _lay_out_up(self, i: int, lines: int) -> None:
        """Lay out units from `i` up until `lines` lines are filled, keeping the entry at
        the top of the screen where it is."""
        state = self.state
        if state is None:
            return
        with state.keeping_top():
            covered = 0
            while i >= 0 and covered < lines:
                self._lay_out(i)
                covered += state.heights[i]
                i -= 1

    def _lay_out_screen(self) -> None:
        """Before a paint: the units on screen laid out (the top one stays on top)."""
        state = self.state
        if state is None or not state.visible:
            return
        state.position.scroll_y = round(self.scroll_y)
        changed = False
        if self.size.width and self.size.width != state.width:  # a resize not yet seen
            state.set_width(self.size.width)
            changed = True
        top, within = state.locate(state.position.scroll_y)
        if self._lay_out_down(top):
            if within >= state.heights[top]:  # the top unit shrank under the top line
                state.position.scroll_y = state.start(top) + state.heights[top] - 1
            changed = True
        if changed:
            self._sync_size()
            if round(self.scroll_y) != state.position.scroll_y:
                self.set_reactive(MessagePane.scroll_y, state.position.scroll_y)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out_screen()
        if self._ahead is None and self.state is not None:
            self._ahead = self.set_timer(0.05, self._lay_out_ahead)
        return super().render_lines(crop)

    def _lay_out_ahead(self) -> None:
        """Between keys: lay out a screen below and a screen above what is shown, so the
        next page or line down finds its heights exact and its lines drawn. A few
        milliseconds at a time, so a key is never kept waiting long."""
        self._ahead = None
        state = self.state
        if state is None or not state.visible:
            return
        state.position.scroll_y = round(self.scroll_y)
        top, _ = state.locate(state.position.scroll_y)
        height = self.size.height
        bottom, _ = state.locate(state.position.scroll_y + height)
        deadline = time.perf_counter() + 0.008
        i, covered = bottom, 0
        while i < len(state.visible) and covered < height and time.perf_counter() < deadline:
            self._lay_out(i)
            covered += state.heights[i]
            i += 1
        with state.keeping_top():
            i, covered = top - 1, 0
            while i >= 0 and covered < height and time.perf_counter() < deadline:
                self._lay_out(i)
                covered += state.heights[i]
                i -= 1
        self._sync_size()
        if round(self.scroll_y) != state.position.scroll_y:  # the same lines, renumbered
            self.set_reactive(MessagePane.scroll_y, state.position.scroll_y)
        if time.perf_counter() >= deadline:  # more to do: later
            self._ahead = self.set_timer(0.02, self._lay_out_ahead)

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
        level = state.level(i)
        key = (seq, offset, width, selected, level, self._generation)
        strips = state.strips
        strip = strips.get(key)
        PROFILER.hit("render cache", strip is not None)
        if strip is None:
            strip = self._draw(state, i, offset, level, selected)
            strips[key] = strip
            if len(strips) > 4000:
                strips.popitem(last=False)
        return strip

    def _style(self, name: str) -> Style:
        return self._styles.get(name)

    def _draw(
        self, state: SessionState, i: int, offset: int, level: Level, selected: bool
    ) -> Strip:
        entry = state.entry(i)
        indent = "  │ " if entry.sidechain else ""
        kind = self._kind_style(state, i)
        base = self._style("sidechain") if entry.sidechain else self._style("body")
        if selected:
            base = base + self._style("selected")
        if offset == 0:
            segments = self._header(state, i, level, indent, kind, base, selected)
        else:
            body = self._body(i, level)
            segments = [Segment(GUTTER, kind), Segment(indent + "  ", base)]
            segments += body[offset - 1] if offset - 1 < len(body) else []
        finding = state.finding
        if finding is not None and finding.pattern is not None:
            result = state.units[i].result
            if entry.seq in finding.match_set or result in finding.match_set:
                segments = mark(segments, finding.pattern, self._style("match"))
        width = self.size.width
        return Strip(segments).crop_extend(0, width, base if selected else self._styles.base)

    def _kind_style(self, state: SessionState, i: int) -> Style:
        unit = state.units[i]
        if unit.result_kind is Kind.ERROR:
            return self._style("error")
        return self._style(unit.kind.value)

    def _header(
        self,
        state: SessionState,
        i: int,
        level: Level,
        indent: str,
        kind: Style,
        base: Style,
        selected: bool,
    ) -> list[Segment]:
        """A unit's first line: time, who, and (a tool) what it did and how it went, or
        (folded) the first line of its text."""
        entry = state.entry(i)
        unit = state.units[i]
        chosen = self._style("selected") if selected else Style()
        meta = self._style("meta") + chosen
        when = (entry.timestamp or "")[11:19]
        parts = [Segment(GUTTER, kind), Segment(indent, base), Segment(f"{when:8} ", meta)]
        if unit.kind is Kind.TOOL_CALL:
            result = state.result(i)
            what, how, failed = self._tool_line(state, i, entry, result)
            parts.append(Segment(printable(entry.tool or "tool"), kind + chosen + Style(bold=True)))
            parts.append(Segment(f" {what}", base))
            if how:
                parts.append(
                    Segment(f"  {how}", (self._style("error") if failed else meta) + chosen)
                )
            return parts
        parts.append(Segment(KIND_LABEL[entry.kind], kind + chosen))
        if entry.tool:
            parts.append(Segment(f" {printable(entry.tool)}", base + Style(bold=True)))
        if entry.label and entry.kind in (Kind.SYSTEM, Kind.OTHER):
            parts.append(Segment(f"  {printable(entry.label)}", meta))
        if level is Level.ONE:
            first = printable(shown_text(entry)).replace("\t", " ").strip().split("\n", 1)[0]
            if first:
                parts.append(Segment(f"  {first}", meta))
        return parts

    def _tool_line(
        self, state: SessionState, i: int, entry: Entry, result: Entry | None
    ) -> tuple[str, str, bool]:
        """What a tool unit did and how it went (computed once per unit)."""
        seq = entry.seq
        found = state.summaries.get(seq)
        if found is None:
            unit = state.units[i]
            edit = (entry.tool or "") in ("Edit", "MultiEdit", "Write")
            call_text = state.view.full_text(seq) if edit and len(entry.text) >= 600 else entry.text
            found = tool_line(entry, call_text, result, unit.result_lines)
            state.summaries[seq] = found
        return found

    def expand_in(self, state: SessionState, seq: int) -> None:
        """Open an entry of any open session whole (a restored tab's)."""
        state.expand(seq)

    # -- moving ----------------------------------------------------------------------------
    def select(self, index: int) -> None:
        """Select entry `index` and scroll so that it is in view."""
        state = self.state
        if state is None or not state.visible:
            return
        index = max(0, min(index, len(state.visible) - 1))
        state.position.selected = index
        state.position.scroll_y = round(self.scroll_y)
        with state.keeping_top():
            self._lay_out(index)
        self._sync_size()
        top, height = state.position.scroll_y, self.size.height
        start, end = state.start(index), state.start(index + 1)
        if start < top:
            state.position.scroll_y = start
        elif end > top + height:
            self._lay_out_up(index, height)
            start, end = state.start(index), state.start(index + 1)
            state.position.scroll_y = max(start, end - height)
        self._sync_size()
        self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)
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
        state.position.scroll_y = round(self.scroll_y)
        top = state.locate(state.position.scroll_y)[0]
        if lines < 0:  # what comes into view above, exact first (the top stays put)
            self._lay_out_up(top - 1, -lines)
        else:
            self._lay_out_down(top)
        self._sync_size()
        here = state.position.scroll_y
        target = max(0, min(here + lines, max(0, state.total_lines - self.size.height)))
        self.scroll_to(y=target, animate=False, immediate=True)
        state.position.scroll_y = round(self.scroll_y)
        state.position.selected = state.locate(state.position.scroll_y)[0]
        if round(self.scroll_y) == here:  # a scroll repaints; else the selection moved alone
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

    def go_to(self, index: int, line: int = 0) -> None:
        """Select entry `index` and put it (its line `line`) at the top of the pane."""
        state = self.state
        if state is None or not 0 <= index < len(state.visible):
            return
        state.position.selected = index
        state.position.scroll_y = round(self.scroll_y)
        with state.keeping_top():
            self._lay_out(index)
        state.position.scroll_y = state.start(index) + line
        self._lay_out_down(index)
        self._sync_size()
        self.scroll_to(y=state.position.scroll_y, animate=False, immediate=True)
        state.position.scroll_y = round(self.scroll_y)
        self.refresh()
        post_up(self, self.Moved())

    def first_marked_line(self, i: int) -> int | None:
        """The line within unit `i` of its first search match, if one is drawn."""
        state = self.state
        if state is None or state.finding is None or state.finding.pattern is None:
            return None
        level = state.level(i)
        for j, segments in enumerate(self._body(i, level)):
            if state.finding.pattern.search("".join(seg.text for seg in segments)):
                return 1 + j
        return None

    def refold(self, change: Callable[[], object]) -> None:
        """Run a change to how units are shown (a fold, a detail level): the state keeps
        the top entry on top; lay out the screen again and repaint."""
        state = self.state
        if state is None:
            return
        state.position.scroll_y = round(self.scroll_y)
        change()
        state.strips.clear()
        self._sync_size()
        self._lay_out_down(state.locate(state.position.scroll_y)[0])
        self.reflow()

    def action_toggle_entry(self) -> None:
        """Open the selected unit whole, or fold it to one line."""
        state = self.state
        if state is None or not state.visible:
            return
        i = state.position.selected
        self.refold(lambda: state.toggle(i))
        self.select(i)

    def action_detail(self) -> None:
        """Tools: one line → the first lines of their output → whole."""
        if (state := self.state) is not None:
            self.refold(state.cycle_detail)
            post_up(self, Said(f"tools: {_LEVEL_WORDS[state.reading.detail]} (v: more)"))

    def action_thinking(self) -> None:
        if (state := self.state) is not None:
            self.refold(state.toggle_thinking)
            post_up(self, Said(f"thinking {'whole' if state.reading.thinking else 'folded'}"))

    def action_fold_all(self) -> None:
        if (state := self.state) is not None:
            self.refold(state.fold_all)
            folded = state.reading.all is Level.ONE
            post_up(self, Said("everything folded (f: open all)" if folded else "everything open"))

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
