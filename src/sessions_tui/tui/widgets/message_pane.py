"""The message pane: a session's entries drawn with the Line API (only visible lines).

Reading mode: prompts and replies whole, wrapped, as Markdown; a tool call and its result
one unit, folded to one line; thinking folded. Heights are exact only for what has been
laid out (the screen): `_lay_out_*` lay out a screen's worth before a move or a paint, and
keep the entry at the top of the screen where it is. How a unit looks is `UnitLines`'s
(`unit_lines.py`); the keys are in `tui/keys.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from sessions_tui.model import Kind
from sessions_tui.profile import PROFILER
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import Said, post_up
from sessions_tui.tui.state.viewstate import Level, SessionState
from sessions_tui.tui.widgets.style_cache import StyleCache
from sessions_tui.tui.widgets.unit_lines import UnitLines

_LEVEL_WORDS = {Level.ONE: "one line", Level.PREVIEW: "first lines", Level.FULL: "whole"}


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
        self._generation = 0  # bumped when the theme changes: cached strips are stale
        self._styles = StyleCache(
            self,
            "message-pane",
            readable=True,
            selected="selected",
            distinct="error",
        )
        self._units = UnitLines(self._styles)
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

    def on_resize(self, _event: events.Resize) -> None:
        self._lay_out_screen()  # a new width: estimated again, the top entry stays on top
        self._sync_size()

    # -- laying out (exact heights for what is on screen) ----------------------------------
    def _lay_out(self, i: int, drawn: bool = False) -> bool:
        """Lay unit `i` out at the pane's width; whether its height changed. `drawn`: its
        lines cached too (its height may be known with its lines long since evicted)."""
        state = self.state
        if state is None:
            return False
        level = state.level(i)
        if state.is_laid_out(i):
            if drawn:
                self._units.body(state, i, level)
            return False
        before = state.heights[i]
        state.laid_out(i, level, 1 + len(self._units.body(state, i, level)))
        return state.heights[i] != before

    def _lay_out_down(self, i: int, lines: int = 0, deadline: float | None = None) -> bool:
        """Lay out units from `i` down until `lines` (a screen) are filled, or `deadline`
        passes (between keys: their lines drawn too); nothing above moves. Whether a
        height changed."""
        state = self.state
        if state is None:
            return False
        changed, covered, n, lines = False, 0, len(state.visible), lines or self.size.height
        while i < n and covered < lines and (deadline is None or time.perf_counter() < deadline):
            changed |= self._lay_out(i, drawn=deadline is not None)
            covered += state.heights[i]
            i += 1
        return changed

    def _lay_out_up(self, i: int, lines: int, deadline: float | None = None) -> None:
        """Lay out units from `i` up until `lines` lines are filled (or `deadline` passes),
        keeping the entry at the top of the screen where it is."""
        state = self.state
        if state is None:
            return
        with state.keeping_top():
            covered = 0
            while (
                i >= 0 and covered < lines and (deadline is None or time.perf_counter() < deadline)
            ):
                self._lay_out(i, drawn=deadline is not None)
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
        """Between keys: lay out a screen below and a screen above what is shown (then the
        last and the first screens), so the next page, line or jump to an end finds its
        heights exact and its lines drawn. A few
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
        self._lay_out_down(bottom, height, deadline)
        self._lay_out_up(top - 1, height, deadline)
        self._lay_out_up(len(state.visible) - 1, height, deadline)  # the ends, for G and g
        self._lay_out_down(0, height, deadline)
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
        strip: Strip | None = strips.get(key)
        PROFILER.hit("render cache", strip is not None)
        if strip is None:
            strip = self._units.draw(state, i, offset, level, selected, width)
            strips[key] = strip
            if len(strips) > 4000:
                strips.popitem(last=False)
        return strip

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
        for j, segments in enumerate(self._units.body(state, i, level)):
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
