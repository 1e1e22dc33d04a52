"""The second real-world corpus (`../shared/realworld`): facts checked by reading the files.

Every figure here was verified independently of the app: by parsing each line on its own
with `json.loads` (a line is a record when it is a JSON object of the format), and by
reading the files where a comment says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.session_view import SessionView
from tests.reference import read_file


def _strict(path: Path) -> tuple[int, int]:
    """(records, malformed lines) of a file whose lines each hold at most one record."""
    records = malformed = 0
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            value: Any = json.loads(line)
        except ValueError:
            malformed += 1
            continue
        is_record = isinstance(value, dict) and (
            value.get("type") is not None
            or (value.get("uuid") is not None and value.get("sessionId") is not None)
        )
        records += is_record
        malformed += not is_record
    return records, malformed


@pytest.fixture(scope="module")
def facts() -> dict[str, dict[str, Any]]:
    import os

    root = Path(os.environ.get("SESSIONS_TUI_REALWORLD", "/nonexistent"))
    if not root.is_dir():
        pytest.skip("SESSIONS_TUI_REALWORLD is not set (CI sets it to ../shared/realworld)")
    catalog = Catalog(root_from_arg(str(root)), None)
    catalog.refresh()
    try:
        return catalog.file_facts()
    finally:
        catalog.close()


def test_every_line_is_a_record_or_malformed_as_strict_json_says(
    realworld: Path, facts: dict[str, dict[str, Any]]
) -> None:
    files = sorted(realworld.rglob("*.jsonl"))
    assert len(files) == 38
    for path in files:
        row = facts[str(path.absolute())]
        assert (row["records"], row["malformed_lines"]) == _strict(path), path.name
        ref = read_file(path, row["source"])
        assert (row["records"], row["malformed_lines"]) == (ref.records, ref.malformed_lines)


@pytest.mark.parametrize(
    ("name", "records", "malformed"),
    [
        # redactor-damaged lines: their nested objects are not records (were 847/24)
        ("21037e11-89de-484d-abba-8705254aa991.jsonl", 840, 28),
        ("c7d2069e-c561-4759-8adf-b0745be78c29.jsonl", 1049, 1),  # was 1051/0
        ("agent-a5f424f.jsonl", 19, 8),
        ("agent-af00f06.jsonl", 11, 7),
        ("agent-a760a4d.jsonl", 94, 1),
    ],
)
def test_damaged_lines_make_no_phantom_records(
    realworld: Path, facts: dict[str, dict[str, Any]], name: str, records: int, malformed: int
) -> None:
    (path,) = realworld.rglob(name)
    row = facts[str(path.absolute())]
    assert (row["records"], row["malformed_lines"]) == (records, malformed)


@pytest.mark.parametrize(
    ("name", "prompts", "title"),
    [
        # Claude Code 1.0.x writes its subagents into the main file (isSidechain): their
        # instructions are not the person's prompts. Read off the files: the person typed
        # `/orchestrator` and "Thanks! Please update CLAUDE.md…" (was 7 prompts, titled with
        # a subagent's task), and `/orchestrator` alone (was 3).
        ("fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl", 2,
         "Thanks! Please update CLAUDE.md for current changes"),
        ("5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl", 1, "/orchestrator"),  # the command
        ("1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl", 1, "/init"),
    ],
)  # fmt: skip
def test_inline_subagents_are_not_the_persons_prompts(
    realworld: Path, facts: dict[str, dict[str, Any]], name: str, prompts: int, title: str
) -> None:
    (path,) = realworld.rglob(name)
    row = facts[str(path.absolute())]
    assert row["n_prompt"] == prompts
    assert row["title"].startswith(title)


@pytest.mark.parametrize(
    ("name", "source", "session_id", "tool_calls", "tokens"),
    [
        # Codex rollouts not named rollout-*, in plain folders: the format comes from the
        # records, the id from session_meta (figures read off the files with json.loads:
        # function/custom tool calls, the last total_token_usage).
        ("codex-pomodor-timer.jsonl", "codex", "019a085e-04c1-7f81-a09e-9555f6a1fb40", 18,
         230_731),
        ("example-session-metadata.jsonl", "codex", "019ab22c-95af-7160-b11d-8f552d0ce721", 0,
         0),
        # a Claude file not named by its session goes by the sessionId inside
        ("read-tool-samples.jsonl", "claude", "2b008082-ff46-4d27-baad-57e30ef2e7ac", None,
         None),
    ],
)  # fmt: skip
def test_the_format_and_the_id_come_from_the_records(
    realworld: Path, name: str, source: str, session_id: str, tool_calls: int | None,
    tokens: int | None,
) -> None:  # fmt: skip
    (path,) = realworld.rglob(name)
    catalog = Catalog(root_from_arg(str(path.parent)), None)
    catalog.refresh()
    (session,) = [s for s in catalog.sessions() if s.path == path.absolute()]
    catalog.close()
    assert (session.source.value, session.id) == (source, session_id)
    if tool_calls is not None:
        assert session.tool_calls == tool_calls and session.tokens.total == tokens


def test_the_compaction_helper_sits_at_the_compaction(realworld: Path) -> None:
    """`agent-acompact-*` is spawned by no tool call: it is placed where it ended in time,
    right before the compaction boundary it produced (it used to come last)."""
    from sessions_tui.store.session_view import SessionView

    (folder,) = realworld.rglob("marot__spotter")
    catalog = Catalog(root_from_arg(str(folder)), None)
    catalog.refresh()
    session = next(s for s in catalog.sessions() if s.id.startswith("fa812bfe"))
    view = SessionView(session)
    entries = list(view.entries())
    view.close()
    catalog.close()
    boundary = next(i for i, e in enumerate(entries) if e.label == "system:compact_boundary")
    helper = entries[boundary - 1]
    assert helper.sidechain and entries[boundary].sidechain is False
    assert not entries[-1].sidechain  # the session ends with its own entries


def test_codex_turns_count_without_an_assistant_message(realworld: Path) -> None:
    """A rollout made only of reasoning and tool calls (no assistant message) still has
    turns: one a `turn_context` (40 in this file, counted with grep)."""
    from sessions_tui.store.stats import session_stats

    (folder,) = realworld.rglob(".sample_session")
    catalog = Catalog(root_from_arg(str(folder)), None)
    catalog.refresh()
    (session,) = catalog.sessions()
    stats = session_stats(catalog.con, session)
    catalog.close()
    assert [(m["model"], m["turns"]) for m in stats["models"]] == [("gpt-5.1-codex", 40)]


def test_damaged_lines_of_subagent_files_are_reported(
    realworld: Path, facts: dict[str, dict[str, Any]]
) -> None:
    """ea6b9704's flat agents hold 8 and 7 redactor-cut lines (strict JSON, above), and
    c7d2069e's agent one: said per session in `ls --json`, and in the status bar."""
    catalog = Catalog(root_from_arg(str(realworld / "M-Thisness__M-Claude")), None)
    catalog.refresh()
    sessions = {s.id[:8]: s for s in catalog.sessions()}
    catalog.close()
    assert sessions["ea6b9704"].subagent_malformed_lines == 15
    assert sessions["c7d2069e"].subagent_malformed_lines == 1
    assert sessions["21037e11"].subagent_malformed_lines == 0


async def test_the_status_bar_says_how_many_lines_are_damaged(realworld: Path) -> None:
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.widgets.status_bar import StatusBar
    from tests.pilot import listed, open_session, settle

    root = realworld / "M-Thisness__M-Claude"
    app = SessionsApp(Catalog(root_from_arg(str(root)), None), follow=False)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        session = next(s for s in listed(app) if s.id.startswith("ea6b9704"))
        await open_session(app, pilot, session.id)
        assert "15 damaged lines, 15 in subagents" in app.query_one(StatusBar).right


def _one_hour_writes(path: Path) -> tuple[int, int]:
    """(cache writes, of them one-hour) of a Claude file, one count per API response (its
    lines repeat the usage; the largest is kept, as for every token count)."""
    best: dict[tuple[Any, Any], tuple[int, int, int]] = {}
    for line in path.read_bytes().split(b"\n"):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if not isinstance(r, dict) or r.get("type") != "assistant":
            continue
        message = r.get("message") or {}
        usage = message.get("usage") or {}
        total = sum(
            usage.get(k) or 0
            for k in (
                "input_tokens",
                "output_tokens",
                "cache_read_input_tokens",
                "cache_creation_input_tokens",
            )
        )
        writes = usage.get("cache_creation_input_tokens") or 0
        hour = (usage.get("cache_creation") or {}).get("ephemeral_1h_input_tokens") or 0
        key = (message.get("id"), r.get("requestId"))
        if key not in best or total > best[key][0]:
            best[key] = (total, writes, hour)
    return sum(w for _, w, _ in best.values()), sum(h for _, _, h in best.values())


def test_one_hour_cache_writes_are_their_own_column_priced_at_their_rate(
    realworld: Path,
) -> None:
    """spotter's orphan subagent (of 6c2214d7, whose main file is absent) wrote 39,438
    tokens to the one-hour cache (counted from the file above); its cost prices those at
    2x input, the rest of the writes at 1.25x."""
    from sessions_tui.pricing import cost
    from sessions_tui.store.stats import session_stats

    folder = realworld / "marot__spotter"
    (agent,) = folder.rglob("agent-afc096d.jsonl")
    writes, hour = _one_hour_writes(agent)
    assert hour == writes == 39_438  # every write of this agent was kept an hour
    catalog = Catalog(root_from_arg(str(folder)), None)
    catalog.refresh()
    session = next(s for s in catalog.sessions() if s.id == "agent-afc096d")
    stats = session_stats(catalog.con, session)
    catalog.close()
    assert stats["tokens"]["cache_creation_1h"] == hour
    for m in stats["models"]:
        assert m["cache_creation_1h"] <= m["cache_creation"]
        expected = cost(
            m["model"],
            m["input"],
            m["output"],
            m["cache_read"],
            m["cache_creation"],
            m["cache_creation_1h"],
        )
        five_minute_only = cost(
            m["model"], m["input"], m["output"], m["cache_read"], m["cache_creation"]
        )
        assert m["cost"] == pytest.approx(expected, abs=1e-4)
        if m["cache_creation_1h"] and expected is not None and five_minute_only is not None:
            assert expected > five_minute_only


def _tool_use_ids(path: Path) -> list[str]:
    """Every tool_use id in the file, each time it is written."""
    ids = []
    for line in path.read_bytes().split(b"\n"):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        content = (r.get("message") or {}).get("content") if isinstance(r, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") == "tool_use":
                ids.append(block["id"])
    return ids


@pytest.mark.parametrize(
    ("name", "replayed"),
    [
        # lines 355-528 write lines 5-350 again (177 records, counted by the reference
        # reader's rule; a prompt's two blocks come back as two records)
        ("general-tool-calls.jsonl", 177),  # and 45 of its 110 tool calls
        # lines 11-15 replay 5-7 (the prompt in three records), lines 19-22 replay 16-18
        ("images-in-user-messages.jsonl", 9),
    ],
)
def test_a_replayed_history_is_shown_once(realworld: Path, name: str, replayed: int) -> None:
    (path,) = realworld.rglob(name)
    ids = _tool_use_ids(path)
    catalog = Catalog(root_from_arg(str(path.parent)), None)
    catalog.refresh()
    (session,) = [s for s in catalog.sessions() if s.path == path.absolute()]
    assert session.replayed_records == replayed == read_file(path, "claude").replayed
    assert session.tool_calls == len(set(ids))  # 65 (of 110 written) in the first
    view = SessionView(session)
    try:
        assert view.replayed == replayed
        calls = [e.tool_use_id or "" for e in view.entries() if e.kind is Kind.TOOL_CALL]
        assert sorted(calls) == sorted(set(ids))  # every call once
    finally:
        view.close()
        catalog.close()


async def test_the_status_bar_says_how_many_records_were_folded(realworld: Path) -> None:
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.widgets.status_bar import StatusBar
    from tests.pilot import listed, open_session, settle

    (path,) = realworld.rglob("general-tool-calls.jsonl")
    app = SessionsApp(Catalog(root_from_arg(str(path.parent)), None), follow=False)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        session = next(s for s in listed(app) if s.path == path.absolute())
        await open_session(app, pilot, session.id)
        assert "177 replayed records folded" in app.query_one(StatusBar).right
