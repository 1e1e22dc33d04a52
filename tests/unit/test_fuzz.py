"""Property tests: damaged session files never break the reader, and no line goes missing.

Lines come from the project's own generator (and from the real files of both corpora when
SESSIONS_TUI_CORPUS and SESSIONS_TUI_REALWORLD are set), then are mutated the ways files
really break: cut short, spliced, duplicated, glued, with NUL bytes, invalid UTF-8 or
huge strings injected, nested deep, with impossible token counts, or replaced by random
bytes. For every example:
- refreshing the catalog and opening the session never raise;
- records + malformed lines account for every non-blank line, as the pure-Python
  reference reader counts them, and the kinds agree with it;
- the per-session view counts what the catalog counts.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions_tui.demo import generate_history
from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.sources.repair import iter_lines, pick_lines
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.session_view import SessionView
from tests.reference import read_file

KINDS = [k.value for k in Kind]


@cache
def pool() -> tuple[bytes, ...]:
    """Real-looking lines: a small generated history, plus lines of the real files of both
    corpora when they are there (up to 200 a folder's files, so each has its share)."""

    def lines_of(files: list[Path], most: int) -> list[bytes]:
        found = [ln for f in files for ln in f.read_bytes().split(b"\n") if ln.strip()]
        return [ln for ln in found if len(ln) < 200_000][:most]

    with tempfile.TemporaryDirectory(prefix="fuzz-pool-") as tmp:
        generate_history(Path(tmp), seed=9, sessions=6, total_bytes=200_000)
        lines = lines_of(sorted((Path(tmp) / "claude").rglob("*.jsonl")), 400)
    for variable in ("SESSIONS_TUI_CORPUS", "SESSIONS_TUI_REALWORLD"):
        corpus = os.environ.get(variable)
        if corpus and Path(corpus).is_dir():
            real = sorted(p for p in Path(corpus).rglob("*.jsonl") if "codex" not in str(p))
            lines += lines_of(real[:5], 100) + lines_of(real[-5:], 100)
    return tuple(lines)


# Token counts as hostile files hold them: negative, past any model, past INT64, floats.
ABSURD = [b"-5", b"-1", b"0", b"10000000000", b"10000000001", b"9223372036854775807",
          b"5000000000000000000", b"1e30", b"1.5e300", b"12.5"]  # fmt: skip


def _deep(line: bytes, levels: int, torn: bool) -> bytes:
    """The record with a field nested `levels` deep (left open when `torn`)."""
    nested = b"[" * levels + (b"" if torn else b"]" * levels + b",")
    return b'{"deep":' + nested + (b"" if torn else line.lstrip()[1:])


def _absurd_tokens(line: bytes, at: int) -> bytes:
    value = ABSURD[at % len(ABSURD)]
    return re.sub(rb'("(?:output|input)_tokens"):\s*\d+', rb"\1:" + value, line, count=1)


def _mutate(line: bytes, other: bytes, how: int, at: int, junk: bytes) -> bytes:
    cut = at % (len(line) + 1)
    return [
        lambda: line,  # intact
        lambda: line[:cut],  # torn (a writer stopped mid-line)
        lambda: line[:cut] + other[cut % (len(other) + 1) :],  # spliced
        lambda: line + other,  # glued: two records on one line
        lambda: line[:cut] + b"\x00" + line[cut:],  # a NUL byte
        lambda: line[:cut] + b"\xff\xfe\xc3" + line[cut:],  # invalid UTF-8
        lambda: line.replace(b'"text":"', b'"text":"' + b"x" * 300_000, 1),  # a huge string
        lambda: junk,  # random bytes
        lambda: b"\xef\xbb\xbf" + line,  # a BOM
        lambda: _deep(line, 1 + at % 700, torn=False),  # deep, within Python's reach
        lambda: _deep(line, 1 + at % 3000, torn=True),  # deep and cut: past its reach
        lambda: _absurd_tokens(line, at),  # impossible token counts
    ][how % 12]()


@st.composite
def damaged_file(draw: st.DrawFn) -> bytes:
    lines = pool()
    out = []
    for _ in range(draw(st.integers(1, 12))):
        line = lines[draw(st.integers(0, len(lines) - 1))]
        other = lines[draw(st.integers(0, len(lines) - 1))]
        how = draw(st.integers(0, 11))
        junk = draw(st.binary(max_size=200))
        out.append(_mutate(line, other, how, draw(st.integers(0, 10**6)), junk))
        if draw(st.booleans()) and out:
            out.append(out[-1])  # a duplicated line
    tail = b"" if draw(st.booleans()) else b"\n"  # sometimes no final newline
    return b"\n".join(out) + tail


def _check(root: Path) -> None:
    catalog = Catalog(root_from_arg(str(root)), None)
    try:
        catalog.refresh()
        facts = catalog.file_facts()
        for path, row in facts.items():
            raw = Path(path).read_bytes()
            lines = [ln.replace(b"\xef\xbb\xbf", b"") for ln in raw.split(b"\n")]
            nonblank = sum(1 for ln in lines if ln.strip(b" \t\r\n\x0b\x0c"))
            ref = read_file(Path(path), row["source"])
            assert (row["records"], row["malformed_lines"]) == (ref.records, ref.malformed_lines)
            # Every non-blank line is read (one or more records) or counted as malformed.
            assert row["malformed_lines"] <= nonblank <= row["records"] + row["malformed_lines"]
            assert {k: row["n_" + k] for k in KINDS} == {k: ref.kinds[k] for k in KINDS}
            assert row["replayed"] == ref.replayed
            tokens = {k: row["t_" + k] for k in ("input", "output", "cache_read", "cache_creation")}
            assert tokens == ref.tokens
        for session in catalog.sessions():
            view = SessionView(session)
            try:
                counts = view.counts()
                assert view.total == sum(counts[k] for k in KINDS)
                row = facts[str(session.path)]
                assert all(counts[k] >= row["n_" + k] for k in KINDS)  # subagents add
                list(view.entries())  # every entry can be read in full
            finally:
                view.close()
    finally:
        catalog.close()


def _check_file(data: bytes) -> None:
    """One session file holding `data`, checked in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        folder = Path(tmp) / "projects" / "-home-u-p"
        folder.mkdir(parents=True)
        (folder / f"{uuid.uuid4()}.jsonl").write_bytes(data)
        _check(Path(tmp))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(data=damaged_file())
def test_damaged_claude_files_never_break_the_reader(data: bytes) -> None:
    _check_file(data)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None)
@given(data=st.lists(st.binary(max_size=300), max_size=8).map(b"\n".join))
def test_random_bytes_never_break_the_reader(data: bytes) -> None:
    _check_file(data)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None)
@given(
    text=st.text(max_size=200),
    kind=st.sampled_from(["user", "assistant", "system", "summary", "weird"]),
)
def test_any_text_in_a_record_round_trips(text: str, kind: str) -> None:
    """Whatever a record's text is (controls, surrogates, markup), the reader keeps it."""
    record = {"type": kind, "uuid": "u1", "sessionId": "s", "timestamp": "2026-11-01T00:00:00Z",
              "message": {"role": "user", "content": text}}  # fmt: skip
    _check_file((json.dumps(record) + "\n").encode("utf-8"))


# Lines as blank, as byte-order marks and as ends of lines make them.
PIECES = [b"", b" ", b"\r", b"\xef\xbb\xbf", b"\xef\xbb\xbf{}", b"{}", b"x\r", b"\t \x0b",
          b'{"type":"user"}', b"\xff\xfe"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.sampled_from(PIECES), max_size=10),
    wanted=st.sets(st.integers(0, 12)),
)
def test_picking_lines_numbers_them_as_reading_them_one_by_one_does(
    lines: list[bytes], wanted: set[int]
) -> None:
    """The catalog's quick look at damaged lines (`pick_lines`, the whole file split at
    once) numbers lines as `iter_lines` does, blank lines, byte-order marks and a last
    line with no end included: otherwise it would judge the wrong lines."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / "f.jsonl"
        path.write_bytes(b"\n".join(lines))
        every = list(iter_lines(path))
        count, picked = pick_lines(path, wanted)
    assert count == len(every)
    assert picked == [(i, raw) for i, raw in every if i in wanted]
    assert [type(raw) for _, raw in picked] == [type(raw) for i, raw in every if i in wanted]
