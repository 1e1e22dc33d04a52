"""Statistics over the catalog: per day, per project, per model, per tool, and per session.

Everything comes from the catalog's facts (no session file is read): tokens per day and
model are recorded there per file (deduplicated as the format doc says), so a stats
screen over years of history is a few small queries. `sessions-tui stats --json` prints
the same dictionaries the stats screen draws.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from sessions_tui.model import Kind, Session
from sessions_tui.pricing import PRICES_AS_OF, cost, price_of
from sessions_tui.store.list_query import seconds_between

TOKEN_KEYS = ("input", "output", "cache_read", "cache_creation")
# The part of `cache_creation` written to the one-hour cache (priced higher): reported
# beside the totals, never added to them.
ONE_HOUR = "cache_creation_1h"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which sessions: a project (part of its path), and days `since`/`until` (ISO dates)."""

    project: str | None = None
    since: str | None = None
    until: str | None = None

    def describe(self) -> str:
        parts = [f"project {self.project}" if self.project else "all projects"]
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        return " · ".join(parts)


def _where(
    scope: Scope, day_column: str, project_column: str = "cwd"
) -> tuple[str, dict[str, object]]:
    clauses = ["true"]
    params: dict[str, object] = {}
    if scope.project:
        clauses.append(f"contains(lower(coalesce({project_column}, '')), lower($project))")
        params["project"] = scope.project
    if scope.since:
        clauses.append(f"{day_column} >= $since")
        params["since"] = scope.since[:10]
    if scope.until:
        clauses.append(f"{day_column} <= $until")
        params["until"] = scope.until[:10]
    return " AND ".join(clauses), params


def _rows(cur: duckdb.DuckDBPyConnection, query: str, params: dict[str, object]) -> list[Any]:
    return cur.execute(query, params).fetchall()


def overview(
    con: duckdb.DuckDBPyConnection, scope: Scope = Scope(), top: int = 10
) -> dict[str, Any]:
    """The numbers of the stats screen for `scope` (JSON-ready)."""
    cur = con.cursor()
    try:
        return _overview(cur, scope, top)
    finally:
        cur.close()


def _overview(cur: duckdb.DuckDBPyConnection, scope: Scope, top: int) -> dict[str, Any]:
    # Sessions as listed (orphan subagents included); files for tokens and tools.
    where, params = _where(scope, "left(started, 10)", "project")
    main = f"FROM sessions WHERE {where}"
    fwhere, _ = _where(scope, "left(started, 10)")
    (n, entries, tool_calls, errors, prompts) = _rows(
        cur,
        f"SELECT count(*), coalesce(sum(entries), 0), coalesce(sum(tool_calls), 0), "
        f"coalesce(sum(errors), 0), coalesce(sum(n_prompt), 0) {main}",
        params,
    )[0]
    per_day_sessions = dict(
        _rows(
            cur,
            f"SELECT left(started, 10) AS d, count(*) {main} AND d IS NOT NULL GROUP BY d",
            params,
        )
    )
    # Tokens by the day they were spent (usage rows), for every file in scope.
    uwhere, uparams = _where(scope, "u.day")
    usage = _rows(
        cur,
        "SELECT u.day, u.model, sum(u.input), sum(u.output), sum(u.cache_read), "
        "sum(u.cache_creation), coalesce(sum(u.cache_creation_1h), 0), sum(u.turns) "
        f"FROM (SELECT cwd, unnest(usage) AS u FROM files) WHERE {uwhere} "
        "GROUP BY ALL ORDER BY 1, 2",
        uparams,
    )
    days: dict[str, dict[str, Any]] = {}
    models: dict[str, dict[str, Any]] = {}
    for day, model, i, o, cr, cc, cc1h, turns in usage:
        spent = cost(model, i, o, cr, cc, cc1h)
        d = days.setdefault(day or "?", _zero_day())
        m = models.setdefault(
            model or "?",
            {
                "model": model or "?",
                "turns": 0,
                "cost": None if spent is None else 0.0,
                **dict.fromkeys((*TOKEN_KEYS, ONE_HOUR), 0),
            },
        )
        for key, value in zip((*TOKEN_KEYS, ONE_HOUR), (i, o, cr, cc, cc1h), strict=True):
            d[key] += int(value)
            m[key] += int(value)
        d["tokens"] += int(i + o + cr + cc)
        m["turns"] += int(turns)
        if spent is not None:
            d["cost"] += spent
            m["cost"] += spent
    for day, count in per_day_sessions.items():
        days.setdefault(day, _zero_day())["sessions"] = int(count)
    for m in models.values():
        priced = price_of(m["model"])
        m["priced_as"] = priced.listed_as
        m["approximate"] = priced.approximate
    projects = _rows(
        cur,
        f"SELECT project, count(*), sum(entries), sum(t_input + t_output + t_cache_read + "
        f"t_cache_creation + sub_input + sub_output + sub_cache_read + sub_cache_creation) "
        f"{main} GROUP BY project ORDER BY 2 DESC, 1 LIMIT {int(top)}",
        params,
    )
    tool_rows = _rows(
        cur,
        f"SELECT k, sum(v) FROM (SELECT unnest(map_keys(tools)) AS k, "
        f"unnest(map_values(tools)) AS v FROM files WHERE {fwhere}) GROUP BY k ORDER BY 2 DESC, 1",
        params,
    )
    longest = _rows(
        cur,
        "SELECT id, title, project, started, ended, entries, date_diff('second', "
        "try_cast(left(started, 19) AS TIMESTAMP), try_cast(left(ended, 19) AS TIMESTAMP)) AS s "
        f"{main} AND s IS NOT NULL ORDER BY s DESC, id LIMIT {int(top)}",
        params,
    )
    totals = {k: sum(d[k] for d in days.values()) for k in (*TOKEN_KEYS, ONE_HOUR)}
    known = [m["cost"] for m in models.values() if m["cost"] is not None]
    return {
        "scope": scope.describe(),
        "sessions": int(n),
        "prompts": int(prompts),
        "entries": int(entries),
        "tool_calls": int(tool_calls),
        "errors": int(errors),
        "error_rate": round(errors / tool_calls, 4) if tool_calls else 0.0,
        "tokens": totals,
        "cost": round(sum(known), 2),
        "unpriced_models": sorted(m["model"] for m in models.values() if m["cost"] is None),
        "prices_as_of": PRICES_AS_OF,
        "per_day": _fill_days(days),
        "projects": [
            {"project": p, "sessions": int(c), "entries": int(e or 0), "tokens": int(t or 0)}
            for p, c, e, t in projects
        ],
        "tools": {k: int(v) for k, v in tool_rows},
        "models": sorted(
            (
                {**m, "cost": None if m["cost"] is None else round(m["cost"], 4)}
                for m in models.values()
            ),
            key=lambda m: -sum(m[k] for k in TOKEN_KEYS),
        ),
        "longest": [
            {
                "id": i,
                "title": t,
                "project": p,
                "started": s,
                "ended": e,
                "entries": int(n or 0),
                "seconds": int(sec),
            }
            for i, t, p, s, e, n, sec in longest
        ],
    }


def _zero_day() -> dict[str, Any]:
    return {"sessions": 0, "tokens": 0, "cost": 0.0, **dict.fromkeys((*TOKEN_KEYS, ONE_HOUR), 0)}


def _fill_days(days: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Days in order with the missing ones as zeros (a plot needs the gaps)."""
    known = sorted(d for d in days if len(d) == 10 and d[4] == "-")
    out: list[dict[str, Any]] = []
    if known:
        first: date | None = None
        last: date | None = None
        with contextlib.suppress(ValueError):
            first, last = date.fromisoformat(known[0]), date.fromisoformat(known[-1])
        if first and last and (last - first).days <= 3660:
            day = first
            while day <= last:
                key = day.isoformat()
                out.append({"day": key, **days.get(key, _zero_day())})
                day += timedelta(days=1)
            return [{**d, "cost": round(d["cost"], 4)} for d in out]
    return [{"day": k, **days[k], "cost": round(days[k]["cost"], 4)} for k in known]


def session_stats(con: duckdb.DuckDBPyConnection, session: Session) -> dict[str, Any]:
    """Tokens, estimated cost by model, tools, duration and turns of one session
    (its subagents included)."""
    paths = [str(session.path), *(str(p) for p in session.subagent_paths)]
    cur = con.cursor()
    try:
        usage = _rows(
            cur,
            "SELECT u.model, sum(u.input), sum(u.output), sum(u.cache_read), "
            "sum(u.cache_creation), coalesce(sum(u.cache_creation_1h), 0), sum(u.turns) "
            "FROM (SELECT unnest(usage) AS u FROM "
            "catalog_files WHERE list_contains($p, path)) GROUP BY 1 ORDER BY 1",
            {"p": paths},
        )
        tools: Counter[str] = Counter()
        for (m,) in _rows(
            cur, "SELECT tools FROM catalog_files WHERE list_contains($p, path)", {"p": paths}
        ):
            tools.update({k: int(v) for k, v in (m or {}).items()})
    finally:
        cur.close()
    models: list[dict[str, Any]] = []
    for model, i, o, cr, cc, cc1h, turns in usage:
        priced = price_of(model)
        spent = cost(model, i, o, cr, cc, cc1h)
        models.append(
            {
                "model": model or "?",
                "input": int(i),
                "output": int(o),
                "cache_read": int(cr),
                "cache_creation": int(cc),
                ONE_HOUR: int(cc1h),
                "turns": int(turns),
                "cost": None if spent is None else round(spent, 4),
                "priced_as": priced.listed_as,
                "approximate": priced.approximate,
            }
        )
    seconds = seconds_between(session.started, session.ended)
    return {
        "id": session.id,
        "title": session.title,
        "tokens": {k: sum(m[k] for m in models) for k in (*TOKEN_KEYS, ONE_HOUR)},
        "models": models,
        "cost": round(sum(m["cost"] for m in models if m["cost"] is not None), 4),
        "prices_as_of": PRICES_AS_OF,
        "tools": dict(tools.most_common()),
        "seconds": seconds,
        "turns": session.kind_counts.get(Kind.PROMPT.value, 0),
        "entries": session.entries,
        "errors": session.errors,
        "subagents": session.subagents,
    }
