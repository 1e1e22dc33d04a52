"""The layers: only `tui/` imports Textual, and no verb loads it, even indirectly.

`make lint` checks the imports between layers (import-linter contracts in pyproject.toml);
these tests check what a running verb actually loads.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sessions_tui

PACKAGE = Path(sessions_tui.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_browser_imports_textual() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "tui" not in p.relative_to(PACKAGE).parts]
    assert len(outside) > 30
    assert [str(p) for p in outside if "textual" in _imports(p)] == []
    # tui/keys.py and tui/state/ are plain Python too: `config` and tests read them alone.
    plain = [PACKAGE / "tui" / "keys.py", *(PACKAGE / "tui" / "state").rglob("*.py")]
    assert [str(p) for p in plain if "textual" in _imports(p)] == []


_LOADED = """
import contextlib, io, json, sys
from sessions_tui.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize(
    ("verb", "code"),
    [(["config", "--json"], 0), (["ls", "--json"], 0), (["stats", "--json"], 0),
     (["search", "x"], 1)],  # no hit: status 1, as grep says
)  # fmt: skip
def test_no_verb_loads_textual(tmp_path: Path, verb: list[str], code: int) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    args = verb if verb[0] == "config" else [*verb, "--root", str(root), "--no-cache"]
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, env=env
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["code"] == code, done.stderr
    loaded = report["modules"]
    assert "sessions_tui.cli.main" in loaded  # the verb ran here
    assert not [m for m in loaded if m == "textual" or m.startswith("textual.")]


def test_the_browser_loads_no_duckdb_before_its_first_paint() -> None:
    """What a start imports before the list is on screen (the CLI's entry, the app, its
    widgets): DuckDB (60 ms of import) loads later, in the catalog worker. A moved import
    once made the warm start 11% slower than a bare Textual app's, then 43%."""
    probe = (
        "import json, sys\n"
        "import sessions_tui.cli.main, sessions_tui.tui.launch, sessions_tui.tui.app\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    loaded = json.loads(done.stdout)
    assert "sessions_tui.tui.app" in loaded
    assert "duckdb" not in loaded
    # The store's modules that need no DuckDB (filters, the list snapshot) may come.
    heavy = ("catalog", "db", "session_view", "search", "search_index", "build", "loader")
    assert [m for m in loaded if m.rsplit(".", 1)[-1] in heavy and ".store." in m] == []
