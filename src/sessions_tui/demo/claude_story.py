"""Plays out a plausible Claude Code session (turns, tools, subagents, faults)."""

from __future__ import annotations

import random
from datetime import datetime

from sessions_tui.demo import text as T
from sessions_tui.demo.claude import SURROGATE_MARK, ClaudeTranscript, _uuid

MODELS = ("claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001")


def _tool_input(rng: random.Random, tool: str) -> dict[str, object]:
    path = "/src/" + T.pick(rng, T.FILES)
    if tool == "Bash":
        cmd = T.pick(rng, ("make test", "git status --short", "pytest -x -q", "ls -la", "rg TODO"))
        return {"command": cmd, "description": "Run " + cmd.split()[0]}
    if tool == "Read":
        return {"file_path": path}
    if tool == "Edit":
        return {"file_path": path, "old_string": "return 0\n", "new_string": "return main()\n"}
    if tool == "Write":
        return {"file_path": path, "content": T.pick(rng, T.CODE)}
    if tool == "Grep":
        return {"pattern": "def (\\w+)", "path": "/src", "output_mode": "content"}
    return {"pattern": "**/*.py"}


def _tool_output(rng: random.Random, tool: str, budget: int) -> tuple[str, object]:
    if tool == "Read":
        code = T.pick(rng, T.CODE)
        numbered = "".join(f"{i:>6}\u2192{line}\n" for i, line in enumerate(code.splitlines(), 1))
        return numbered, {"type": "text", "file": {"content": code, "numLines": code.count("\n")}}
    if tool == "Bash":
        out = T.log_output(rng, max(200, budget))
        return out, {"stdout": out, "stderr": "", "interrupted": False, "isImage": False}
    if tool == "Grep":
        out = "src/app/server.py:12:def handle(request):\nsrc/app/server.py:40:def main():\n"
        return out, {"mode": "content", "numFiles": 1, "content": out}
    return "ok", {"type": "update"}


def _turn(
    t: ClaudeTranscript, rng: random.Random, model: str, out_budget: int, story: Story
) -> None:
    blocks: list[dict[str, object]] = []
    if rng.random() < 0.6:
        blocks.append(
            {"type": "thinking", "thinking": T.pick(rng, T.THOUGHTS), "signature": "sig" * 8}
        )
    blocks.append({"type": "text", "text": T.fill(rng, T.pick(rng, T.REPLIES))})
    calls = []
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        tool = T.pick(rng, T.TOOLS)
        tid = "toolu_" + _uuid(rng).replace("-", "")[:24]
        calls.append((tid, tool))
        blocks.append(
            {"type": "tool_use", "id": tid, "name": tool, "input": _tool_input(rng, tool)}
        )
    if story.allow_subagent and rng.random() < 0.04:
        tid = "toolu_" + _uuid(rng).replace("-", "")[:24]
        calls.append((tid, "Task"))
        blocks.append(
            {
                "type": "tool_use",
                "id": tid,
                "name": "Task",
                "input": {
                    "description": "Explore the code",
                    "prompt": "Find every caller of handle()",
                    "subagent_type": "Explore",
                },
            }
        )
    t.assistant(blocks, model)
    for tid, tool in calls:
        if tool == "Bash" and rng.random() < 0.3:
            t.progress(tid)
        if tool == "Task":
            agent = story.spawn_subagent(t, tid)
            t.tool_result(
                tid,
                [{"type": "text", "text": f"Found 3 callers.\nagentId: {agent}"}],
                False,
                {"agentId": agent, "status": "completed", "totalTokens": 1200},
            )
            continue
        failed = rng.random() < 0.07
        if failed:
            t.tool_result(
                tid,
                "Exit code 1\nError: tests failed: 2 failed, 40 passed",
                True,
                "Error: Exit code 1",
            )
            continue
        content, extra = _tool_output(rng, tool, out_budget // max(1, len(calls)))
        t.tool_result(tid, content, False, extra)


class Story:
    """One main session with its subagents, grown to a byte or record target."""

    def __init__(
        self, rng: random.Random, session_id: str, cwd: str, start: datetime, legacy: bool
    ):
        self.rng = rng
        self.legacy = legacy
        version = "2.0.76" if legacy else "2.1.38"
        self.main = ClaudeTranscript(
            rng, session_id, cwd, version, start, branch=rng.choice(("main", "dev", ""))
        )
        self.allow_subagent = True

    def spawn_subagent(self, parent: ClaudeTranscript, tool_id: str) -> str:
        rng = self.rng
        agent_id = "a" + "".join(rng.choice("0123456789abcdef") for _ in range(6))
        sub = ClaudeTranscript(
            rng,
            parent.session_id,
            parent.cwd,
            parent.version,
            parent.clock,
            branch=parent.branch,
            agent_id=agent_id,
        )
        sub.prompt("Find every caller of handle()")
        self.allow_subagent = False
        for _ in range(rng.randrange(1, 4)):
            _turn(sub, rng, MODELS[2], 400, self)
        self.allow_subagent = True
        parent.subagents.append(sub)
        parent.clock = max(parent.clock, sub.clock)
        return agent_id

    def play(self, target_bytes: int, min_records: int = 0) -> None:
        rng, t = self.rng, self.main
        model = MODELS[rng.randrange(2)]
        size = 0
        turn = 0
        if rng.random() < 0.3:
            t.emit(
                {
                    "type": "summary",
                    "summary": "Old summary from another session",
                    "leafUuid": _uuid(rng),
                }
            )
        while size < target_bytes or len(t.lines) < min_records or turn < 2:
            content: object = T.fill(rng, T.pick(rng, T.PROMPTS))
            if rng.random() < 0.05:
                content = [
                    {"type": "text", "text": "What is wrong in this screenshot?"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": T.PNG_1PX},
                    },
                ]
            elif rng.random() < 0.003:
                content = "broken emoji " + SURROGATE_MARK + " from a cut string"
            t.prompt(content)
            if turn == 0 and rng.random() < 0.3:
                t.meta(
                    "<local-command-caveat>Caveat: the messages below were generated by the "
                    "user while running local commands.</local-command-caveat>"
                )
            per_turn = max(500, (target_bytes - size) // 6)
            for _ in range(rng.randrange(1, 4)):
                _turn(t, rng, model, min(per_turn, 300_000), self)
            if rng.random() < 0.04:
                for attempt in range(1, rng.randrange(2, 5)):
                    t.system(
                        "api_error",
                        level="error",
                        error={
                            "status": 529,
                            "error": {
                                "type": "error",
                                "error": {"type": "overloaded_error", "message": "Overloaded"},
                            },
                        },
                        retryInMs=500 * attempt,
                        retryAttempt=attempt,
                        maxRetries=10,
                    )
            if rng.random() < 0.02:
                t.synthetic_error()
            if rng.random() < 0.03:
                t.compaction()
            if rng.random() < 0.05:
                t.system("turn_duration", durationMs=rng.randrange(1000, 90_000), isMeta=False)
            turn += 1
            size = t.nbytes
        if rng.random() < 0.4:
            leaf = t.uuids[-1]
            t.emit({"type": "summary", "summary": T.fill(rng, "Work on {file}"), "leafUuid": leaf})
        if rng.random() < 0.3:
            t.emit(
                {
                    "type": "ai-title",
                    "aiTitle": T.fill(rng, "Fixing {file}"),
                    "sessionId": t.session_id,
                }
            )
        if rng.random() < 0.1:
            t.emit(
                {
                    "type": "custom-title",
                    "customTitle": "my renamed session ✎",
                    "sessionId": t.session_id,
                }
            )
