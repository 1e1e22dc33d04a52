"""Search: the query language, ranking, filters, the index kept up to date, the CLI verb."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.search import Query, SearchError, check, search_all, snippet_around
from sessions_tui.store.search_query import parse_terms
from tests.records import assistant, rec, user, write

TEXT = {"type": "text"}


def reply(text: str, uuid: str, ts: str, msg: str) -> str:
    return assistant({**TEXT, "text": text}, msg, 5, uuid, timestamp=ts)


def history(root: Path) -> Path:
    """Two projects: an old session and a new one, with known words in known kinds."""
    old = root / "projects" / "-home-u-alpha"
    write(old, "aaaaaaaa-0000-0000-0000-000000000001.jsonl", [
        user("the Deploy failed with a timeout", "u1", timestamp="2025-01-01T10:00:00.000Z",
             cwd="/home/u/alpha", sessionId="aaaaaaaa-0000-0000-0000-000000000001"),
        reply("timeout budget exceeded, retrying the deploy", "a1", "2025-01-01T10:00:01.000Z",
              "m1"),
    ])  # fmt: skip
    new = root / "projects" / "-home-u-beta"
    write(new, "bbbbbbbb-0000-0000-0000-000000000002.jsonl", [
        rec("custom-title", customTitle="Deploy timeout investigation",
            sessionId="bbbbbbbb-0000-0000-0000-000000000002"),
        user("why does the deploy time out?", "u2", timestamp="2026-11-01T10:00:00.000Z",
             cwd="/home/u/beta", sessionId="bbbbbbbb-0000-0000-0000-000000000002"),
        reply("the deploy hit a timeout in the health check", "a2", "2026-11-01T10:00:02.000Z",
              "m2"),
        reply("deploy logs: a (timeout) of 30s", "a3", "2026-11-01T10:00:03.000Z", "m3"),
    ])  # fmt: skip
    return root


def searched(catalog: Catalog, query: Query) -> list[tuple[str, int, str]]:
    cur = catalog.con.cursor()
    catalog.index.update(catalog.file_facts(), cur)
    results = list(search_all(cur, catalog.index, catalog.sessions(), query))
    return [(h.session.id[:1], h.n, h.kind.value) for h in results[-1].hits] if results else []


@pytest.fixture()
def catalog(tmp_path: Path) -> Catalog:
    c = Catalog(root_from_arg(str(history(tmp_path / "h"))), tmp_path / "cache")
    c.refresh()
    return c


def test_all_words_must_occur_and_the_phrase_ranks_first(catalog: Catalog) -> None:
    hits = searched(catalog, Query("deploy timeout"))
    # Every entry with both words anywhere ("why does the deploy time out?" has not both).
    # Entry 0 of b is its custom-title record, which holds the exact phrase.
    assert sorted(hits) == [("a", 0, "prompt"), ("a", 1, "assistant"), ("b", 0, "other"),
                            ("b", 2, "assistant"), ("b", 3, "assistant")]  # fmt: skip
    assert hits[0] == ("b", 0, "other")
    # Both have the phrase; the recent one in a session whose title matches comes first,
    # then the old prompt, then the words apart.
    assert searched(catalog, Query("a timeout"))[:2] == [("b", 2, "assistant"), ("a", 0, "prompt")]


def test_smart_case_and_newest_order(catalog: Catalog) -> None:
    # A capital makes the query case-sensitive: only "Deploy" itself matches.
    assert sorted(searched(catalog, Query("Deploy"))) == [("a", 0, "prompt"), ("b", 0, "other")]
    newest = searched(catalog, Query("deploy", order="newest"))
    assert [h[:2] for h in newest] == [("b", 3), ("b", 2), ("b", 1), ("b", 0), ("a", 1), ("a", 0)]


def test_regex_kinds_and_project(catalog: Catalog) -> None:
    assert searched(catalog, Query(r"\(timeout\) of \d+s", regex=True)) == [("b", 3, "assistant")]
    assert searched(catalog, Query("(timeout)")) == [("b", 3, "assistant")]  # literal parens
    only_prompts = searched(catalog, Query("deploy", kinds=frozenset({Kind.PROMPT})))
    assert {h[2] for h in only_prompts} == {"prompt"} and len(only_prompts) == 2
    assert {h[0] for h in searched(catalog, Query("deploy", project="alpha"))} == {"a"}


def test_invalid_regex_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(SearchError, match="invalid regular expression"):
        check(catalog.con.cursor(), Query("deploy(", regex=True))
    with pytest.raises(SearchError, match="type something"):
        check(catalog.con.cursor(), Query("   "))


def test_snippet_marks_the_match(catalog: Catalog) -> None:
    cur = catalog.con.cursor()
    catalog.index.update(catalog.file_facts(), cur)
    (results,) = [r for r in search_all(cur, catalog.index, catalog.sessions(), Query("health"))]
    (hit,) = results.hits
    start, end = hit.spans[0]
    assert hit.snippet[start:end] == "health"


def test_the_index_follows_changed_and_removed_files(tmp_path: Path) -> None:
    root = history(tmp_path / "h")
    c = Catalog(root_from_arg(str(root)), tmp_path / "cache")
    c.refresh()
    assert searched(c, Query("zebra")) == []
    beta = next((root / "projects" / "-home-u-beta").glob("*.jsonl"))
    with beta.open("a", encoding="utf-8") as f:
        f.write(reply("a zebra crossed", "a9", "2026-11-02T00:00:00.000Z", "m9") + "\n")
    c.refresh()
    assert searched(c, Query("zebra")) == [("b", 4, "assistant")]
    os.remove(beta)
    c.refresh()
    assert searched(c, Query("zebra")) == []
    assert c.index.stale(c.file_facts()) == ([], [])
    c.close()


def test_the_index_is_kept_between_runs(tmp_path: Path) -> None:
    root = history(tmp_path / "h")
    first = Catalog(root_from_arg(str(root)), tmp_path / "cache")
    first.refresh()
    assert searched(first, Query("health"))
    first.close()
    second = Catalog(root_from_arg(str(root)), tmp_path / "cache")
    second.refresh()
    assert second.index.stale(second.file_facts()) == ([], [])  # nothing to read again
    second.close()


def test_cli_search_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = history(tmp_path / "h")
    code = main(["--root", str(root), "search", "health check", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["matched"] == 1
    (hit,) = out["hits"]
    assert hit["session_id"].startswith("b") and hit["kind"] == "assistant" and hit["entry"] == 2
    assert main(["--root", str(root), "search", "nothing-like-this"]) == 1
    assert main(["--root", str(root), "search", "[a-", "--regex"]) == 1
    err = capsys.readouterr().err
    assert "invalid regular expression" in err and "Traceback" not in err


# -- the query language ---------------------------------------------------------------------
def test_the_query_language_takes_terms_apart() -> None:
    t = parse_terms('deploy "health  check" -staging -"dry run" kind:prompt kind:call '
                    "tool:Bash project:api -project:old after:2025-09 before:2025-10-02 "
                    'http://x foo:bar "-x"')  # fmt: skip
    assert t.words == ("deploy", "http://x", "foo:bar", "-x")
    assert t.phrases == ("health check",)
    assert t.excluded == ("staging", "dry run")
    assert t.kinds == frozenset({Kind.PROMPT, Kind.TOOL_CALL})
    assert (t.tools, t.projects, t.not_projects) == (("bash",), ("api",), ("old",))
    assert t.after is not None and t.after[:7] in ("2025-08", "2025-09")  # local midnight, UTC
    assert t.before is not None and t.before[:10] in ("2025-10-01", "2025-10-02")
    assert t.problems == ()
    assert parse_terms("kind:nope after:someday").problems == (
        "kind:nope? (kind:prompt, kind:assistant, kind:thinking, kind:tool_call, "
        "kind:tool_result, kind:error, kind:system, kind:other)",
        "after:someday? (a date: 2025-09-14, 2025-09, today, 7d)",
    )
    # Smart case looks at what is searched for, not at a field's value.
    assert not Query("tool:Bash deploy").case_sensitive and Query('"Deploy it"').case_sensitive
    # A regular expression is taken whole.
    assert Query('a "b" kind:x', regex=True).patterns() == ['(?i)a "b" kind:x']


def test_phrases_exclusions_and_fields_narrow_the_search(catalog: Catalog) -> None:
    # "a timeout" as words is in four entries; as a phrase in two.
    assert sorted(searched(catalog, Query('"a timeout"'))) == [("a", 0, "prompt"),
                                                              ("b", 2, "assistant")]  # fmt: skip
    assert searched(catalog, Query('"timeout a"')) == []  # the words, in another order: no
    assert sorted(searched(catalog, Query('deploy timeout -health -"(timeout)"'))) == [
        ("a", 0, "prompt"), ("a", 1, "assistant"), ("b", 0, "other")]  # fmt: skip
    assert {h[2] for h in searched(catalog, Query("deploy kind:user"))} == {"prompt"}
    assert {h[0] for h in searched(catalog, Query("deploy -project:alpha"))} == {"b"}
    assert {h[0] for h in searched(catalog, Query("deploy project:alpha"))} == {"a"}
    assert {h[0] for h in searched(catalog, Query("deploy after:2026-01"))} == {"b"}
    assert {h[0] for h in searched(catalog, Query("deploy before:2026-01"))} == {"a"}
    # Fields alone are a query: every prompt.
    assert sorted(searched(catalog, Query("kind:prompt"))) == [("a", 0, "prompt"),
                                                              ("b", 1, "prompt")]  # fmt: skip


def test_results_are_sessions_with_their_hits_and_counts(catalog: Catalog) -> None:
    cur = catalog.con.cursor()
    catalog.index.update(catalog.file_facts(), cur)
    *_, results = search_all(cur, catalog.index, catalog.sessions(), Query("deploy"), per_session=2)
    assert [(g.session.id[0], g.count, len(g.hits)) for g in results.sessions] == [
        ("b", 4, 2), ("a", 2, 2)]  # fmt: skip
    assert results.matched == 6
    best = results.sessions[0]
    assert best.hits[0].score >= best.hits[1].score


def test_tool_calls_read_as_the_reader_shows_them(tmp_path: Path) -> None:
    folder = tmp_path / "h" / "projects" / "-w"
    command = {"command": "pytest -x tests/test_auth.py", "description": "run it"}
    call = {"type": "tool_use", "id": "t1", "name": "Bash", "input": command}
    write(folder, "cccccccc-0000-0000-0000-000000000003.jsonl", [
        user("go", "u1", timestamp="2026-11-01T10:00:00.000Z"),
        assistant(call, "m1", 5, "a1", timestamp="2026-11-01T10:00:01.000Z"),
        user([{"type": "tool_result", "tool_use_id": "t1", "content": "1 passed"}], "u2",
             timestamp="2026-11-01T10:00:02.000Z"),
    ])  # fmt: skip
    c = Catalog(root_from_arg(str(tmp_path / "h")), None)
    c.refresh()
    cur = c.con.cursor()
    c.index.update(c.file_facts(), cur)
    *_, results = search_all(cur, c.index, c.sessions(), Query("test_auth"))
    (hit,) = results.hits
    assert hit.snippet == "$ pytest -x tests/test_auth.py" and hit.tool == "Bash"
    *_, results = search_all(cur, c.index, c.sessions(), Query("run it"))
    assert results.hits[0].snippet.startswith("command: pytest")  # not in the summary: fields
    *_, results = search_all(cur, c.index, c.sessions(), Query("tool:bash kind:result"))
    assert [h.snippet for h in results.hits] == ["1 passed"]  # a result has its call's tool
    c.close()


def test_snippets_centre_the_match_on_whole_words() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    matcher = Query("word100").highlighter()
    snippet, spans = snippet_around(words, matcher, width=60)
    assert snippet.startswith("… word") and snippet.endswith(" …")
    inner = snippet[2:-2]
    assert all(w.startswith("word") and w[4:].isdigit() for w in inner.split())  # no half word
    (start, end), *_ = spans
    assert snippet[start:end] == "word100"
    assert abs(start - (len(snippet) - end)) <= 12  # about the middle
    short, _ = snippet_around("a short\ntext with word100", matcher, cut_left=True)
    assert short == "… a short text with word100"  # cut before it in the index: says so
    head, _ = snippet_around(words, re.compile(r"word1\b"), width=40)
    assert head.startswith("word0 word1 ") and head.endswith(" …")


def test_cli_search_by_session_and_no_match_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = history(tmp_path / "h")
    assert main(["--root", str(root), "search", "deploy", "--by-session", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(s["session_id"][0], s["count"]) for s in out["sessions"]] == [("b", 4), ("a", 2)]
    assert out["matched"] == 6 and out["sessions"][0]["hits"][0]["snippet"]
    assert main(["--root", str(root), "search", '"zebra crossing"', "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["matched"] == 0
    assert main(["--root", str(root), "search", "deploy", "--by-session"]) == 0
    text = capsys.readouterr()
    assert "4 hits" in text.out and "6 matching entries in 2 sessions" in text.err
    assert main(["--root", str(root), "search", "kind:nothing"]) == 1
    assert "not understood: kind:nothing?" in capsys.readouterr().err


def test_an_empty_index_answers_with_nothing(catalog: Catalog) -> None:
    """Before the background build has read a file, a search still answers (it is what
    the search screen shows, and then asks again)."""
    cur = catalog.con.cursor()
    (results,) = list(search_all(cur, catalog.index, catalog.sessions(), Query("deploy")))
    assert results.sessions == [] and results.matched == 0
    assert results.chunks_done == results.chunks_total == 0
