"""The list's query syntax (words, phrases, exclusions, fields, dates) and its orders."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sessions_tui.model import Role, Session, Source, Tokens
from sessions_tui.store.list_query import date_span, ordered, parse

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def _session(sid: str, title: str, **kw: object) -> Session:
    base = Session(
        id=sid, source=Source.CLAUDE, role=Role.MAIN, path=Path(f"/h/{sid}.jsonl"),
        project="/home/me/api", git_branch="main", title=title,
        started="2025-09-14T10:00:00Z", ended="2025-09-14T11:30:00Z", size=1, mtime_ns=1,
        records=1, malformed_lines=0, entries=10, tool_calls=0, errors=0, subagents=0,
        models=("claude-opus-4-1",), tokens=Tokens(100), subagent_tokens=Tokens(),
    )  # fmt: skip
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


AUTH = _session("fa040d56-aaaa", "Fix the auth bug", errors=2, tools={"Bash": 3, "Edit": 1},
                tool_calls=4, cost=1.5)  # fmt: skip
DOCS = _session("0b1c2d3e-bbbb", "Write the docs", project="/home/me/web", git_branch="docs",
                models=("claude-sonnet-4-5",), started="2026-11-27T09:00:00Z",
                ended="2026-11-27T09:30:00Z", entries=40, tokens=Tokens(5000),
                cost=0.2)  # fmt: skip
OLD = _session("77777777-cccc", "Draft: auth notes", project="/home/me/api", started=None,
               ended="2026-11-26T20:00:00Z", entries=3, tokens=Tokens(9), cost=None)  # fmt: skip
ALL = [AUTH, DOCS, OLD]


def found(text: str) -> list[str]:
    return [s.id[:4] for s in parse(text, NOW).filter(ALL)]


def test_words_phrases_and_exclusions() -> None:
    assert found("") == ["fa04", "0b1c", "7777"]
    assert found("AUTH") == ["fa04", "7777"]  # any case, title
    assert found("auth -draft") == ["fa04"]
    assert found('"the auth"') == ["fa04"]  # a phrase, not two words
    assert found("the auth") == ["fa04"]  # words: both, anywhere
    assert found("web") == ["0b1c"]  # the project
    assert found("docs sonnet") == ["0b1c"]  # branch and model
    assert found("fa040d") == ["fa04"] and found("0d56") == []  # an id by its start only
    assert found('"fix the') == ["fa04"]  # an unclosed quote runs to the end


def test_fields() -> None:
    assert found("project:api") == ["fa04", "7777"]
    assert found("-project:api") == ["0b1c"]
    assert found('project:"me/web"') == ["0b1c"]
    assert found("model:opus") == ["fa04", "7777"] and found("model:SONNET") == ["0b1c"]
    assert found("tool:bash") == ["fa04"] and found("branch:docs") == ["0b1c"]
    assert found("id:0b1") == ["0b1c"]
    assert found("has:errors") == ["fa04"] and found("-has:errors") == ["0b1c", "7777"]
    assert found("http://x") == [] and parse("foo:bar", NOW).terms[0].field == "text"
    query = parse("has:wings auth", NOW)  # said, and the rest still applies
    assert query.problems and "has:wings" in query.problems[0]
    assert [s.id[:4] for s in query.filter(ALL)] == ["fa04", "7777"]


def test_dates_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        assert found("2025-09") == ["fa04"] and found("2025-09-14") == ["fa04"]
        assert found("2025-09-15") == [] and found("2025-10") == []
        assert found("today") == ["0b1c"] and found("yesterday") == ["7777"]
        assert found("7d") == ["0b1c", "7777"] and found("12h") == ["0b1c"]
        assert found("after:2026-11-27") == ["0b1c"] and found("before:2026-01") == ["fa04"]
        assert found('"2025-09"') == []  # quoted: a phrase, not a date
        for bad in ("2025-13", "2025-02-30", "99999w"):
            parse(bad, NOW)  # no error: a word, or since the beginning
        assert parse("after:someday", NOW).problems
        monkeypatch.setenv("TZ", "Pacific/Auckland")  # UTC+13: 20:00Z is 09:00 the next day
        time.tzset()
        start, end = date_span("2026-11-27", NOW) or (NOW, NOW)
        assert start.utcoffset() is not None and (end - start).total_seconds() == 86_400
        assert found("2026-11-27") == ["0b1c", "7777"] and found("2026-11-26") == []
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_orders() -> None:
    def ids(sort: str, reverse: bool = False) -> list[str]:
        return [s.id[:4] for s in ordered(ALL, sort, reverse)]

    assert ids("activity") == ["0b1c", "7777", "fa04"]
    assert ids("activity", reverse=True) == ["fa04", "7777", "0b1c"]
    assert ids("started") == ["0b1c", "7777", "fa04"]  # no start: its last change stands in
    assert ids("tokens") == ["0b1c", "fa04", "7777"]
    assert ids("cost") == ["fa04", "0b1c", "7777"]  # no price: last
    assert ids("entries") == ["0b1c", "fa04", "7777"]
    assert ids("errors") == ["fa04", "0b1c", "7777"]  # ties: newest activity first
    assert ids("project") == ["7777", "fa04", "0b1c"]  # api (newest first), then web


def test_cli_ls_sorts_reverses_and_filters_as_the_list_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from sessions_tui.cli.main import main
    from tests.records import assistant, user, write

    folder = tmp_path / "h" / "projects" / "-home-me-api"
    for sid, title, n, day in (("aaaa", "fix the auth bug", 1, "2025-09-14"),
                               ("bbbb", "write the docs", 5, "2025-10-02"),
                               ("cccc", "auth notes draft", 3, "2025-10-20")):  # fmt: skip
        write(folder, f"{sid}0000-0000-0000-0000-000000000000.jsonl", [
            user(title, "u0", timestamp=f"{day}T10:00:00.000Z", cwd="/home/me/api"),
            *[assistant({"type": "text", "text": "ok"}, f"m{i}", 5, f"a{i}",
                        timestamp=f"{day}T10:0{i}:01.000Z") for i in range(n)],
        ])  # fmt: skip
    root = ["--root", str(tmp_path / "h"), "--no-cache", "ls"]

    def ids(*args: str) -> list[str]:
        assert main([*root, *args, "--json"]) == 0
        return [s["id"][:4] for s in json.loads(capsys.readouterr().out)]

    assert ids() == ["cccc", "bbbb", "aaaa"]  # newest activity first
    assert ids("--sort", "entries") == ["bbbb", "cccc", "aaaa"]
    assert ids("--sort", "entries", "--reverse") == ["aaaa", "cccc", "bbbb"]
    assert ids("--filter", "auth -draft") == ["aaaa"]
    assert ids("--filter", "2025-10", "--sort", "started", "--reverse") == ["bbbb", "cccc"]
    assert main([*root, "--filter", "zebra", "--json"]) == 1  # nothing matches
    assert json.loads(capsys.readouterr().out) == []
    assert main([*root, "--filter", "has:everything"]) == 1
    assert "--filter: not understood: has:everything?" in capsys.readouterr().err
    # The table keeps every column whole, the title giving way.
    assert main([*root, "--sort", "entries"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "when", "project", "title", "entries", "tokens", "cost",
                                "err"]  # fmt: skip
    assert lines[1].startswith("bbbb0000") and "write the docs" in lines[1]
