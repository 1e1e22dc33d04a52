"""The DuckDB path and the pure-Python reference reader agree, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessions_tui.demo import DemoReport
from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.session_view import SessionView
from tests.reference import read_file

KINDS = [k.value for k in Kind]


def _compare(roots: list[Path]) -> int:
    catalog = Catalog([r for root in roots for r in root_from_arg(str(root))], None)
    catalog.refresh()
    facts = catalog.file_facts()
    assert facts, "no files were catalogued"
    for path, row in facts.items():
        ref = read_file(Path(path), row["source"])
        got = {k: row["n_" + k] for k in KINDS}
        assert (row["records"], row["malformed_lines"]) == (ref.records, ref.malformed_lines), path
        assert got == {k: ref.kinds[k] for k in KINDS}, path
        assert row["entries"] == ref.entries, path
        assert row["replayed"] == ref.replayed, path
        tokens = {k: row["t_" + k] for k in ("input", "output", "cache_read", "cache_creation")}
        assert tokens == ref.tokens, path
    # The per-session view (entries.sql) gives the same kinds as the catalog's one pass.
    for session in catalog.sessions():
        view = SessionView(session)
        counts = view.counts()
        folded = view.replayed
        view.close()
        parts = [facts[str(session.path)]] + [facts[str(p)] for p in session.subagent_paths]
        assert folded == sum(p["replayed"] for p in parts) == session.replayed_records
        for k in KINDS:
            assert counts[k] == sum(p["n_" + k] for p in parts), (session.path, k)
    catalog.close()
    return len(facts)


def test_generated_history_matches_reference(demo_history: tuple[Path, DemoReport]) -> None:
    root, report = demo_history
    assert _compare([root / "claude", root / "codex"]) == report.files


def test_corpus_matches_reference(corpus: Path) -> None:
    assert _compare([corpus]) == 20


@pytest.mark.parametrize("seed", [1, 2])
def test_other_seeds_match_reference(tmp_path: Path, seed: int) -> None:
    from sessions_tui.demo import generate_history

    report = generate_history(tmp_path, seed=seed, sessions=25, total_bytes=800_000)
    assert _compare([tmp_path / "claude", tmp_path / "codex"]) == report.files


def test_realworld_matches_reference(realworld: Path) -> None:
    """The second real-world corpus: the three readers agree file by file."""
    assert _compare([realworld]) == 38
