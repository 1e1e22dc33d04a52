"""Shared fixtures: every test gets its own cache and demo folders, never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessions_tui.demo import DemoReport, generate_history


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.mktemp("app")
    monkeypatch.setenv("SESSIONS_TUI_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SESSIONS_TUI_DEMO_DIR", str(base / "demo"))
    monkeypatch.setenv("SESSIONS_TUI_STATE_DIR", str(base / "state"))


@pytest.fixture(scope="session")
def demo_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoReport]:
    """A small generated history (faults included), shared read-only by tests."""
    root = tmp_path_factory.mktemp("demo")
    report = generate_history(root, seed=11, sessions=60, total_bytes=3_000_000)
    return root, report


@pytest.fixture()
def corpus() -> Iterator[Path]:
    value = os.environ.get("SESSIONS_TUI_CORPUS")
    if not value:
        pytest.skip("SESSIONS_TUI_CORPUS is not set (CI sets it to ../shared/corpus)")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"SESSIONS_TUI_CORPUS={value} is not a folder")
    yield path
