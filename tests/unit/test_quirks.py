"""Every quirk of the format note, on hand-written fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sessions_tui.model import Kind, Role
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.filters import Filter
from sessions_tui.store.session_view import SessionView
from tests.records import SID, assistant, rec, user, write


def catalog_of(root: Path) -> Catalog:
    c = Catalog(root_from_arg(str(root)), None)
    c.refresh()
    return c


def only(c: Catalog) -> Any:
    (s,) = [s for s in c.sessions() if s.role is Role.MAIN]
    return s


def test_split_assistant_lines_dedupe_tokens_keeping_largest(tmp_path: Path) -> None:
    write(
        tmp_path / "p",
        f"{SID}.jsonl",
        [
            user("hello"),
            assistant({"type": "thinking", "thinking": "hmm"}, "msg_A", 3, "a1"),
            assistant({"type": "text", "text": "hi"}, "msg_A", 7, "a2"),
            assistant(
                {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "ls"}},
                "msg_A",
                42,
                "a3",
            ),
            assistant({"type": "text", "text": "again"}, "msg_B", 2, "a4", request=None),
        ],
    )
    s = only(catalog_of(tmp_path))
    # msg_A counted once with its largest usage (42 out), msg_B once.
    assert s.tokens.output == 42 + 2
    assert s.tokens.input == 20 and s.tokens.cache_read == 200 and s.tokens.cache_creation == 10
    assert s.kind_counts["thinking"] == 1 and s.kind_counts["tool_call"] == 1
    assert s.kind_counts["assistant"] == 2 and s.tool_calls == 1 and s.tools == {"Bash": 1}


def test_synthetic_assistant_is_an_error_not_usage(tmp_path: Path) -> None:
    write(
        tmp_path / "p",
        f"{SID}.jsonl",
        [
            user("hi"),
            assistant(
                {"type": "text", "text": "Invalid API key"},
                "0b8e-uuid",
                999,
                "a1",
                model="<synthetic>",
                isApiErrorMessage=True,
            ),
        ],
    )
    s = only(catalog_of(tmp_path))
    assert s.errors == 1 and s.tokens.total == 0 and s.models == ()


def test_bad_lines_are_counted_and_never_fatal(tmp_path: Path) -> None:
    good = [user("first prompt", uuid="u1"), user("second", uuid="u2"), user("third", uuid="u3")]
    raw = (
        "\ufeff"
        + good[0]
        + "\n\n   \n"
        + good[1]
        + good[2]
        + "\n"
        + "\x00" * 20
        + "\n"
        + "not json\n"
        + user("emoji SURR cut", uuid="u4").replace("SURR", "\\ud83c")
        + "\n"
        + '{"type":"user","mess'
    )
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / f"{SID}.jsonl").write_text(raw, encoding="utf-8")
    c = catalog_of(tmp_path)
    s = only(c)
    # BOM line, glued pair (both kept), surrogate line: 4 records; NUL, garbage, torn: 3 bad.
    assert (s.records, s.malformed_lines) == (4, 3)
    assert s.kind_counts["prompt"] == 4 and s.incomplete_tail
    assert s.title == "first prompt"
    view = SessionView(s)
    texts = [e.text for e in view.entries()]
    view.close()
    assert "emoji \ufffd cut" in texts and "third" in texts
    assert all(t.encode("utf-8") for t in texts)


def test_unknown_types_are_kept_as_other(tmp_path: Path) -> None:
    write(
        tmp_path / "p",
        f"{SID}.jsonl",
        [
            user("hi"),
            rec("brand-new-type", foo=1),
            rec("progress", uuid="p1", data={"type": "hook_progress"}),
            # no type, but the ids of a record: a record, of no known type
            json.dumps({"uuid": "n1", "sessionId": SID, "message": {"role": "assistant"}}),
            # no type and no ids (a torn line's inner object): not a record but malformed
            json.dumps({"message": {"role": "assistant", "content": [{"type": "text"}]}}),
        ],
    )
    c = catalog_of(tmp_path)
    s = only(c)
    assert (s.records, s.malformed_lines) == (4, 1)
    assert s.kind_counts["other"] == 3 and s.entries == 4
    view = SessionView(s)
    assert view.counts()["other"] == 3 and view.total == 4
    assert [e.label for e in view.entries()][1:] == ["brand-new-type", "progress", "(no type)"]
    view.close()


def test_title_precedence(tmp_path: Path) -> None:
    base = [user("<command-name>/clear</command-name>", uuid="u0"), user("real prompt", uuid="u1")]
    write(tmp_path / "a", f"{SID}.jsonl", base)
    write(
        tmp_path / "b",
        f"{SID}.jsonl",
        [*base, rec("summary", summary="Foreign", leafUuid="elsewhere")],
    )
    write(tmp_path / "c", f"{SID}.jsonl", [*base, rec("summary", summary="In file", leafUuid="u1")])
    write(
        tmp_path / "d",
        f"{SID}.jsonl",
        [
            *base,
            rec("summary", summary="In file", leafUuid="u1"),
            rec("ai-title", aiTitle="AI title"),
        ],
    )
    write(
        tmp_path / "e",
        f"{SID}.jsonl",
        [*base, rec("ai-title", aiTitle="AI title"), rec("custom-title", customTitle="Mine")],
    )
    titles = {s.path.parent.name: s.title for s in catalog_of(tmp_path).sessions()}
    assert titles == {
        "a": "real prompt",
        "b": "real prompt",
        "c": "In file",
        "d": "AI title",
        "e": "Mine",
    }


def test_prompt_system_and_tool_result_kinds(tmp_path: Path) -> None:
    result = {
        "type": "tool_result",
        "tool_use_id": "t1",
        "content": [{"type": "text", "text": "out"}],
    }
    failed = {"type": "tool_result", "tool_use_id": "t2", "content": "boom", "is_error": True}
    write(
        tmp_path / "p",
        f"{SID}.jsonl",
        [
            user("typed"),
            user("caveat", uuid="m", isMeta=True),
            user("This session is being continued", uuid="cs", isCompactSummary=True),
            user("[Request interrupted by user]", uuid="i"),
            user([result], uuid="r1"),
            user([failed], uuid="r2"),
            user(
                [
                    {"type": "text", "text": "look"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"},
                    },
                ],
                uuid="img",
            ),
            rec("system", subtype="api_error", level="error", uuid="e"),
            rec("system", subtype="compact_boundary", content="Conversation compacted", uuid="cb"),
        ],
    )
    c = catalog_of(tmp_path)
    s = only(c)
    assert s.kind_counts == {
        "prompt": 2,
        "assistant": 0,
        "thinking": 0,
        "tool_call": 0,
        "tool_result": 1,
        "error": 2,
        "system": 4,
        "other": 0,
    }
    view = SessionView(s)
    image = [e for e in view.entries(Filter(kinds=frozenset({Kind.PROMPT}))) if "look" in e.text]
    view.close()
    assert image and "[image: image/png" in image[0].text


def codex(kind: str, payload: dict[str, Any], ts: str = "2026-11-01T10:00:00.000Z") -> str:
    return json.dumps({"timestamp": ts, "type": kind, "payload": payload})


def test_codex_duplicates_counted_once_and_final_tokens(tmp_path: Path) -> None:
    usage1 = {
        "input_tokens": 100,
        "cached_input_tokens": 40,
        "output_tokens": 7,
        "total_tokens": 107,
    }
    usage2 = {
        "input_tokens": 300,
        "cached_input_tokens": 100,
        "output_tokens": 20,
        "total_tokens": 320,
    }
    lines = [
        codex("session_meta", {"id": "abc", "cwd": "/w", "source": "cli"}),
        codex(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "<environment_context>x</environment_context>"}
                ],
            },
        ),
        codex(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "do it"}],
            },
        ),
        codex("event_msg", {"type": "user_message", "message": "do it"}),
        codex(
            "response_item",
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "think"}]},
        ),
        codex("event_msg", {"type": "agent_reasoning", "text": "think"}),
        codex(
            "response_item",
            {"type": "function_call", "name": "shell", "call_id": "c1", "arguments": "{}"},
        ),
        codex(
            "response_item",
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": json.dumps({"output": "x", "metadata": {"exit_code": 2}}),
            },
        ),
        codex(
            "response_item",
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "done"}],
            },
        ),
        codex("event_msg", {"type": "agent_message", "message": "done"}),
        codex("event_msg", {"type": "token_count", "info": {"total_token_usage": usage1}}),
        codex("event_msg", {"type": "token_count", "info": {"total_token_usage": usage1}}),
        codex("event_msg", {"type": "token_count", "info": None}),
        codex("event_msg", {"type": "token_count", "info": {"total_token_usage": usage2}}),
    ]
    write(
        tmp_path / "sessions" / "2026" / "11" / "01",
        "rollout-2026-11-01T10-00-00-" + "0" * 8 + "-aaaa-bbbb-cccc-" + "d" * 12 + ".jsonl",
        lines,
    )
    s = only(catalog_of(tmp_path))
    assert s.kind_counts["prompt"] == 1 and s.kind_counts["assistant"] == 1
    assert s.kind_counts["thinking"] == 1 and s.errors == 1 and s.tools == {"shell": 1}
    assert s.tokens.as_dict() == {
        "input": 200,
        "output": 20,
        "cache_read": 100,
        "cache_creation": 0,
    }
    assert s.title == "do it" and s.project == "/w"


def test_both_subagent_layouts_attach_to_their_parent(tmp_path: Path) -> None:
    folder = tmp_path / "projects" / "-home-u-proj"
    write(folder, f"{SID}.jsonl", [user("main prompt")])
    side: dict[str, Any] = {"isSidechain": True}
    write(
        folder,
        "agent-aaa1111.jsonl",
        [
            user("flat agent", uuid="f1", agentId="aaa1111", **side),
            assistant({"type": "text", "text": "x"}, "msg_S", 5, "f2", agentId="aaa1111", **side),
        ],
    )
    write(
        folder / SID / "subagents",
        "agent-bbb2222.jsonl",
        [user("nested agent", uuid="n1", agentId="bbb2222", **side)],
    )
    orphan_id = "99999999-2222-3333-4444-555555555555"
    write(
        folder / orphan_id / "subagents",
        "agent-ccc3333.jsonl",
        [user("orphan", uuid="o1", agentId="ccc3333", **side)],
    )
    c = catalog_of(tmp_path)
    sessions = {s.id: s for s in c.sessions()}
    assert set(sessions) == {SID, "agent-ccc3333"}
    main = sessions[SID]
    assert main.subagents == 2 and main.subagent_tokens.output == 5 and main.tokens.output == 0
    assert (
        sessions["agent-ccc3333"].role is Role.SUBAGENT
        and sessions["agent-ccc3333"].parent_id == orphan_id
    )
    view = SessionView(main)
    counts = view.counts()
    view.close()
    # The subagents' user text is their instructions, not the person's: only one prompt.
    assert counts["subagent"] == 3 and counts["prompt"] == 1 and counts["system"] == 2
    assert sessions["agent-ccc3333"].title == "orphan"  # titled by its instructions


def test_unreadable_file_is_reported_and_skipped(tmp_path: Path, monkeypatch: Any) -> None:
    write(tmp_path / "p", f"{SID}.jsonl", [user("ok")])
    bad = write(tmp_path / "q", "22222222-2222-3333-4444-555555555555.jsonl", [user("gone")])
    from sessions_tui.sources import discovery
    from sessions_tui.store import catalog as catalog_module

    roots = root_from_arg(str(tmp_path))
    stale = discovery.discover(roots)  # the walk saw the file; it vanishes before the read
    bad.unlink()
    monkeypatch.setattr(catalog_module, "discover", lambda _roots: stale)
    c = Catalog(roots, None)
    report = c.refresh()
    assert [s.title for s in c.sessions()] == ["ok"]
    assert report.problems == [f"cannot read {bad}"]


def test_the_reader_never_writes_under_the_roots(tmp_path: Path) -> None:
    write(tmp_path / "p", f"{SID}.jsonl", [user("a"), '{"torn'], tail="")
    before = {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    c = catalog_of(tmp_path)
    view = SessionView(only(c))
    list(view.entries())
    view.close()
    c.close()
    after = {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    assert before == after


def test_objects_nested_in_a_damaged_record_are_not_records(tmp_path: Path) -> None:
    # A redactor cut a number out mid-record; the scan then finds `{"code": …}` and
    # `{"role": …}` further on the line. They are parts of the broken record, not records.
    damaged = (
        '{"type":"system","subtype":"api_error","uuid":"e1","sessionId":"' + SID + '",'
        '"retryInMs":[REDACTED_PHONE]312349,"error":{"code":"ECONNRESET","path":"/v1",'
        '"errno":-104},"message":{"role":"assistant","content":"x"}}'
    )
    glued = user("kept", uuid="u2")  # a whole record glued after a torn one still counts
    write(tmp_path / "p", f"{SID}.jsonl", [user("hi"), damaged, '{"type":"user"' + glued])
    s = only(catalog_of(tmp_path))
    assert (s.records, s.malformed_lines) == (2, 1)
    view = SessionView(s)
    assert [e.text for e in view.entries()] == ["hi", "kept"]
    view.close()


def test_last_prompt_and_file_history_snapshot_show_what_they_hold(tmp_path: Path) -> None:
    snapshot = {"type": "file-history-snapshot", "messageId": "m9", "isSnapshotUpdate": False,
                "snapshot": {"messageId": "m9", "trackedFileBackups": {},
                             "timestamp": "2026-02-12T15:36:09.516Z"}}  # fmt: skip
    last = {"type": "last-prompt", "lastPrompt": "fix the login bug", "leafUuid": "u1",
            "sessionId": SID}  # fmt: skip
    write(tmp_path / "p", f"{SID}.jsonl", [user("hi"), json.dumps(snapshot), json.dumps(last)])
    view = SessionView(only(catalog_of(tmp_path)))
    entries = list(view.entries())
    view.close()
    assert [(e.label, e.text) for e in entries[1:]] == [
        ("file-history-snapshot", "file history snapshot"),
        ("last-prompt", "fix the login bug"),  # was an empty entry
    ]
    assert entries[1].timestamp == "2026-02-12T15:36:09.516Z"  # the snapshot's own time


def test_records_and_fields_of_newer_versions_are_kept_never_an_error(tmp_path: Path) -> None:
    # Claude Code 2.1.2xx: attachment records and new fields on known ones.
    attachments = [
        rec("attachment", uuid=f"t{i}", attachment={"type": kind, "rendered": [{"content": "x"}]})
        for i, kind in enumerate(("deferred_tools_delta", "skill_listing", "environment", "model"))
    ]
    newer = user("new fields", uuid="u2", promptSource="typed", origin={"kind": "cli"},
                 effort="high")  # fmt: skip
    reply = assistant({"type": "text", "text": "ok"}, "m1", 3, "a1", apiBlockIndex=0)
    write(tmp_path / "claude" / "p", f"{SID}.jsonl", [user("hi"), *attachments, newer, reply])
    # Codex 0.135: phase, memory_citation, permission_profile, duration_ms.
    codex_id = "019e9625-802f-7e91-840a-cfe88d14117a"
    lines = [
        {"type": "session_meta", "payload": {"id": codex_id, "cwd": "/w"}},
        {"type": "turn_context", "payload": {"model": "gpt-5.5", "permission_profile": "x"}},
        {"type": "event_msg", "payload": {"type": "user_message", "message": "hello"}},
        {"type": "event_msg", "payload": {"type": "agent_message", "message": "hi",
                                          "phase": "final", "memory_citation": None}},
        {"type": "response_item", "payload": {"type": "function_call", "name": "shell",
                                              "arguments": "{}", "call_id": "c1"}},
        {"type": "response_item", "payload": {"type": "function_call_output", "call_id": "c1",
                                              "output": "done", "duration_ms": 12}},
        {"type": "brand_new_record", "payload": {"whatever": 1}},
    ]  # fmt: skip
    stamped = [{"timestamp": "2026-06-05T04:56:32Z", **r} for r in lines]
    folder = tmp_path / "codex" / "sessions" / "2026" / "06" / "05"
    write(folder, f"rollout-2026-06-05T04-56-32-{codex_id}.jsonl", [json.dumps(r) for r in stamped])
    catalog = Catalog(
        root_from_arg(str(tmp_path / "claude")) + root_from_arg(str(tmp_path / "codex")), None
    )
    report = catalog.refresh()
    assert report.problems == []
    sessions = {s.id: s for s in catalog.sessions()}
    claude, codex = sessions[SID], sessions[codex_id]
    assert (claude.records, claude.malformed_lines) == (7, 0)
    assert claude.kind_counts["other"] == 4 and claude.kind_counts["prompt"] == 2
    assert (codex.records, codex.malformed_lines) == (7, 0)
    assert codex.kind_counts["prompt"] == 1 and codex.tool_calls == 1
    assert codex.kind_counts["other"] >= 1  # the unknown record type, shown as other
    for session in (claude, codex):
        view = SessionView(session)
        assert view.total == session.entries
        view.close()
    catalog.close()


IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA"}}


def _history(t: dict[str, str], tag: str = "") -> list[str]:
    """A prompt with an image, a reply that calls a tool, its result: at times t."""
    return [
        user(
            [{"type": "text", "text": "<ide_opened_file>a.py</ide_opened_file>"},
             IMAGE, {"type": "text", "text": "what is this?"}],
            "u1" + tag, timestamp=t["prompt"],
        ),
        assistant({"type": "text", "text": "Let me look."}, "m1", 5, "a1" + tag,
                  timestamp=t["text"]),
        assistant({"type": "tool_use", "id": "toolu_1", "name": "Bash",
                   "input": {"command": "ls"}}, "m1", 9, "a2" + tag, timestamp=t["call"]),
        user([{"type": "tool_result", "tool_use_id": "toolu_1", "content": "a.py"}],
             "u2" + tag, timestamp=t["result"]),
    ]  # fmt: skip


TIMES = {
    "prompt": "2026-11-01T10:00:00.000Z",
    "text": "2026-11-01T10:00:01.000Z",
    "call": "2026-11-01T10:00:02.000Z",
    "result": "2026-11-01T10:00:03.000Z",
}


def test_a_resumed_session_replaying_its_history_is_shown_once(tmp_path: Path) -> None:
    """Resumed, Claude Code writes the history again: new uuids, the old times and ids, a
    prompt's blocks one record each. Each record is shown once and the replays counted."""
    replay = [
        user([{"type": "text", "text": "<ide_opened_file>a.py</ide_opened_file>"}], "r1",
             timestamp=TIMES["prompt"]),
        user([IMAGE], "r2", timestamp=TIMES["prompt"]),
        user([{"type": "text", "text": "what is this?"}], "r3", timestamp=TIMES["prompt"]),
        *_history(TIMES, tag="-again")[1:],
    ]  # fmt: skip
    after = [
        user("and now?", "u9", timestamp="2026-11-01T11:00:00.000Z"),
        assistant({"type": "text", "text": "Done."}, "m9", 3, "a9",
                  timestamp="2026-11-01T11:00:01.000Z"),
    ]  # fmt: skip
    write(tmp_path / "projects" / "-p", f"{SID}.jsonl", _history(TIMES) + replay + after)
    c = catalog_of(tmp_path)
    s = only(c)
    assert s.replayed_records == 6 and s.records == 12
    assert s.tool_calls == 1
    assert s.kind_counts["prompt"] == 2 and s.kind_counts["tool_result"] == 1
    view = SessionView(s)
    try:
        assert view.replayed == 6
        assert [e.text for e in view.entries()][-2:] == ["and now?", "Done."]
        assert view.total == 6  # prompt, reply, call, result, prompt, reply
    finally:
        view.close()
        c.close()


def test_records_at_one_time_are_not_replays_unless_they_repeat(tmp_path: Path) -> None:
    """Same-millisecond records that say different things (parallel subagents' tasks, a
    command and its output) stay, and so does a line written twice with its own uuid;
    with no assistant block written twice at one time, no record is a replay."""
    same = "2026-11-01T10:00:00.000Z"
    lines = [
        *_history(TIMES),
        user("task one", "s1", timestamp=same, isSidechain=True),
        user("task two", "s2", timestamp=same, isSidechain=True),
    ]
    lines.append(lines[1])  # the same record twice: one uuid
    write(tmp_path / "projects" / "-p", f"{SID}.jsonl", lines)
    c = catalog_of(tmp_path)
    s = only(c)
    c.close()
    assert s.replayed_records == 0 and s.records == 7
    assert s.kind_counts["system"] == 2 and s.kind_counts["assistant"] == 2


def test_a_replay_written_while_followed_is_folded_too(tmp_path: Path) -> None:
    path = write(tmp_path / "projects" / "-p", f"{SID}.jsonl", _history(TIMES))
    c = catalog_of(tmp_path)
    view = SessionView(only(c))
    try:
        assert view.total == 4
        with path.open("a") as f:
            f.write("\n".join(_history(TIMES, tag="-again")) + "\n")
        change = view.refresh()
        assert change.kind == "rebuilt"  # the appended lines went back in time
        assert view.total == 4 and view.replayed == 4
    finally:
        view.close()
        c.close()


def test_an_api_error_says_why_which_retry_and_how_long(tmp_path: Path) -> None:
    overloaded = {"status": 529, "error": {"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"}}}  # fmt: skip
    socket = {"cause": {"code": "FailedToOpenSocket", "path": "https://api", "errno": 0}}
    retry = {"subtype": "api_error", "level": "error"}
    write(tmp_path / "p", f"{SID}.jsonl", [
        user("hi"),
        rec("system", **retry, uuid="e1", error=overloaded, retryAttempt=3, maxRetries=10,
            retryInMs=4213.7),
        rec("system", **retry, uuid="e2", error={}, cause=socket["cause"], retryAttempt=1,
            maxRetries=10, retryInMs=529.87),
        rec("system", **retry, uuid="e3", error={"code": "ECONNRESET"}, retryAttempt=2),
        rec("system", **retry, uuid="e4", error="rate limited"),
        # absurd numbers are left out, never shown nor failing the record
        rec("system", **retry, uuid="e5", error={}, retryAttempt=1e300, maxRetries=-4,
            retryInMs=1e308),
    ])  # fmt: skip
    view = SessionView(only(catalog_of(tmp_path)))
    texts = [e.text for e in view.entries(Filter(kinds=frozenset({Kind.ERROR})))]
    view.close()
    assert texts == [
        "API error (overloaded), retry 3/10 in 4.2 s",
        "API error (FailedToOpenSocket), retry 1/10 in 0.5 s",
        "API error (ECONNRESET), retry 2",
        "API error (rate limited), retrying",
        "API error, retrying",
    ]
