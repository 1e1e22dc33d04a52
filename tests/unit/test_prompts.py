"""The first prompts of a session, read from the head of its file (the list's preview)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sessions_tui.model import Source
from sessions_tui.sources.prompts import LINE_CAP, first_prompts
from tests.records import rec, user


def _file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_claude_prompts_are_what_the_person_typed(tmp_path: Path) -> None:
    path = _file(tmp_path / "s.jsonl", [
        user("<local-command-caveat>Caveat: the messages below…</local-command-caveat>", "m0",
             isMeta=True),
        user("<command-name>/init</command-name><command-message>init</command-message>"
             "<command-args>fast</command-args>", "u0"),
        user([{"type": "tool_result", "tool_use_id": "t1", "content": "file text"}], "u1"),
        "{not json",
        user("This session is being continued from a previous conversation…", "u2",
             isCompactSummary=True),
        user([{"type": "text", "text": "fix the [bold]auth[/bold] bug"}], "u3"),
        user("a subagent's task", "u4", isSidechain=True),
        user("<ide_opened_file>The user opened the file /a.py in the IDE.</ide_opened_file>", "u5"),
        user("and the tests", "u6"),
        user("never reached", "u7"),
    ])  # fmt: skip
    assert first_prompts(path, Source.CLAUDE) == ["/init fast", "fix the [bold]auth[/bold] bug",
                                                  "and the tests"]  # fmt: skip
    assert first_prompts(path, Source.CLAUDE, count=1) == ["/init fast"]


def test_codex_prompts_prefer_the_events_and_skip_the_context(tmp_path: Path) -> None:
    def item(text: str) -> str:
        content = [{"type": "input_text", "text": text}]
        return json.dumps(
            {
                "type": "response_item",
                "payload": {"type": "message", "role": "user", "content": content},
            }
        )

    def event(text: str) -> str:
        return json.dumps({"type": "event_msg",
                           "payload": {"type": "user_message", "message": text}})  # fmt: skip

    newer = _file(tmp_path / "new.jsonl", [
        item("<environment_context>cwd: /w</environment_context>"),
        item("port the script"), event("port the script"),
    ])  # fmt: skip
    assert first_prompts(newer, Source.CODEX) == ["port the script"]
    older = _file(tmp_path / "old.jsonl", [item("<user_instructions>be brief</user_instructions>"),
                                           item("summarise the TODOs")])  # fmt: skip
    assert first_prompts(older, Source.CODEX) == ["summarise the TODOs"]


def test_long_lines_budgets_and_odd_files_cost_little(tmp_path: Path) -> None:
    huge = user("x" * (3 * LINE_CAP), "u0")
    path = _file(tmp_path / "s.jsonl", [huge, user("after the long line", "u1")])
    assert first_prompts(path, Source.CLAUDE) == ["after the long line"]
    padding = [rec("progress", data="y" * 1000) for _ in range(50)]
    late = _file(tmp_path / "late.jsonl", [*padding, user("too far in", "u1")])
    assert first_prompts(late, Source.CLAUDE, budget=10_000) == []
    assert first_prompts(tmp_path / "missing.jsonl", Source.CLAUDE) == []
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    assert first_prompts(fifo, Source.CLAUDE) == []  # refused at once, never waited on
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00garbage\n" * 10)
    assert first_prompts(tmp_path / "bin.jsonl", Source.CLAUDE) == []
