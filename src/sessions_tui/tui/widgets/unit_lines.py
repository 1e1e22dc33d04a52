"""How a unit of the open session is drawn in the message pane: its header line (time,
who, or what a tool did and how it went) and the lines under it at its level, in the
pane's styles. A plain object the pane holds; the lines it lays out are cached in the
session's state (`laid`, `summaries`), so a switch repaints from them.
"""

from __future__ import annotations

import itertools
import re

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from sessions_tui.harness import shown_text
from sessions_tui.model import Entry, Kind
from sessions_tui.output.format import KIND_LABEL
from sessions_tui.text import printable
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
_LAID_KEPT = 600  # units' laid-out lines kept per session


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


class UnitLines:
    """Draws units of a session in the styles of `styles` (the pane's component classes)."""

    def __init__(self, styles: StyleCache) -> None:
        self._styles = styles

    def body(self, state: SessionState, i: int, level: Level) -> list[list[Segment]]:
        """The lines under unit `i`'s header at `level` (cached per width)."""
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
        if len(state.laid) > _LAID_KEPT:
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
            call_text = state.view.whole_text(entry)
            if not whole:
                return tool_preview(entry, call_text, result, PREVIEW_LINES)
            result_text = state.view.whole_text(result) if result is not None else ""
            return tool_whole(entry, call_text, result, result_text)
        if not whole:
            return text_preview(entry, PREVIEW_LINES)
        text = state.view.whole_text(entry)
        return message_renderable(entry, text, cut=level is Level.READ and state.cut(i))

    def _style(self, name: str) -> Style:
        return self._styles.get(name)

    def draw(
        self, state: SessionState, i: int, offset: int, level: Level, selected: bool, width: int
    ) -> Strip:
        """Line `offset` of unit `i`, `width` cells wide."""
        entry = state.entry(i)
        indent = "  │ " if entry.sidechain else ""
        kind = self._kind_style(state, i)
        base = self._style("sidechain") if entry.sidechain else self._style("body")
        if selected:
            base = base + self._style("selected")
        if offset == 0:
            segments = self._header(state, i, level, indent, kind, base, selected)
        else:
            body = self.body(state, i, level)
            segments = [Segment(GUTTER, kind), Segment(indent + "  ", base)]
            segments += body[offset - 1] if offset - 1 < len(body) else []
        finding = state.finding
        if finding is not None and finding.pattern is not None:
            result = state.units[i].result
            if entry.seq in finding.match_set or result in finding.match_set:
                segments = mark(segments, finding.pattern, self._style("match"))
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
            # the whole input: an edit's lines are counted, a todo list's JSON parsed
            found = tool_line(entry, state.view.whole_text(entry), result, unit.result_lines)
            state.summaries[seq] = found
        return found
