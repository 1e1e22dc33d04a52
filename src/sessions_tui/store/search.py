"""Searching text: the query language, in-session search and search across every session.

A query is plain text (every word must occur; case-insensitive unless it has a capital)
or, with `regex`, an RE2 regular expression (DuckDB's engine). Both become RE2 patterns
matched with `regexp_matches`, which beat `ILIKE` 120 ms to 280 ms over 712 MB of text.

Ranking, best first: the exact phrase above all-words-somewhere; a hit in a prompt or in
a session whose title matches above one in assistant text, above thinking and tool
calls, above tool output; then newer above older.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from sessions_tui.model import Kind, Session
from sessions_tui.profile import PROFILER
from sessions_tui.store.search_index import SearchIndex
from sessions_tui.store.search_query import Query
from sessions_tui.text import printable
from sessions_tui.tools import flat_fields, summary_of, tool_input

__all__ = ["Hit", "Query", "Results", "SearchError", "SessionHits", "check", "search_all"]


class SearchError(ValueError):
    """A query that cannot run (an invalid regular expression): its message says why."""


def check(cur: duckdb.DuckDBPyConnection, query: Query) -> None:
    """Raise SearchError if the query cannot run: nothing to look for, a term not
    understood, a pattern that does not compile."""
    if query.terms.problems:
        raise SearchError("not understood: " + "; ".join(query.terms.problems))
    if not query.patterns() and not query.narrows:
        raise SearchError("type something to search for")
    for pattern in query.patterns() + query.exclusions():
        try:
            cur.execute("SELECT regexp_matches('', ?)", [pattern]).fetchall()
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0].split(": ", 1)[-1].replace("(?i)", "")
            raise SearchError(f"invalid regular expression: {reason}") from None


# -- in a session ---------------------------------------------------------------------------
def matching_seqs(cur: duckdb.DuckDBPyConnection, table: str, query: Query) -> list[int]:
    """The seqs of a session view's entries that match, in order (`table`: the view's).
    (`project:` terms are for choosing sessions: inside one they say nothing.)"""
    where, params = query.where("ts")
    sql = f"SELECT seq FROM {table} WHERE {where} ORDER BY seq"
    with PROFILER.measure("search", sql):
        rows = cur.execute(sql, params).fetchall()
    return [int(r[0]) for r in rows]


# -- across sessions --------------------------------------------------------------------------
@dataclass(slots=True, eq=False)
class Hit:
    """One matching entry: where it is, and (made when first asked for: most hits are
    never shown) a snippet with the match's spans."""

    session: Session
    path: str  # the file holding the entry (a subagent's file, maybe)
    n: int  # the entry's number in its file, in file order
    kind: Kind
    tool: str | None
    timestamp: str | None
    score: float = 0.0
    # what the snippet is made from: text around the first match, whether text was left
    # out before it, a tool call's input (None for other entries), the match's pattern
    excerpt: tuple[str, bool, str | None, re.Pattern[str] | None] = ("", False, None, None)
    _made: tuple[str, tuple[tuple[int, int], ...]] | None = field(default=None, repr=False)

    @property
    def snippet(self) -> str:
        return self._snippet()[0]

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self._snippet()[1]

    def _snippet(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        if self._made is None:
            self._made = _snippet_of(*self.excerpt)
        return self._made


@dataclass(slots=True)
class SessionHits:
    """A session's best hits (best first) and how many of its entries match."""

    session: Session
    hits: list[Hit]
    count: int

    @property
    def best(self) -> Hit:
        return self.hits[0]

    @property
    def score(self) -> float:
        """Its best hit's, and a little more the more entries match."""
        return self.best.score + 0.5 * math.log10(1 + self.count)

    @property
    def newest(self) -> str:
        return max((h.timestamp or "" for h in self.hits), default="")


@dataclass(slots=True)
class Results:
    """Sessions with hits so far (best first), and how many entries matched in all."""

    sessions: list[SessionHits] = field(default_factory=list)
    matched: int = 0
    chunks_done: int = 0
    chunks_total: int = 0
    order: str = "rank"
    limit: int = 500

    @property
    def hits(self) -> list[Hit]:
        """Every hit kept, best (or newest) first, at most `limit`."""
        return ordered([h for s in self.sessions for h in s.hits], self.order, self.limit)

    def add(self, found: Sequence[SessionHits], matched: int, per_session: int) -> None:
        """Merge hits from more of the index (other files: counts add up)."""
        by_id = {s.session.id: s for s in self.sessions}
        for new in found:
            old = by_id.get(new.session.id)
            if old is None:
                by_id[new.session.id] = new
            else:
                old.hits = ordered(old.hits + new.hits, self.order, per_session)
                old.count += new.count
        self.sessions = ordered_sessions(list(by_id.values()), self.order)[: self.limit]
        self.matched += matched


def ordered_sessions(found: list[SessionHits], order: str) -> list[SessionHits]:
    out = sorted(found, key=lambda s: s.newest, reverse=True)
    if order == "rank":  # stable: equal scores stay newest first
        out.sort(key=lambda s: s.score, reverse=True)
    return out


def ordered(hits: list[Hit], order: str, limit: int) -> list[Hit]:
    """Hits best first (or newest first), at most `limit` of them."""
    out = sorted(hits, key=lambda h: (h.timestamp or "", h.n), reverse=True)
    if order == "rank":  # stable: equal scores stay newest first
        out.sort(key=lambda h: h.score, reverse=True)
    return out[:limit]


def _owners(sessions: Sequence[Session], query: Query) -> dict[str, Session]:
    owners: dict[str, Session] = {}
    for s in sessions:
        if not query.in_project(s.project):
            continue
        owners[str(s.path)] = s
        for p in s.subagent_paths:
            owners[str(p)] = s
    return owners


_KIND_WEIGHT = (
    "CASE kind WHEN 'prompt' THEN 4 WHEN 'assistant' THEN 3 WHEN 'thinking' THEN 2 "
    "WHEN 'tool_call' THEN 2 WHEN 'error' THEN 1 ELSE 0 END"
)
PER_SESSION = 10  # hits kept for each session (a row opened shows them)


def search_all(
    cur: duckdb.DuckDBPyConnection,
    index: SearchIndex,
    sessions: Sequence[Session],
    query: Query,
    chunks: Sequence[int] | None = None,
    per_session: int = PER_SESSION,
) -> Iterator[Results]:
    """Search the index, newest chunks first, yielding the merged results after each part:
    at most `query.limit` sessions, each with its `per_session` best hits.

    `chunks` limits the search to those chunks (the ones an index update just wrote).
    """
    check(cur, query)
    owners = _owners(sessions, query)
    narrowed = len(owners) < sum(1 + len(s.subagent_paths) for s in sessions)
    matcher = query.highlighter()
    titled = [p for p, s in owners.items() if s.title and query.title_hit(s.title, matcher)]
    with index.using():  # the file is let go when the search is done
        order = chunks if chunks is not None else index.chunks_newest_first(cur)
        results = Results(chunks_total=len(order), order=query.order, limit=query.limit)
        where, params = query.where()
        for lo, hi, inside, count in _parts(order):
            sql_text, values = _hits_sql(
                query, where, params, narrowed, list(owners), titled, inside
            )
            values.update(lo=lo, hi=hi, per_file=per_session, files=query.limit)
            with PROFILER.measure("search", sql_text):
                rows = cur.execute(sql_text, values).fetchall()
            found: dict[str, SessionHits] = {}
            counted: set[str] = set()
            for path, in_file, n, kind, tool, ts, excerpt, left, call, score, _ in rows:
                session = owners.get(path)
                if session is None:
                    continue
                group = found.setdefault(session.id, SessionHits(session, [], 0))
                if path not in counted:  # a session's subagents are files of their own
                    counted.add(path)
                    group.count += int(in_file)
                excerpt_of = (excerpt or "", bool(left), call, matcher)
                group.hits.append(Hit(session, path, int(n), Kind(kind), tool, ts, float(score),
                                      excerpt_of))  # fmt: skip
            for group in found.values():
                group.hits = ordered(group.hits, query.order, per_session)
            results.add(list(found.values()), int(rows[0][-1]) if rows else 0, per_session)
            results.chunks_done += count
            yield results
        if not order:
            yield results  # an empty index (still being built) answers too: nothing yet


def _hits_sql(
    query: Query,
    where: str,
    params: dict[str, object],
    narrowed: bool,
    paths: list[str],
    titled: list[str],
    inside: bool,
) -> tuple[str, dict[str, object]]:
    """The query for one part of the index: each file's best hits (its count beside
    them), the files ranked by their best, a wide excerpt around each hit's first match.

    The matches are materialised without their text (excerpts only); each file's best
    come from `max_by(…, n)` in a GROUP BY: window functions (row_number, count and max
    over the file) made the same query 3× slower (101 ms against 35 on 5,645 matches)."""
    values: dict[str, object] = dict(params)
    phrase = query.phrase()
    patterns = query.patterns()
    exact = "regexp_matches(text, $phrase)" if phrase else "true"
    if phrase:
        values["phrase"] = phrase
    if patterns:
        values["first"] = patterns[0]
        first = "CASE WHEN exact THEN $phrase ELSE $first END" if phrase else "$first"
        pos = f"coalesce(nullif(instr(text, regexp_extract(text, {first})), 0), 1)"
    else:
        pos = "1"
    if narrowed:
        values["paths"] = paths
    best = "score" if query.order == "rank" else "coalesce(timestamp, '')"
    # Plain ranges on `chunk`, which the scan applies itself (skipping row groups, and the
    # text of every row they leave out): `(chunk BETWEEN …) = $inside` was a filter on top,
    # and the zstd text of the whole index was read for each part (100 ms against 56).
    part = "chunk BETWEEN $lo AND $hi" if inside else "(chunk < $lo OR chunk > $hi)"
    sql_text = f"""
        WITH m AS MATERIALIZED (
            SELECT path, n, kind, tool, timestamp, exact,
                substr(text, greatest(1, first_at - $ex_before), $ex_chars) AS excerpt,
                first_at - $ex_before > 1 AS cut_left,
                CASE WHEN kind = 'tool_call' THEN left(text, {CALL_CHARS}) END AS call
            FROM (
                SELECT *, {exact} AS exact FROM search.docs
                WHERE {part} AND {where}
                  {"AND list_contains($paths, path)" if narrowed else ""}
            ), LATERAL (SELECT {pos} AS first_at)
        ),
        s AS (
            SELECT path, n, timestamp, (CASE WHEN exact THEN 8 ELSE 0 END) + {_KIND_WEIGHT}
                + (CASE WHEN list_contains($titled, path) THEN 3 ELSE 0 END)
                + 2 * greatest(0, 1 - coalesce(date_diff('day',
                    try_cast(left(timestamp, 19) AS TIMESTAMP), $now::TIMESTAMP), 3650) / 365.0)
                  AS score
            FROM m
        ),
        f AS (
            SELECT path, count(*) AS in_file, max({best}) AS file_best,
                max_by({{'n': n, 'score': score}}, ({best}, n), $per_file) AS top
            FROM s GROUP BY path ORDER BY file_best DESC, path LIMIT $files
        ),
        picked AS (SELECT path, in_file, file_best, unnest(top, recursive := true) FROM f)
        SELECT path, in_file, n, kind, tool, timestamp, excerpt, cut_left, call,
            score, (SELECT count(*) FROM m) AS matched
        FROM picked JOIN m USING (path, n) ORDER BY file_best DESC, path
    """
    values.update(titled=titled, now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                  ex_before=EXCERPT_BEFORE, ex_chars=EXCERPT_CHARS)  # fmt: skip
    return sql_text, values


def _parts(order: Sequence[int]) -> list[tuple[int, int, bool, int]]:
    """The chunks in two parts, as (low, high, inside, count): the newest run first (about
    an eighth of the index, for quick first results), then everything else.

    Ranges let DuckDB skip row groups by their min/max; each part costs a scan of its
    share of the text, and more parts only add per-query overhead (measured: 13 parts
    0.36 s, one part 0.14 s on 712 MB of text).
    """
    if not order:
        return []
    run = [order[0]]
    for chunk in order[1 : max(1, len(order) // 8)]:
        if abs(chunk - run[-1]) != 1:
            break
        run.append(chunk)
    lo, hi = min(run), max(run)
    parts = [(lo, hi, True, len(run))]
    if len(run) < len(order):
        parts.append((lo, hi, False, len(order) - len(run)))
    return parts


# -- snippets ---------------------------------------------------------------------------------
EXCERPT_BEFORE = 150  # characters of an entry's text read before its first match…
EXCERPT_CHARS = 450  # …and in all; the snippet is cut from there
CALL_CHARS = 4000  # of a tool call's input, to say it as the reader does
SNIPPET_WIDTH = 160


def _snippet_of(
    text: str, left: bool, call: str | None, matcher: re.Pattern[str] | None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    right = len(text) >= EXCERPT_CHARS  # (the text may end right there: rarely)
    if call is not None:  # a tool call: what the reader shows (`$ pytest -x`), if it matches
        fields = tool_input(call)
        said = summary_of(fields, "")
        shown = said if said and (matcher is None or matcher.search(said)) else flat_fields(fields)
        if shown and (matcher is None or matcher.search(shown)):
            text, left, right = shown, False, False
    return snippet_around(text, matcher, left, right)


def snippet_around(
    text: str,
    matcher: re.Pattern[str] | None,
    cut_left: bool = False,
    cut_right: bool = False,
    width: int = SNIPPET_WIDTH,
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`width` characters of `text` on one line, the first match in the middle, starting
    and ending on whole words (`…` where text is left out), with the matches' spans."""
    flat = " ".join(printable(text).split())
    found = matcher.search(flat) if matcher else None
    start, end = (found.start(), found.end()) if found else (0, 0)
    lo = max(0, min(start - (width - (end - start)) // 2, len(flat) - width))
    if lo > 0:
        space = flat.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    hi = min(len(flat), lo + width)
    if hi < len(flat):
        space = flat.rfind(" ", max(end, lo + 1), hi + 1)
        hi = space if space != -1 else hi
    snippet = flat[lo:hi]
    before = "… " if lo > 0 or cut_left else ""
    after = " …" if hi < len(flat) or cut_right else ""
    shown = before + snippet + after
    spans = (
        tuple(m.span() for m in matcher.finditer(shown) if m.end() > m.start()) if matcher else ()
    )
    return shown, spans
