"""A history whose every field holds hostile text: terminal escapes, controls, bidi, markup.

Text from sessions and from file names is data. Each string here would, printed raw, write
to the terminal's clipboard (OSC 52), set its title (OSC 0), make a link (OSC 8), clear the
screen (CSI), act as an 8-bit control (C1), reorder what is shown (bidi) or hide text
(zero-width); and would, read as markup, turn red or close a tag.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# The parts, each a different attack; EVIL holds them all.
OSC52 = "\x1b]52;c;cm0gLXJmIH4vcHJvamVjdHMK\x07"
OSC0 = "\x1b]0;pwned\x07"
OSC8 = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
CSI = "\x1b[2J\x1b[31m"
C1 = "\x9b31m\x9d0;c1\x9c\x85"
BIDI = "\u202eevil\u202c\u2066x\u2069\u200b\u200f\ufeff"
MARKUP = "[red]abc[/red] [/] [bold"
EVIL = f"{MARKUP}{OSC52}{OSC0}{OSC8}{CSI}{C1}{BIDI}"
# A file name cannot hold '/' or NUL; it can hold every other byte, newline and tab too.
EVIL_NAME = EVIL.replace("/", "") + "\n\t"

# Raw controls: C0 but for newline (and tab, which a tab-separated line may keep), DEL,
# C1, and the bidi and invisible format characters.
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)

SID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"


def _rec(kind: str, uuid: str, **fields: Any) -> str:
    base: dict[str, Any] = {
        "type": kind,
        "uuid": uuid,
        "sessionId": SID,
        "cwd": "/home/u/" + EVIL,
        "gitBranch": EVIL,
        "timestamp": "2026-11-01T10:00:00.000Z",
        "version": EVIL,
    }
    base.update(fields)
    return json.dumps(base)


def hostile_history(root: Path) -> Path:
    """A Claude home with two hostile sessions: one with a hostile file name, one with a
    normal (UUID) name and hostile content everywhere. Returns the root."""
    usage = {"input_tokens": 10, "output_tokens": 20}
    lines = [
        _rec("user", "u1", message={"role": "user", "content": EVIL + " first prompt"}),
        _rec(
            "assistant",
            "a1",
            message={
                "id": "m1",
                "role": "assistant",
                "model": EVIL,
                "content": [
                    {"type": "thinking", "thinking": EVIL},
                    {"type": "text", "text": EVIL},
                    {"type": "tool_use", "id": "t1", "name": EVIL, "input": {"command": EVIL}},
                ],
                "usage": usage,
            },
        ),
        _rec(
            "user",
            "u2",
            message={
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "t1", "content": EVIL, "is_error": True}
                ],
            },
        ),
        _rec(
            "assistant",
            "a2",
            message={
                "id": "m2",
                "role": "assistant",
                "model": "claude-opus-4-6",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "t2",
                        "name": "Edit",
                        "input": {"file_path": EVIL, "old_string": EVIL, "new_string": EVIL},
                    }
                ],
                "usage": usage,
            },
        ),
        json.dumps({"type": "summary", "summary": EVIL, "leafUuid": "a2"}),
        _rec("system", "s1", content=EVIL, subtype=EVIL),
        _rec(EVIL, "o1"),
    ]
    folder = root / "projects" / ("-home-u-" + EVIL_NAME.replace("\n", "").replace("\t", ""))
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n".join(lines) + "\n"
    (folder / f"{SID}.jsonl").write_text(body, encoding="utf-8")
    # A file not named by its session goes by the id inside it: hostile there too.
    (folder / f"{EVIL_NAME}.jsonl").write_text(
        body.replace(SID, json.dumps(EVIL_NAME)[1:-1]), encoding="utf-8"
    )
    return root
