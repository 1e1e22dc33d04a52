"""Records that broke every verb: impossible token counts, nesting deeper than Python's
stack. Each is reported and the rest of the history still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import run_cli
from tests.records import assistant, usage_record, user, write

A = "aaaaaaaa-0000-4000-8000-000000000000"


@pytest.fixture()
def history(tmp_path: Path) -> Path:
    root = tmp_path / "h"
    folder = root / "projects" / "-p"
    write(folder, f"{A}.jsonl", [
        user("numbers", "u1", sessionId=A),
        usage_record("a1", "m1", 9223372036854775807, A),
        usage_record("a2", "m2", 5 * 10**18, A),
        usage_record("a3", "m3", 5 * 10**18, A),
        usage_record("a4", "m4", -500, A),
        usage_record("a5", "m5", 1e30, A),
        usage_record("a6", "m6", 7, A),
    ])  # fmt: skip
    deep = '{"type":"user","uuid":"d","sessionId":"deep","message":{"role":"user","content":"deep"}'
    levels = 100_000
    (folder / "deep.jsonl").write_text(
        deep + ',"x":' + "[" * levels + "]" * levels + "}\n"  # whole: DuckDB reads it
        + deep + ',"x":' + "[" * levels + "\n"  # torn: Python's parser would recurse
        + user("after the deep lines", "u2", sessionId="deep") + "\n"
    )  # fmt: skip
    write(root / "projects" / "-q", "fine.jsonl", [user("a fine session", "u1", sessionId="fine")])
    return root


def test_impossible_token_counts_count_as_zero_and_are_flagged(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--root", str(history), "ls", "--json")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {A, "deep", "fine"}
    numbers = rows[A]
    assert numbers["bad_numbers"] == 5 and numbers["records"] == 7
    assert numbers["tokens"]["output"] == 7  # only the sane record's output
    assert "5 records with impossible token counts" in err
    for verb in (["stats"], ["stats", A[:8]], ["stats", "--json"], ["show", A[:8]]):
        code, _, err = run_cli(capsys, "--root", str(history), *verb)
        assert code == 0 and "Traceback" not in err, (verb, err)


def test_nesting_past_pythons_stack_is_read_or_counted_never_a_crash(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--root", str(history), "ls", "--json")
    assert code == 0, err
    deep = next(r for r in json.loads(out) if r["id"] == "deep")
    assert (deep["records"], deep["malformed_lines"]) == (2, 1)
    code, out, err = run_cli(capsys, "--root", str(history), "show", "deep", "--json")
    assert code == 0, err
    assert [e["text"] for e in json.loads(out)] == ["deep", "after the deep lines"]
    for verb in (["search", "after"], ["export", "deep", "--format", "json"], ["stats"]):
        code, _, err = run_cli(capsys, "--root", str(history), *verb)
        assert code == 0 and "Traceback" not in err, (verb, err)


def test_one_hour_cache_writes_of_any_shape_are_read_or_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`usage.cache_creation` as the API writes it, as a number, as a list, with an
    impossible count, and with more one-hour writes than writes: each record is kept; only
    the sane object counts, and the impossible count flags its record."""
    shapes = [
        {"ephemeral_5m_input_tokens": 3, "ephemeral_1h_input_tokens": 2},
        7,
        [1, 2],
        {"ephemeral_1h_input_tokens": -1},
        {"ephemeral_1h_input_tokens": 500},
    ]
    lines = [user("writes", "u1", sessionId=A)]
    for n, shape in enumerate(shapes):
        record = json.loads(
            assistant({"type": "text", "text": "hi"}, f"m{n}", 1, f"a{n}", sessionId=A)
        )
        record["message"]["usage"]["cache_creation"] = shape
        lines.append(json.dumps(record))
    root = tmp_path / "h"
    write(root / "projects" / "-p", f"{A}.jsonl", lines)
    code, out, err = run_cli(capsys, "--root", str(root), "stats", A[:8], "--json")
    assert code == 0 and "Traceback" not in err, err
    stats = json.loads(out)
    assert stats["tokens"]["cache_creation"] == 5 * 5  # five responses, 5 writes each
    # 2 from the first record, and the last one's 500 capped at its 5 writes.
    assert stats["tokens"]["cache_creation_1h"] == 2 + 5
    code, out, _ = run_cli(capsys, "--root", str(root), "ls", "--json")
    (row,) = json.loads(out)
    assert row["records"] == 6 and row["bad_numbers"] == 1
