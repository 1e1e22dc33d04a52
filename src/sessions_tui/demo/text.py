"""Deterministic text for the demo history: prompts, replies, code, tricky strings."""

# ruff: noqa: E501  (text data reads best one item a line)

from __future__ import annotations

import base64
import random

PROJECTS = (
    "/home/dev/src/payments-api",
    "/home/dev/src/web-frontend",
    "/home/dev/src/infra/terraform",
    "/home/dev/src/ml-pipeline",
    "/home/dev/notes",
    "/Users/sam/work/mobile-app",
    "C:\\Users\\kim\\projects\\game-engine",
    "/home/dev/src/日本語-docs",
)

PROMPTS = (
    "Fix the failing test in {file}",
    "Why does {file} time out under load?",
    "Add pagination to the list endpoint and update the docs",
    "Refactor {file} so the parser and the renderer are separate modules",
    "Write a migration that adds an index on created_at",
    'Explain what this stack trace means:\n  File "{file}", line 42, in handle\n    raise KeyError(key)',
    "Summarise the open TODOs in this repo",
    "Upgrade the dependencies and make sure CI is green",
    "Can you review my change to {file}? I am worried about the locking",
    "Make the CLI print a clear error instead of a traceback when the file is missing",
    "Port the shell script in scripts/release.sh to Python",
    "The logs show [bold red]ERROR[/bold red] lines with [link=http://x]links[/link]; strip them",
    "Translate the README intro to Japanese: 日本語で説明してください 🎌",
    "colour test: \x1b[31mred\x1b[0m and \x1b[1mbold\x1b[22m should stay literal",
)

FILES = (
    "src/app/server.py",
    "src/app/models/user.py",
    "tests/test_api.py",
    "web/src/components/Table.tsx",
    "Makefile",
    "infra/main.tf",
    "pipeline/train.py",
    "docs/index.md",
)

TOOLS = ("Bash", "Read", "Edit", "Write", "Grep", "Glob", "Bash", "Read", "Bash")

REPLIES = (
    "I'll start by looking at how {file} is structured.",
    "The test fails because the fixture is created after the app starts. Moving it up fixes the ordering.",
    "Done. I changed {file} and ran the test suite: all green.",
    'Here is the plan:\n\n1. Read {file}\n2. Add the index\n3. Run the migrations\n\n```python\ndef up(db):\n    db.execute("CREATE INDEX ix_created ON orders(created_at)")\n```',
    "The lock is taken twice on the error path; `release()` is never called when `parse()` raises.",
    "That warning is harmless: it comes from the vendored copy of `six`.",
    "I could not reproduce it locally. Could you paste the full output of `make test`?",
    "Rich markup in output stays literal: [red]this is not red[/red] and [/] is not a tag.",
    "Unicode check: café, naïve, 中文字符, emoji 🚀✨, combining e\u0301, wide ＡＢＣ.",
)

THOUGHTS = (
    "The user wants the failing test fixed. Let me check the fixture order first.",
    "I should read the file before editing it, the last edit may have moved things.",
    "Two options: add a lock or make the cache per-request. Per-request is simpler.",
    "The stack trace points to a missing key; the config loader probably drops it.",
)

CODE = (
    "import os\nimport sys\n\n\ndef main() -> int:\n    path = sys.argv[1]\n    with open(path) as f:\n        for line in f:\n            print(line.rstrip())\n    return 0\n",
    "export function Table({ rows }: Props) {\n  return <table>{rows.map(r => <Row key={r.id} {...r} />)}</table>;\n}\n",
    'resource "aws_s3_bucket" "logs" {\n  bucket = "example-logs"\n  acl    = "private"\n}\n',
)

# A tiny but valid PNG (1x1 pixel), so image blocks carry real base64 data.
PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e221bc33"
        "0000000049454e44ae426082"
    )
).decode()

_LOG_LINE = "2026-11-{day:02d}T10:{m:02d}:{s:02d}Z INFO worker[{n}] processed batch {n} in {ms}ms\n"


def pick(rng: random.Random, seq: tuple[str, ...]) -> str:
    return seq[rng.randrange(len(seq))]


def fill(rng: random.Random, template: str) -> str:
    return template.replace("{file}", pick(rng, FILES))


_BLOCK: str | None = None


def log_output(rng: random.Random, approx_bytes: int) -> str:
    """Plausible command output of about `approx_bytes`, sliced from one cached block."""
    global _BLOCK
    if _BLOCK is None:
        _BLOCK = "".join(
            _LOG_LINE.format(day=1 + n % 28, m=n % 60, s=(n * 7) % 60, n=n, ms=(n * 31) % 997)
            for n in range(40_000)
        )
    out = []
    while approx_bytes > 0:
        take = min(approx_bytes, len(_BLOCK) // 2)
        start = _BLOCK.index("\n", rng.randrange(len(_BLOCK) // 2)) + 1
        out.append(_BLOCK[start : start + take])
        approx_bytes -= take
    return "".join(out)
