"""What an open session keeps while it is open: filter, units shown, heights, position,
and how it is read (which entries are folded).

Plain Python over a `SessionView` (no Textual): switching sessions swaps one of these for
another and repaints, with no query and no re-render of the session.

Reading mode shows prompts and replies whole, wrapped to the pane, and folds tool calls
(each with its result, one unit) and thinking to one line. A wrapped height is known only
once the pane lays the unit out at its width: until then it is estimated from the
characters and lines SQL counted (`Unit`), and the pane lays out only what it shows.
"""

from __future__ import annotations

import bisect
import contextlib
import enum
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sessions_tui.model import Entry, Kind
from sessions_tui.store.filters import DEFAULT_KINDS, Filter
from sessions_tui.tui.state.heights import Heights

if TYPE_CHECKING:
    from rich.segment import Segment

    from sessions_tui.store.search import Query
    from sessions_tui.store.session_view import SessionView, Unit

_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
PAGE = 256
PREVIEW_LINES = 5  # a tool's output under its call, at the preview detail
READ_CHARS = 20_000  # a message longer than this is cut in reading mode (Enter: all of it)
READ_LINES = 400
GUTTER_WIDTH = 4  # the kind's bar and the indent before text


class Level(enum.IntEnum):
    """How much of a unit is shown."""

    ONE = 0  # its header line only (a tool: what it did and how it went)
    PREVIEW = 1  # the header and the first lines (a tool: of its output)
    READ = 2  # whole, cut when very long (a message's default)
    FULL = 3  # whole (as far as the pane draws: MAX_EXPANDED_* in entry_render)


@dataclass(slots=True)
class Reading:
    """How a session is read: tool detail, thinking, and fold-all (which wins)."""

    detail: Level = Level.ONE  # tool units: ONE → PREVIEW → FULL
    thinking: bool = False  # thinking shown whole, or folded to one line
    all: Level | None = None  # set by fold/expand all: every unit at ONE or FULL


_MESSAGES = (Kind.PROMPT, Kind.ASSISTANT)
_TOOLS = (Kind.TOOL_CALL, Kind.TOOL_RESULT)


@dataclass(slots=True)
class Position:
    """Where the reader is: the selected entry and the first line on screen."""

    selected: int = 0  # index into `visible`
    scroll_y: int = 0


@dataclass
class Finding:
    """A search in the session: what matched (every kind), and where n/N has got to."""

    query: Query
    matches: list[int]  # seqs in order, whatever the filter
    pattern: re.Pattern[str] | None  # marks the matches on screen
    current: int = -1  # index into the visible hits
    auto_expanded: set[int] = field(default_factory=set)  # expanded by n/N, not by hand

    def __post_init__(self) -> None:
        self.match_set = frozenset(self.matches)


@dataclass
class SessionState:
    """One open session: its view, filter, units shown with heights, and position."""

    view: SessionView
    filter: Filter = field(default_factory=Filter.default)
    reading: Reading = field(default_factory=Reading)
    counts: dict[str, int] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    visible: list[int] = field(default_factory=list)  # the units' seqs
    heights: Heights = field(default_factory=Heights)
    width: int = 80  # the pane's width the heights are for
    position: Position = field(default_factory=Position)
    expanded: set[int] = field(default_factory=set)  # seqs opened whole by hand (Enter, n)
    folded: set[int] = field(default_factory=set)  # seqs folded by hand
    # Exact heights, once laid out: {(seq, level, width): lines}.
    known: dict[tuple[int, int, int], int] = field(default_factory=dict)
    # The pane's render caches travel with the session, so a switch repaints from them.
    strips: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)
    laid: OrderedDict[tuple[int, int, int], list[list[Segment]]] = field(
        default_factory=OrderedDict
    )
    summaries: dict[int, tuple[str, str, bool]] = field(default_factory=dict)  # tool lines
    _entries: OrderedDict[int, Entry] = field(default_factory=OrderedDict)
    finding: Finding | None = None
    new_entries: int = 0  # appended while the reader was not at the bottom
    gone: bool = False  # the file was deleted while open: what was read stays
    rest_failed: bool = False  # opened by its head, and the rest could not be read
    _hits: tuple[list[int], dict[int, int], list[int]] | None = None  # matches, index, hits
    _marks: dict[Kind, list[int]] = field(default_factory=dict)  # kind -> unit indexes

    def __post_init__(self) -> None:
        self.counts = self.view.counts()
        self._load_visible()

    @property
    def title(self) -> str:
        s = self.view.session
        return s.title or s.id

    @property
    def total_lines(self) -> int:
        return self.heights.total

    def _load_visible(self) -> None:
        self.units = self.view.units(self.filter)
        self.visible = [u.seq for u in self.units]
        index = {u.seq: i for i, u in enumerate(self.units)}
        for i, u in enumerate(self.units):  # a hit in a result finds its unit
            if u.result is not None:
                index.setdefault(u.result, i)
        self._index = index
        self._marks = {}
        self._reheight()

    # -- heights ---------------------------------------------------------------------
    def level(self, i: int) -> Level:
        """How much of unit `i` is shown: by hand (Enter), fold-all, else by its kind."""
        unit = self.units[i]
        if unit.seq in self.expanded:
            return Level.FULL
        if unit.seq in self.folded:
            return Level.ONE
        if self.reading.all is not None:
            return self.reading.all
        kind = unit.kind
        if kind in _MESSAGES:
            return Level.READ
        if kind in _TOOLS:
            return self.reading.detail
        if kind is Kind.THINKING:
            return Level.READ if self.reading.thinking else Level.ONE
        if kind is Kind.ERROR:
            return Level.PREVIEW
        return Level.ONE

    def cut(self, i: int) -> bool:
        """Whether reading mode cuts unit `i` (a very long message)."""
        unit = self.units[i]
        return unit.chars > READ_CHARS or unit.lines > READ_LINES

    def _height(self, i: int) -> int:
        """Unit `i`'s height: exact if laid out at this width, else estimated."""
        level = self.level(i)
        if level is Level.ONE:
            return 1
        unit = self.units[i]
        exact = self.known.get((unit.seq, level, self.width))
        if exact is not None:
            return exact
        text_width = max(10, self.width - GUTTER_WIDTH)
        if level is Level.PREVIEW:
            lines = unit.result_lines if unit.result is not None else unit.lines
            return 1 + max(1, min(PREVIEW_LINES, lines))
        body = unit.lines + unit.chars // text_width
        if unit.result is not None:
            body += 1 + unit.result_lines + unit.result_chars // text_width
        if level is Level.READ:
            body = min(body, READ_LINES + 1)
        return 2 + body  # the header, the body, a blank line

    def _reheight(self) -> None:
        """Every unit's height again (a new width, filter or way of reading): O(n)."""
        self.heights.reset([self._height(i) for i in range(len(self.units))])

    def laid_out(self, i: int, level: Level, height: int) -> None:
        """The pane laid unit `i` out at this width: its exact height."""
        self.known[(self.units[i].seq, level, self.width)] = height
        self.heights[i] = height

    def is_laid_out(self, i: int) -> bool:
        level = self.level(i)
        return level is Level.ONE or (self.units[i].seq, level, self.width) in self.known

    def set_width(self, width: int) -> None:
        """The pane's width changed: heights are estimated again for it (the pane lays
        out only what it shows), and the entry at the top of the screen stays there."""
        if width == self.width:
            return
        with self.keeping_top():
            self.width = width
            self.strips.clear()
            self._reheight()

    def locate(self, line: int) -> tuple[int, int]:
        """(entry index, line within the entry) for a line of the whole session."""
        return self.heights.locate(line)

    def start(self, i: int) -> int:
        """The first line of unit `i` in the whole session."""
        return self.heights.start(i)

    @contextlib.contextmanager
    def keeping_top(self) -> Iterator[None]:
        """A block after which the entry at the top of the screen is at the top again,
        as far into it as it was."""
        top, within = self.locate(self.position.scroll_y) if self.visible else (0, 0)
        seq = self.visible[top] if self.visible else None
        yield
        i = self._index.get(seq) if seq is not None else None
        if i is not None:
            self.position.scroll_y = self.start(i) + max(0, min(within, self.heights[i] - 1))

    # -- reading ---------------------------------------------------------------------
    def toggle(self, i: int) -> None:
        """Enter: open unit `i` whole, or fold it to one line if it is whole already."""
        seq = self.visible[i]
        level = self.level(i)
        whole = level is Level.FULL or (level is Level.READ and not self.cut(i))
        with self.keeping_top():
            if whole:
                self.expanded.discard(seq)
                self.folded.add(seq)
            else:
                self.folded.discard(seq)
                self.expanded.add(seq)
            self.heights[i] = self._height(i)

    def expand(self, seq: int) -> None:
        """Open one unit whole (a search hit); its place is kept (nothing above moves)."""
        self.folded.discard(seq)
        self.expanded.add(seq)
        if (i := self._index.get(seq)) is not None:
            self.heights[i] = self._height(i)

    def unexpand(self, seq: int) -> None:
        """Undo `expand` (the hit n/N opened is left)."""
        self.expanded.discard(seq)
        if (i := self._index.get(seq)) is not None:
            self.heights[i] = self._height(i)

    def cycle_detail(self) -> Level:
        """Tools: one line → preview → whole → one line; by-hand choices for tools go."""
        order = (Level.ONE, Level.PREVIEW, Level.FULL)
        self.reading.detail = order[(order.index(self.reading.detail) + 1) % len(order)]
        self._forget(lambda u: u.kind in _TOOLS)
        return self.reading.detail

    def toggle_thinking(self) -> bool:
        """Thinking: whole, or folded to one line."""
        self.reading.thinking = not self.reading.thinking
        self._forget(lambda u: u.kind is Kind.THINKING)
        return self.reading.thinking

    def fold_all(self) -> Level:
        """Fold every unit to one line, or (if they are already) open every one whole."""
        self.reading.all = Level.FULL if self.reading.all is Level.ONE else Level.ONE
        self._forget(lambda _unit: True)
        return self.reading.all

    def _forget(self, which: Callable[[Unit], bool]) -> None:
        """A way of reading changed: the units it covers forget their by-hand choices,
        and every height is estimated again (the top entry stays on top)."""
        seqs = {u.seq for u in self.units if which(u)}
        with self.keeping_top():
            self.expanded -= seqs
            self.folded -= seqs
            self._reheight()

    # -- finding ---------------------------------------------------------------------
    def index_of(self, seq: int) -> int | None:
        """The unit showing entry `seq` (a tool result: its call's unit)."""
        return self._index.get(seq)

    def entry(self, i: int) -> Entry:
        """Unit `i`'s entry (a preview), fetched a page of units at a time."""
        seq = self.visible[i]
        found = self._entries.get(seq)
        if found is None:
            self._fetch(i)
            found = self._entries[seq]
        return found

    def result(self, i: int) -> Entry | None:
        """The result of unit `i`'s tool call, if it has one (a preview)."""
        seq = self.units[i].result
        if seq is None:
            return None
        found = self._entries.get(seq)
        if found is None:
            self._fetch(i)
            found = self._entries.get(seq)
        return found

    def _fetch(self, i: int) -> None:
        first = max(0, i - PAGE // 4)
        units = self.units[first : first + PAGE]
        seqs = [u.seq for u in units] + [u.result for u in units if u.result is not None]
        for e in self.view.entries_at(seqs):
            self._entries[e.seq] = e
            self._entries.move_to_end(e.seq)
        while len(self._entries) > 8 * PAGE:
            self._entries.popitem(last=False)

    # -- changing ----------------------------------------------------------------------
    def set_filter(self, flt: Filter) -> None:
        """Apply a filter, keeping the entry at the top of the screen at the top."""
        top_seq = self.visible[self.locate(self.position.scroll_y)[0]] if self.visible else 0
        selected_seq = self.visible[self.position.selected] if self.visible else 0
        self.filter = flt
        self._load_visible()
        if not self.visible:
            self.position = Position()
            return
        top = min(bisect.bisect_left(self.visible, top_seq), len(self.visible) - 1)
        self.position.scroll_y = self.start(top)
        sel = self._index.get(selected_seq)
        self.position.selected = sel if sel is not None else top

    # -- searching -------------------------------------------------------------------
    def hits(self) -> list[int]:
        """Indexes (into `visible`) of the entries the search matched and the filter shows."""
        if self.finding is None:
            return []
        # Kept until the search or the visible entries change: the status bar asks on
        # every move, and a common word can match most of a long session.
        matches, index = self.finding.matches, self._index
        cached = self._hits
        if cached is None or cached[0] is not matches or cached[1] is not index:
            found = {i for seq in matches if (i := index.get(seq)) is not None}
            cached = (matches, index, sorted(found))  # a call and its result: one unit
            self._hits = cached
        return cached[2]

    def hidden_hits(self) -> int:
        return len(self.finding.matches) - len(self.hits()) if self.finding else 0

    def next_hit(self, step: int) -> int | None:
        """The visible hit after (1) or before (-1) the selected entry, wrapping around."""
        hits = self.hits()
        if not hits or self.finding is None:
            return None
        here = self.position.selected
        if step > 0:
            k = (
                bisect.bisect_right(hits, here)
                if self.finding.current >= 0
                else (bisect.bisect_left(hits, here))
            )
            k %= len(hits)
        else:
            k = (bisect.bisect_left(hits, here) - 1) % len(hits)
        self.finding.current = k
        return hits[k]

    # -- in words (the status bar) ------------------------------------------------------
    def where(self, height: int) -> str:
        """`12/340 (40%) shown of 400 · usual kinds` on a pane `height` lines high."""
        flt = self.filter
        kinds = (
            "all kinds"
            if flt.kinds is None
            else "usual kinds"
            if flt.kinds == DEFAULT_KINDS
            else ",".join(sorted(k.value for k in flt.kinds))
        )
        extra = (" · subagents" if flt.subagent_only else "") + (
            f" · tool {flt.tool}" if flt.tool else ""
        )
        where = f"{self.position.selected + 1}/{len(self.visible)}" if self.visible else "0/0"
        lines = self.total_lines
        if lines > height:
            where += f" ({100 * min(self.position.scroll_y, lines - height) // (lines - height)}%)"
        return f"{where} shown of {self.view.total} · {kinds}{extra}"

    def facts(self) -> list[str]:
        """Search progress (`3/17`), new entries below, damaged lines, replays folded."""
        parts = []
        finding = self.finding
        if finding is not None:
            hits = self.hits()
            at = finding.current + 1 if 0 <= finding.current < len(hits) else 0
            mode = "regex" if finding.query.regex else "text"
            part = f"{mode} {finding.query.text!r} {at}/{len(hits)}"
            hidden = self.hidden_hits()
            if hidden:
                part += f" ({hidden} hidden by the filter: 0 shows all)"
            parts.append(part)
        if self.new_entries:
            parts.append(f"↓ {self.new_entries} new (G)")
        session = self.view.session  # the catalog's facts, renewed as the file follows
        damaged = session.malformed_lines + session.subagent_malformed_lines
        if damaged:  # unreadable lines, the subagents' files included, are said, not hidden
            inside = session.subagent_malformed_lines
            where = f", {inside} in subagents" if inside else ""
            parts.append(f"{damaged} damaged line{'s' if damaged > 1 else ''}{where}")
        folded = self.view.replayed
        if folded:  # a resumed session wrote its history again: shown once
            parts.append(f"{folded} replayed record{'s' if folded > 1 else ''} folded")
        if self.view.partial:  # the first screen of a long session: the rest is coming
            size = f"{self.view.session.size / 1e6:.1f} MB"
            parts.append(f"the first part of {size} only" if self.rest_failed
                         else f"reading the rest of {size} …")  # fmt: skip
        return parts

    # -- growing ----------------------------------------------------------------------
    def reload(self) -> None:
        """Entries were appended or the view rebuilt: counts, visible entries and heights
        again, keeping the top entry and the selection where they were."""
        results = {u.seq: u.result for u in self.units}
        self.counts = self.view.counts()
        self._entries.clear()
        self.strips.clear()
        self.set_filter(self.filter)
        # A call whose result came in since (and any new unit) is drawn and measured again.
        for i, unit in enumerate(self.units):
            if results.get(unit.seq, -1) != unit.result:
                self.summaries.pop(unit.seq, None)
                for cache in (self.known, self.laid):
                    for key in [k for k in cache if k[0] == unit.seq]:
                        del cache[key]
                self.heights[i] = self._height(i)

    def swap(self, whole: SessionView) -> None:
        """The whole view in place of the head the session opened with: the counts, the
        entries and the scroll range grow; the entry at the top of the screen stays
        there, as far into it, and the selection, expansions, folds and the search
        follow their entries (which the subagents' entries may have moved)."""
        head = self.view
        top, within = self.locate(self.position.scroll_y) if self.visible else (0, 0)
        top_seq = self.visible[top] if self.visible else None
        selected = self.visible[self.position.selected] if self.visible else None
        finding = self.finding
        hits = self.hits()
        current_seq = None
        if finding is not None and 0 <= finding.current < len(hits):
            current_seq = self.visible[hits[finding.current]]
        marks = [s for s in (top_seq, selected, current_seq) if s is not None]
        marks += [*self.expanded, *self.folded, *(finding.auto_expanded if finding else ())]
        moved = head.same_entries(whole, marks)
        self.view = whole
        self.expanded = {moved[s] for s in self.expanded if s in moved}
        self.folded = {moved[s] for s in self.folded if s in moved}
        for cache in (self.known, self.laid, self.summaries, self._entries, self.strips):
            cache.clear()  # keyed by entry numbers, which changed
        self.counts = whole.counts()
        self._load_visible()
        if finding is not None:
            finding.matches = whole.matching(finding.query)
            finding.match_set = frozenset(finding.matches)
            finding.auto_expanded = {moved[s] for s in finding.auto_expanded if s in moved}
            hits = self.hits()
            at = self._index.get(moved.get(current_seq, -1)) if current_seq is not None else None
            finding.current = hits.index(at) if at is not None and at in hits else -1
        if not self.visible:
            self.position = Position()
            return
        i = self._index.get(moved.get(top_seq, -1)) if top_seq is not None else None
        if i is not None:
            self.position.scroll_y = self.start(i) + max(0, min(within, self.heights[i] - 1))
        sel = self._index.get(moved.get(selected, -1)) if selected is not None else None
        self.position.selected = sel if sel is not None else (i or 0)

    def caught_up(self, change: str) -> None:
        """The view read what was written to its file since: `appended` entries, or
        `rebuilt` (the file was rewritten: entry numbers changed, so expansions and the
        search go)."""
        if change == "rebuilt":
            self.expanded.clear()
            self.folded.clear()
            self.known.clear()
            self.laid.clear()
            self.summaries.clear()
            self.finding = None
            self.new_entries = 0
        self.reload()
        if self.finding is not None:  # the new entries may match the search
            self.finding.matches = self.view.matching(self.finding.query)
            self.finding.match_set = frozenset(self.finding.matches)

    def index_for(self, wanted: str) -> int | None:
        """The visible entry a person means by `wanted`: a number as the status bar counts
        (`12` of `12/340`), a count on from the selected one (`+20`, `-5`), or a time of
        day (`14:05`, `14:05:30`; the first entry at or after it, as the headers show
        times). None when there is none."""
        if wanted.isdigit():
            n = int(wanted)
            return n - 1 if 1 <= n <= len(self.visible) else None
        if wanted[:1] in "+-" and wanted[1:].isdigit() and self.visible:
            # `+20` / `-5`: that many entries on from the selected one (a count, as 20j
            # is in less; the digits alone are the kind keys), stopping at either end
            moved = self.position.selected + int(wanted)
            return max(0, min(len(self.visible) - 1, moved))
        if not _TIME.fullmatch(wanted):
            return None
        hours, minutes, *seconds = wanted.split(":")
        target = f"{int(hours):02d}:{minutes}:{seconds[0] if seconds else '00'}"
        for i in range(len(self.visible)):
            if (self.entry(i).timestamp or "")[11:19] >= target:
                return i
        return None

    def next_of_kind(self, kind: Kind, step: int) -> int | None:
        """The index of the next (step 1) or previous (step -1) unit of a kind after the
        selected one (an error: a unit whose call failed too), by bisection."""
        marks = self._marks.get(kind)
        if marks is None:
            marks = self._marks[kind] = [
                i for i, u in enumerate(self.units) if kind in (u.kind, u.result_kind)
            ]
        here = self.position.selected
        if step > 0:
            k = bisect.bisect_right(marks, here)
            return marks[k] if k < len(marks) else None
        k = bisect.bisect_left(marks, here) - 1
        return marks[k] if k >= 0 else None
