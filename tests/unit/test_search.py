"""Search: the query language, ranking, filters, the index kept up to date, the CLI verb."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.search import Query, SearchError, check, search_all
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
