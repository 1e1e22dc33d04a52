"""What people type to find a session in the list, and the orders the list can take.

`api auth 2025-09 has:errors -draft "fix login"`: every term must hold.

| term | holds when |
|---|---|
| a word, or `"a phrase"` | the title, project, branch or a model has it; or the id starts so |
| `-term` | the term does not hold |
| `project:api` `branch:main` `model:opus` `tool:Bash` | that field contains it |
| `id:fa04` | the id starts with it |
| `has:errors` `has:subagents` `has:tools` `has:damage` | the session has some |
| `2025-09`, `2025-09-14`, `today`, `yesterday` | active that month or day (local time) |
| `7d`, `12h`, `2w` | active in the last 7 days, 12 hours, 2 weeks |
| `after:2025-09-01` `before:2025-10` | active on or after the day (or month); before it |

A term that is none of these (`http://x`, `foo:bar`) is a word. Everything is matched
without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sessions_tui.model import Session

FIELDS = ("project", "branch", "model", "tool", "id", "has", "after", "before")
HAS = {
    "errors": lambda s: s.errors > 0,
    "subagents": lambda s: s.subagents > 0,
    "tools": lambda s: s.tool_calls > 0,
    "damage": lambda s: s.malformed_lines + s.subagent_malformed_lines > 0,
}

# a term: -not, field:, "a phrase" or a word (the search language reads the same way)
TOKEN = re.compile(r'(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_AGO = re.compile(r"(\d{1,5})([hdw])")
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
# Bounds far enough for any session and safe to compare across time zones
# (datetime.max in one zone overflows when moved to another).
_EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
_LATEST = datetime(9998, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Term:
    """One condition: `field` is "text", "date" or one of FIELDS."""

    field: str
    value: str
    negated: bool = False
    span: tuple[datetime, datetime] | None = None  # a date's range, local time made aware

    def holds(self, s: Session) -> bool:
        return self._holds(s) != self.negated

    def _holds(self, s: Session) -> bool:
        v = self.value
        if self.field == "text":
            return s.id.lower().startswith(v) or any(v in f for f in _text_fields(s))
        if self.field == "project":
            return v in (s.project or "").lower()
        if self.field == "branch":
            return v in (s.git_branch or "").lower()
        if self.field == "model":
            return any(v in m.lower() for m in s.models)
        if self.field == "tool":
            return any(v in t.lower() for t in s.tools)
        if self.field == "id":
            return s.id.lower().startswith(v)
        if self.field == "has":
            return bool(HAS[v](s))
        assert self.span is not None
        first, last = active(s)
        if first is None or last is None:
            return False
        start, end = self.span
        return first < end and last >= start


@dataclass(frozen=True, slots=True)
class ListQuery:
    terms: tuple[Term, ...] = ()
    problems: tuple[str, ...] = ()  # what was not understood, said to the person

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, s: Session) -> bool:
        return all(t.holds(s) for t in self.terms)

    def filter(self, sessions: Iterable[Session]) -> list[Session]:
        return [s for s in sessions if self.matches(s)] if self.terms else list(sessions)


def parse(text: str, now: datetime) -> ListQuery:
    """The terms of `text`; `now` (aware) anchors `today` and `7d`."""
    terms: list[Term] = []
    problems: list[str] = []
    for m in TOKEN.finditer(text):
        negated, field, quoted, bare = m.group(1) == "-", (m.group(2) or "").lower(), *m.group(3, 4)
        value = quoted if quoted is not None else bare
        if field and field not in FIELDS:  # `foo:bar` is a word, `http://x` too
            value, field = m.group(0).lstrip("-"), ""
        if not value:
            continue
        term = _term(field, value, negated, now, quoted is not None, problems)
        if term is not None:
            terms.append(term)
    return ListQuery(tuple(terms), tuple(problems))


def _term(
    field: str, value: str, negated: bool, now: datetime, quoted: bool, problems: list[str]
) -> Term | None:
    low = value.lower()
    if field == "has":
        if low not in HAS:
            problems.append(f"has:{value}? (has:{', has:'.join(HAS)})")
            return None
        return Term("has", low, negated)
    if field in ("after", "before"):
        span = date_span(low, now)
        if span is None:
            problems.append(f"{field}:{value}? (a date: 2025-09-14, 2025-09, today, 7d)")
            return None
        bound = (span[0], _LATEST) if field == "after" else (_EARLIEST, span[0])
        return Term("date", f"{field}:{low}", negated, bound)
    if field:
        return Term(field, low, negated)
    span = None if quoted else date_span(low, now)
    if span is not None:
        return Term("date", low, negated, span)
    return Term("text", low, negated)


def date_span(text: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The range a date term names, in `now`'s time zone, or None if it names none."""
    local = now.astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "today":
        return midnight, midnight + timedelta(days=1)
    if text == "yesterday":
        return midnight - timedelta(days=1), midnight
    try:
        if m := _DAY.fullmatch(text):
            day = midnight.replace(year=int(m[1]), month=int(m[2]), day=int(m[3]))
            return day, _next_day(day)
        if m := _MONTH.fullmatch(text):
            first = midnight.replace(year=int(m[1]), month=int(m[2]), day=1)
            following = first.replace(year=first.year + first.month // 12,
                                      month=first.month % 12 + 1)  # fmt: skip
            return first, following
    except ValueError:  # 2025-13, 2025-02-30
        return None
    if m := _AGO.fullmatch(text):
        try:
            return local - int(m[1]) * _UNIT[m[2]], _LATEST
        except OverflowError:  # 99999w: since the beginning
            return _EARLIEST, _LATEST
    return None


def _next_day(day: datetime) -> datetime:
    return (day + timedelta(days=1, hours=3)).replace(hour=0)  # a DST day is 23 or 25 h


def _text_fields(s: Session) -> list[str]:
    return [(s.title or "").lower(), (s.project or "").lower(), (s.git_branch or "").lower(),
            *(m.lower() for m in s.models)]  # fmt: skip


@lru_cache(maxsize=65_536)
def when(iso: str | None) -> datetime | None:
    """An ISO time from a session file, aware (UTC when it says no zone), or None."""
    if not iso:
        return None
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=datetime.now().astimezone().tzinfo)


def seconds_between(start: str | None, end: str | None) -> int | None:
    """Seconds from one ISO time to another (None if either is missing or unreadable)."""
    first, last = when(start), when(end)
    return None if first is None or last is None else int((last - first).total_seconds())


def active(s: Session) -> tuple[datetime | None, datetime | None]:
    """When a session began and last changed (either stands for both when one is missing)."""
    first, last = when(s.started), when(s.ended)
    return first or last, last or first


# -- orders -----------------------------------------------------------------------------
SORTS: dict[str, tuple[str, Callable[[Session], Any]]] = {
    # name: (how the header says it, the key, largest or newest first)
    "activity": ("last activity", lambda s: s.ended or s.started or ""),
    "started": ("started", lambda s: s.started or s.ended or ""),
    "tokens": ("tokens", lambda s: s.tokens.total + s.subagent_tokens.total),
    "cost": ("cost", lambda s: s.cost if s.cost is not None else -1.0),
    "entries": ("entries", lambda s: s.entries),
    "errors": ("errors", lambda s: s.errors),
    "project": ("project", lambda s: (s.project or "\uffff").lower()),
}
ASCENDING = {"project"}  # A→Z first; every other order puts the largest or newest first


def ordered(
    sessions: Iterable[Session], sort: str = "activity", reverse: bool = False
) -> list[Session]:
    """Sessions in the order `sort` names (ties: newest activity first)."""
    key = SORTS[sort][1]
    out = sorted(sessions, key=SORTS["activity"][1], reverse=True)  # stable: ties by activity
    if sort != "activity":
        out.sort(key=key, reverse=sort not in ASCENDING)
    if reverse:
        out.reverse()
    return out
