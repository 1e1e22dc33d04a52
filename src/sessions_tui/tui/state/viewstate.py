"""What an open session keeps while it is open: filter, visible entries, heights, position.

Plain Python over a `SessionView` (no Textual): switching sessions swaps one of these for
another and repaints, with no query and no re-render of the session.

Heights are exact without measuring wraps: a collapsed entry is a header line plus up to
PREVIEW_LINES lines cut to the width (never wrapped); only an expanded entry is wrapped,
and it is rendered once per width when expanded.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sessions_tui.model import Entry, Kind
from sessions_tui.store.filters import DEFAULT_KINDS, Filter

if TYPE_CHECKING:
    from sessions_tui.store.search import Query
    from sessions_tui.store.session_view import SessionView

PREVIEW_LINES = 3
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
PAGE = 256


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
    """One open session: its view, filter, visible entries with heights, and position."""

    view: SessionView
    filter: Filter = field(default_factory=Filter.default)
    counts: dict[str, int] = field(default_factory=dict)
    visible: list[int] = field(default_factory=list)
    heights: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    position: Position = field(default_factory=Position)
    expanded: dict[int, int] = field(default_factory=dict)  # seq -> height when expanded
    # The pane's render cache travels with the session, so a switch repaints from it.
    strips: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)
    expanded_lines: dict[tuple[int, int], Any] = field(default_factory=dict)
    _entries: OrderedDict[int, Entry] = field(default_factory=OrderedDict)
    finding: Finding | None = None
    new_entries: int = 0  # appended while the reader was not at the bottom
    gone: bool = False  # the file was deleted while open: what was read stays
    _hits: tuple[list[int], dict[int, int], list[int]] | None = None  # matches, index, hits

    def __post_init__(self) -> None:
        self.counts = self.view.counts()
        self._load_visible()

    @property
    def title(self) -> str:
        s = self.view.session
        return s.title or s.id

    @property
    def total_lines(self) -> int:
        return self.offsets[-1] if self.offsets else 0

    def _load_visible(self) -> None:
        pairs = self.view.visible_with_heights(self.filter, PREVIEW_LINES)
        self.visible = [seq for seq, _ in pairs]
        self.heights = [self.expanded.get(seq, h) for seq, h in pairs]
        self._index = {seq: i for i, seq in enumerate(self.visible)}
        self._sum()

    def _sum(self) -> None:
        self.offsets = [0, *itertools.accumulate(self.heights)]

    # -- finding ---------------------------------------------------------------------
    def locate(self, line: int) -> tuple[int, int]:
        """(entry index, line within the entry) for a line of the whole session."""
        i = bisect.bisect_right(self.offsets, line) - 1
        return i, line - self.offsets[i]

    def index_of(self, seq: int) -> int | None:
        return self._index.get(seq)

    def entry(self, i: int) -> Entry:
        """The i-th visible entry (previews), fetched a page at a time."""
        seq = self.visible[i]
        found = self._entries.get(seq)
        if found is None:
            for e in self.view.window(seq, PAGE, self.filter):
                self._entries[e.seq] = e
            while len(self._entries) > 8 * PAGE:
                self._entries.popitem(last=False)
            found = self._entries[seq]
        return found

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
        self.position.scroll_y = self.offsets[top]
        sel = self._index.get(selected_seq)
        self.position.selected = sel if sel is not None else top

    def set_expanded(self, seq: int, height: int | None) -> None:
        """Expand an entry to `height` lines, or collapse it (None)."""
        i = self._index.get(seq)
        if height is None:
            self.expanded.pop(seq, None)
        else:
            self.expanded[seq] = height
        if i is not None:
            self.heights[i] = height if height is not None else self.collapsed_height(i)
            self._sum()

    def collapsed_height(self, i: int) -> int:
        entry = self.entry(i)
        if entry.kind is Kind.TOOL_CALL:
            return 2
        return 1 + min(PREVIEW_LINES, entry.text.count("\n") + 1)

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
            cached = (matches, index, [i for seq in matches if (i := index.get(seq)) is not None])
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
        return parts

    # -- growing ----------------------------------------------------------------------
    def reload(self) -> None:
        """Entries were appended or the view rebuilt: counts, visible entries and heights
        again, keeping the top entry and the selection where they were."""
        self.counts = self.view.counts()
        self._entries.clear()
        self.strips.clear()
        self.set_filter(self.filter)

    def caught_up(self, change: str) -> None:
        """The view read what was written to its file since: `appended` entries, or
        `rebuilt` (the file was rewritten: entry numbers changed, so expansions and the
        search go)."""
        if change == "rebuilt":
            self.expanded.clear()
            self.expanded_lines.clear()
            self.finding = None
            self.new_entries = 0
        self.reload()
        if self.finding is not None:  # the new entries may match the search
            self.finding.matches = self.view.matching(self.finding.query)
            self.finding.match_set = frozenset(self.finding.matches)

    def index_for(self, wanted: str) -> int | None:
        """The visible entry a person means by `wanted`: a number as the status bar counts
        (`12` of `12/340`), or a time of day (`14:05`, `14:05:30`; the first entry at or
        after it, as the headers show times). None when there is none."""
        if wanted.isdigit():
            n = int(wanted)
            return n - 1 if 1 <= n <= len(self.visible) else None
        if not _TIME.fullmatch(wanted):
            return None
        hours, minutes, *seconds = wanted.split(":")
        target = f"{int(hours):02d}:{minutes}:{seconds[0] if seconds else '00'}"
        for i in range(len(self.visible)):
            if (self.entry(i).timestamp or "")[11:19] >= target:
                return i
        return None

    def next_of_kind(self, kind: Kind, step: int) -> int | None:
        """The index of the next (step 1) or previous (step -1) entry of a kind."""
        i = self.position.selected + step
        while 0 <= i < len(self.visible):
            if self.entry(i).kind is kind:
                return i
            i += step
        return None
