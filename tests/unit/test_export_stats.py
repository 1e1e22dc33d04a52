"""Export (escaping, determinism, filters) and stats (per day, per model, costs)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.demo import DemoReport
from sessions_tui.pricing import PRICES_AS_OF, cost, price_of
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.stats import Scope, overview
from tests.cli_run import EVIL, evil_session, roots_args, run_cli
from tests.records import SID


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_export_escapes_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = evil_session(tmp_path / "h")
    code, out, _ = run_cli(capsys, "--root", str(root), "export", SID[:8], "--format", "html")
    assert code == 0
    parser = _Collect()
    parser.feed(out)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "Bash<b>" in text and "/home/u/<evil>" in text
    assert "\x1b" not in out and "␛[31mred" in text


def _blocks(markdown: str) -> tuple[list[str], list[str]]:
    """(fenced block bodies, lines outside fences) of a Markdown text."""
    blocks: list[str] = []
    outside: list[str] = []
    lines = iter(markdown.split("\n"))
    for line in lines:
        fence = re.fullmatch(r"(`{3,})text", line)
        if not fence:
            outside.append(line)
            continue
        body = []
        for inner in lines:
            if inner == fence.group(1):
                break
            body.append(inner)
        blocks.append("\n".join(body))
    return blocks, outside


def test_markdown_export_fences_outrun_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    _, out, _ = run_cli(capsys, "--root", str(root), "export", SID[:8], "--format", "md")
    blocks, outside = _blocks(out)
    shown = EVIL.replace("\x1b", "␛")
    assert shown in blocks and "````\nfour ticks" in blocks  # verbatim, fences intact
    headings = [line for line in outside if line.startswith("#")]
    assert all(re.match(r"#{1,2} ", h) for h in headings)
    assert not any("not a heading" in h for h in headings[1:])
    assert "## Tool call · Bash&lt;b&gt;" in outside  # inline session text is inert
    title = headings[0]
    assert "<script>" not in title and "&lt;script&gt;" in title and "\\(1\\)" in title


def test_exports_are_deterministic_and_follow_the_filter(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root, _ = demo_history
    _, out, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    sid = json.loads(out)[0]["id"]
    outputs = []
    for _ in range(2):
        _, out, _ = run_cli(capsys, *roots_args(root), "export", sid, "--format", "json")
        outputs.append(out)
    assert outputs[0] == outputs[1]
    doc = json.loads(outputs[0])
    assert doc["session"]["id"] == sid and doc["filter"] is None
    _, out, _ = run_cli(
        capsys, *roots_args(root), "export", sid, "--format", "json", "--kind", "prompt"
    )
    prompts = json.loads(out)
    assert {e["kind"] for e in prompts["entries"]} == {"prompt"}
    assert len(prompts["entries"]) == sum(e["kind"] == "prompt" for e in doc["entries"])
    assert prompts["filter"] == "kinds prompt"
    target = tmp_path / "out.html"
    assert main([*roots_args(root), "export", sid, "-o", str(target)]) == 0
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_export_never_writes_into_a_session_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    before = sorted(p for p in root.rglob("*"))
    code, _, err = run_cli(
        capsys, "--root", str(root), "export", SID[:8], "-o", str(root / "projects" / "x.md")
    )
    assert code == 1 and "will not write into a session folder" in err
    assert sorted(p for p in root.rglob("*")) == before


def test_price_table_is_dated_and_prices_by_family() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", PRICES_AS_OF)
    exact = price_of("claude-sonnet-4-5-20250929")
    assert exact.listed_as == "claude-sonnet-4-5" and not exact.approximate
    newer = price_of("claude-opus-4-9")
    assert newer.listed_as == "claude-opus-4-8" and newer.approximate
    # Models seen in the real-world corpus are listed, not guessed.
    for model in ("claude-opus-4-6", "claude-opus-4-7", "gpt-5.3-codex", "gpt-5.5"):
        assert price_of(model).listed_as == model and not price_of(model).approximate
    assert price_of("gpt-5.6-codex").listed_as == "gpt-5.3-codex"
    assert price_of("some-local-model").price is None
    assert cost("some-local-model", 1, 1, 1, 1) is None
    # $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    assert cost("claude-sonnet-4-5", 1_000_000, 1_000_000, 1_000_000, 1_000_000) == pytest.approx(
        3 + 15 + 0.30 + 3.75
    )
    # Of 1M cache writes, 400k kept an hour: $6 per million for those, $3.75 for the rest.
    assert cost("claude-sonnet-4-5", 0, 0, 0, 1_000_000, 400_000) == pytest.approx(
        0.6 * 3.75 + 0.4 * 6
    )
    # Opus 4.5 and later: $5 in, $25 out, $0.50 read, $6.25 (5 min) and $10 (1 h) writes.
    assert cost("claude-opus-4-7", 1_000_000, 1_000_000, 1_000_000, 2_000_000, 1_000_000) == (
        pytest.approx(5 + 25 + 0.5 + 6.25 + 10)
    )
    # A one-hour count larger than all writes (a damaged record) is capped at the writes.
    assert cost("claude-haiku-4-5", 0, 0, 0, 100, 10**9) == pytest.approx(100 * 2 / 1e6)
    # OpenAI has no cache writes; gpt-5.3-codex: $1.75 in, $0.175 cached, $14 out.
    assert cost("gpt-5.3-codex", 1_000_000, 1_000_000, 1_000_000, 0) == pytest.approx(
        1.75 + 14 + 0.175
    )


def test_stats_per_day_and_model_add_up(demo_history: tuple[Path, DemoReport]) -> None:
    root, _ = demo_history
    catalog = Catalog(
        root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex")), None
    )
    catalog.refresh()
    stats = overview(catalog.con)
    sessions = catalog.sessions()
    # Every file's tokens (subagents included) are spent on some day, by some model.
    every = sum(s.tokens.output + s.subagent_tokens.output for s in sessions)
    assert stats["tokens"]["output"] == every
    assert sum(d["output"] for d in stats["per_day"]) == every
    assert sum(m["output"] for m in stats["models"]) == every
    assert sum(d["sessions"] for d in stats["per_day"]) == sum(1 for s in sessions if s.started)
    days = [d["day"] for d in stats["per_day"]]
    assert days == sorted(days) and len(days) == len(set(days))  # gaps filled, in order
    priced = [m for m in stats["models"] if m["cost"] is not None]
    assert stats["cost"] == pytest.approx(sum(m["cost"] for m in priced), abs=0.01)
    assert stats["tools"] and max(stats["tools"].values()) == next(iter(stats["tools"].values()))
    secs = [s["seconds"] for s in stats["longest"]]
    assert secs == sorted(secs, reverse=True)
    one = overview(catalog.con, Scope(project="payments"))
    assert 0 < one["sessions"] < stats["sessions"]
    assert all("payments" in p["project"] for p in one["projects"])
    late = overview(catalog.con, Scope(since=days[len(days) // 2]))
    assert all(d["day"] >= days[len(days) // 2] for d in late["per_day"])


def test_stats_cli_for_one_session(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = demo_history
    _, out, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    row = next(r for r in json.loads(out) if r["source"] == "claude" and r["subagents"])
    _, out, _ = run_cli(capsys, *roots_args(root), "stats", row["id"], "--json")
    one = json.loads(out)
    spent = row["tokens"]["output"] + row["subagent_tokens"]["output"]
    assert one["tokens"]["output"] == spent
    assert one["turns"] == row["kinds"]["prompt"] and one["prices_as_of"] == PRICES_AS_OF
    assert one["tools"] and one["seconds"] >= 0
    code, out, _ = run_cli(capsys, *roots_args(root), "stats", row["id"])
    assert code == 0 and "estimated cost" in out
