"""Exact facts about the shared corpus, checked by reading the files (see SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessions_tui.model import Role, Source
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.session_view import SessionView


def _catalog(corpus: Path) -> Catalog:
    c = Catalog(root_from_arg(str(corpus)), None)
    report = c.refresh()
    assert report.files == 20 and report.problems == []
    return c


def test_damaged_and_synthetic_files(corpus: Path) -> None:
    by = {s.path.name: s for s in _catalog(corpus).sessions()}
    redacted = by["18240050-3ee8-41cd-a89a-0a5c4b709607.jsonl"]
    assert (redacted.records, redacted.malformed_lines) == (114, 5)  # lines 3,10,15,26,119 cut
    assert (by["malformed-line.jsonl"].records, by["malformed-line.jsonl"].malformed_lines) == (
        2,
        1,
    )
    torn = by["partial-trailing-line.jsonl"]
    assert (torn.records, torn.malformed_lines, torn.incomplete_tail) == (2, 1, True)


def test_titles(corpus: Path) -> None:
    by = {s.path.name: s for s in _catalog(corpus).sessions()}
    # The summary at the end points inside its own file: it is the title.
    assert (
        by["0ccf1a04-1b4c-43b6-8aa5-79e41db43a68.jsonl"].title
        == "Spawn curry poem agents, write sushi"
    )
    # 208 summaries, none of whose leafUuid is in the file: the first prompt wins.
    assert (
        by["343e3472-b9b6-4561-ade0-21d1a4730c11.jsonl"].title
        == "change my display-off timeout to 10 minutes"
    )
    assert by["97b0ffde-ece9-4977-91cb-5c8cdeabdf3f.jsonl"].title == "ssh into my router"


def test_errors_models_and_tokens(corpus: Path) -> None:
    by = {s.path.name: s for s in _catalog(corpus).sessions()}
    synthetic = by["1ff3b1f4-aca7-440e-8faf-06d54b235f74.jsonl"]
    assert synthetic.errors == 1 and synthetic.models == () and synthetic.tokens.total == 0
    assert by["412e2513-f75c-45c2-a4e6-9fa22e0dbad5.jsonl"].errors == 8  # 8 api_error retries
    share = by["0ccf1a04-1b4c-43b6-8aa5-79e41db43a68.jsonl"]
    assert share.models == ("claude-haiku-4-5-20251001", "claude-opus-4-5-20251101")
    assert share.subagents == 1 and share.subagent_tokens.total > 0
    rollout = by["rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl"]
    assert rollout.source is Source.CODEX
    # final cumulative total_token_usage: input 298373 (238848 cached), output 1123
    assert rollout.tokens.as_dict() == {
        "input": 298373 - 238848,
        "output": 1123,
        "cache_read": 238848,
        "cache_creation": 0,
    }
    assert rollout.kind_counts["prompt"] == 1  # one user_message; response copies not counted


def test_subagents_attach_or_stand_alone(corpus: Path) -> None:
    c = _catalog(corpus)
    sessions = c.sessions()
    assert len(sessions) == 19  # 20 files; agent-a5bdbc1 is attached to 0ccf1a04
    orphans = {s.id for s in sessions if s.role is Role.SUBAGENT}
    assert orphans == {"agent-a6c21fa", "agent-aac57f5", "agent-acompact-946d2b"}
    share = next(s for s in sessions if s.id.startswith("0ccf1a04"))
    view = SessionView(share)
    assert view.counts()["subagent"] > 0
    assert any("curry" in e.text.lower() for e in view.entries() if e.sidechain)
    view.close()


def test_harness_text_reads_as_what_the_person_saw(
    corpus: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """M-Claude/97b0ffde…: slash commands, local command output with colour codes and a
    caveat, as `show` prints them, as a Markdown export writes them and as the pane draws
    them."""
    from sessions_tui.cli.main import main

    assert main(["--root", str(corpus / "M-Claude"), "show", "97b0ffde"]) == 0
    out = capsys.readouterr().out
    for seen in ("prompt\n/compact\n", "system\n/config\n", "Compacted", "Context Usage"):
        assert seen in out
    for raw in ("<command-message>", "<local-command-stdout>", "␛", "\x1b"):
        assert raw not in out
    assert main(["--root", str(corpus / "M-Claude"), "show", "97b0ffde", "--json"]) == 0
    assert "<command-message>" in capsys.readouterr().out  # data stays data
    for fmt in ("md", "html"):
        target = tmp_path / f"s.{fmt}"
        args = ["export", "97b0ffde", "--format", fmt, "-o", str(target)]
        assert main(["--root", str(corpus / "M-Claude"), *args]) == 0
        written = target.read_text("utf-8")
        assert "/compact" in written and "Context Usage" in written
        assert "command-message" not in written and "\x1b" not in written

    from sessions_tui.model import Entry, Kind
    from sessions_tui.tui.widgets.entry_render import message_renderable

    prompt = Entry(1, Kind.PROMPT, None, None, False, None,
                   "<command-name>/compact</command-name>\n<command-message>compact"
                   "</command-message>\n<command-args></command-args>", label="user")  # fmt: skip
    shown = message_renderable(prompt, prompt.text, cut=False)  # as the pane draws it
    assert getattr(shown, "plain", None) == "/compact"
