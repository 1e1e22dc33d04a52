"""The data layer never imports Textual (design.md: usable from the CLI and tests alone)."""

from __future__ import annotations

import ast
from pathlib import Path

import sessions_tui

PACKAGE = Path(sessions_tui.__file__).parent
DATA_LAYER = [
    "model.py",
    "sources",
    "store",
    "demo",
    "text.py",
    "paths.py",
    "cli.py",
    "commands.py",
    "commands_find.py",
    "commands_stats.py",
    "export.py",
    "pricing.py",
    "plot.py",
    "config.py",
    "workspace.py",
    "resume.py",
    "profile.py",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_data_layer_has_no_textual_import() -> None:
    files = [
        p
        for entry in DATA_LAYER
        for p in (
            (PACKAGE / entry).rglob("*.py") if (PACKAGE / entry).is_dir() else [PACKAGE / entry]
        )
    ]
    assert len(files) > 10
    offenders = [str(p) for p in files if "textual" in _imports(p)]
    assert offenders == []
