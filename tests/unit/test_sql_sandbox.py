"""`sessions-tui sql` runs queries and nothing else: no writes, no other files, no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import evil_session, run_cli
from tests.hostile import hostile_history


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return evil_session(tmp_path / "h")


def _sql(capsys: pytest.CaptureFixture[str], root: Path, *query: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--root", str(root), "sql", *query)


@pytest.mark.parametrize(
    "query",
    [
        "UPDATE catalog_files SET title = 'forged'",
        "SELECT 1; UPDATE catalog_files SET title = 'forged'",
        "COPY (SELECT 'x') TO '{session}'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "EXPORT DATABASE '{tmp}/dump'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "CREATE TABLE t AS SELECT 1",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('{session}')",
        "SELECT * FROM '{session}'",
    ],
)
def test_nothing_but_queries_over_the_catalog(
    root: Path, tmp_path: Path, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    session = next(root.rglob("*.jsonl"))
    before = session.read_bytes()
    text = query.format(session=session, tmp=tmp_path)
    code, out, err = _sql(capsys, root, text)
    assert code == 1 and err.startswith("sessions-tui: ") and err.count("\n") == 1, err
    assert out == ""
    assert session.read_bytes() == before
    assert not (tmp_path / "other.duckdb").exists() and not (tmp_path / "dump").exists()
    code, out, _ = _sql(capsys, root, "SELECT title FROM sessions", "--json")
    assert code == 0 and "forged" not in out


@pytest.mark.parametrize("query", ["", "   ", "-- only a comment", "/* nothing */ ;"])
def test_an_empty_query_is_a_clear_error(
    root: Path, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _sql(capsys, root, query)
    assert code == 1 and "no SQL statement" in err and err.count("\n") == 1


def test_markup_in_column_names_and_values_is_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = hostile_history(tmp_path / "hostile")
    code, out, err = _sql(capsys, root, 'SELECT 1 AS "[/]", \'[red]x\' AS "[bold"')
    assert code == 0, err
    assert out.splitlines()[0].split() == ["[/]", "[bold"] and "[red]x" in out
    pivot = "PIVOT (SELECT title, 1 AS n FROM sessions) ON title USING sum(n)"
    code, out, err = _sql(capsys, root, pivot)
    assert code == 0, err
    assert "[red]abc" in out and "\x1b" not in out
    code, out, err = _sql(capsys, root, pivot, "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_rows_stream_as_json_and_as_a_table(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT range AS n, 'row ' || range AS t FROM range(5000)"
    code, out, _ = _sql(capsys, root, query, "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5000 and rows[4999] == {"n": 4999, "t": "row 4999"}
    code, out, _ = _sql(capsys, root, query)
    lines = out.splitlines()
    assert len(lines) == 5001 and lines[0].split() == ["n", "t"]
    assert lines[-1].split() == ["4999", "row", "4999"]
    code, out, _ = _sql(capsys, root, "SELECT * FROM sessions WHERE id = 'none'", "--json")
    assert code == 0 and json.loads(out) == []


def test_entries_are_built_then_locked(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _sql(capsys, root, "SELECT count(*) AS n FROM entries", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["n"] > 0
