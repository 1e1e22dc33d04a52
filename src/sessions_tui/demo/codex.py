"""Writes demo Codex rollouts: session_meta, turns, duplicated events and token counts."""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from datetime import datetime, timedelta

from sessions_tui.demo import text as T


class CodexRollout:
    """Builds one rollout file's lines, turn by turn."""

    def __init__(self, rng: random.Random, session_id: str, cwd: str, start: datetime) -> None:
        self.rng = rng
        self.clock = start
        self.lines: list[str] = []
        self.nbytes = 0
        self.totals = {
            "input_tokens": 0,
            "cached_input_tokens": 0,
            "output_tokens": 0,
            "reasoning_output_tokens": 0,
            "total_tokens": 0,
        }
        self.model = rng.choice(("gpt-5.3-codex", "gpt-5-codex"))
        self._emit(
            "session_meta",
            {
                "id": session_id,
                "timestamp": self._ts(),
                "cwd": cwd,
                "originator": "codex_cli_rs",
                "cli_version": "0.104.0",
                "source": "cli",
                "model_provider": "openai",
                "git": {
                    "branch": "main",
                    "commit_hash": uuidlib.UUID(int=rng.getrandbits(128)).hex,
                },
            },
        )
        self._item(
            {
                "type": "message",
                "role": "developer",
                "content": [
                    {
                        "type": "input_text",
                        "text": "<permissions instructions>sandboxed</permissions instructions>",
                    }
                ],
            }
        )
        self._item(
            {
                "type": "message",
                "role": "user",
                "content": [
                    {
                        "type": "input_text",
                        "text": "<environment_context>\n"
                        f"  <cwd>{cwd}</cwd>\n</environment_context>",
                    }
                ],
            }
        )

    def _ts(self) -> str:
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.clock.microsecond // 1000:03d}Z"

    def _emit(self, kind: str, payload: dict[str, object], seconds: float = 0.5) -> None:
        self.clock += timedelta(seconds=seconds)
        line = json.dumps(
            {"timestamp": self._ts(), "type": kind, "payload": payload},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        self.lines.append(line)
        self.nbytes += len(line) + 1

    def _item(self, payload: dict[str, object], seconds: float = 0.5) -> None:
        self._emit("response_item", payload, seconds)

    def _tokens(self) -> None:
        rng = self.rng
        last = {
            "input_tokens": rng.randrange(3_000, 40_000),
            "output_tokens": rng.randrange(50, 3_000),
            "reasoning_output_tokens": rng.randrange(0, 800),
        }
        last["cached_input_tokens"] = last["input_tokens"] * rng.randrange(0, 9) // 10
        last["total_tokens"] = last["input_tokens"] + last["output_tokens"]
        for key, value in last.items():
            self.totals[key] += value
        info = {
            "total_token_usage": dict(self.totals),
            "last_token_usage": last,
            "model_context_window": 258_400,
        }
        # Codex writes each token_count twice in a row (quirk C3): same totals, new time.
        self._emit("event_msg", {"type": "token_count", "info": info, "rate_limits": None})
        self._emit("event_msg", {"type": "token_count", "info": info, "rate_limits": None}, 0.01)

    def turn(self, out_budget: int) -> None:
        rng = self.rng
        turn_id = str(uuidlib.UUID(int=rng.getrandbits(128)))
        prompt = T.fill(rng, T.pick(rng, T.PROMPTS))
        self._emit(
            "event_msg",
            {"type": "task_started", "turn_id": turn_id, "model_context_window": 258_400},
            rng.uniform(30, 600),
        )
        self._emit(
            "turn_context",
            {
                "turn_id": turn_id,
                "cwd": "",
                "approval_policy": "on-request",
                "model": self.model,
                "effort": "medium",
            },
        )
        self._item(
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": prompt}]}
        )
        self._emit("event_msg", {"type": "user_message", "message": prompt, "images": []}, 0.01)
        for _ in range(rng.randrange(1, 4)):
            thought = T.pick(rng, T.THOUGHTS)
            self._item(
                {
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": thought}],
                    "content": None,
                    "encrypted_content": "gAAAA" + "x" * 64,
                },
                rng.uniform(1, 9),
            )
            self._emit("event_msg", {"type": "agent_reasoning", "text": thought}, 0.01)
            call_id = "call_" + uuidlib.UUID(int=rng.getrandbits(128)).hex[:20]
            if rng.random() < 0.2:
                patch = (
                    "*** Begin Patch\n*** Update File: src/app.py\n@@\n"
                    "-    return 0\n+    return main()\n*** End Patch"
                )
                self._item(
                    {
                        "type": "custom_tool_call",
                        "status": "completed",
                        "call_id": call_id,
                        "name": "apply_patch",
                        "input": patch,
                    }
                )
                self._item(
                    {
                        "type": "custom_tool_call_output",
                        "call_id": call_id,
                        "output": json.dumps(
                            {
                                "output": "Success. Updated the following files:\nM src/app.py\n",
                                "metadata": {"exit_code": 0},
                            }
                        ),
                    }
                )
            else:
                cmd = T.pick(rng, ("rg -n handle src", "pytest -q", "cat README.md", "git diff"))
                self._item(
                    {
                        "type": "function_call",
                        "name": "shell",
                        "call_id": call_id,
                        "arguments": json.dumps(
                            {"command": ["bash", "-lc", cmd], "workdir": "/src"}
                        ),
                    }
                )
                code = 1 if rng.random() < 0.1 else 0
                out = T.log_output(rng, max(100, out_budget // 3))
                self._item(
                    {
                        "type": "function_call_output",
                        "call_id": call_id,
                        "output": json.dumps(
                            {
                                "output": out,
                                "metadata": {"exit_code": code, "duration_seconds": 0.4},
                            }
                        ),
                    },
                    rng.uniform(0.2, 20),
                )
        reply = T.fill(rng, T.pick(rng, T.REPLIES))
        self._item(
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": reply}],
            },
            2,
        )
        self._emit("event_msg", {"type": "agent_message", "message": reply}, 0.01)
        self._tokens()
        if rng.random() < 0.05:
            self._emit(
                "compacted",
                {
                    "message": "",
                    "replacement_history": [
                        {
                            "type": "message",
                            "role": "user",
                            "content": [{"type": "input_text", "text": prompt}],
                        }
                    ],
                },
            )
            self._emit("event_msg", {"type": "context_compacted"})
        self._emit(
            "event_msg", {"type": "task_complete", "turn_id": turn_id, "last_agent_message": reply}
        )

    def play(self, target_bytes: int, min_records: int = 0) -> None:
        turns = 0
        while self.nbytes < target_bytes or len(self.lines) < min_records or turns < 1:
            self.turn(max(300, (target_bytes - self.nbytes) // 4))
            turns += 1
