"""Shared fixtures: every test gets its own cache and demo folders, never the user's."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from sessions_tui.demo import DemoReport, generate_history

# Hypothesis keeps its example database in a temp folder, never in the checkout.
# On CI the examples are derandomized (the same every run): a red CI is then a regression,
# never a new random find; local runs keep exploring.
if os.environ.get("CI"):
    settings.register_profile("project", derandomize=True, database=None)
else:
    settings.register_profile(
        "project",
        database=DirectoryBasedExampleDatabase(tempfile.mkdtemp(prefix="sessions-tui-hypothesis-")),
    )
settings.load_profile("project")


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


def _shared_folder(variable: str, where: str) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"{variable} is not set (CI sets it to {where})")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"{variable}={value} is not a folder")
    return path


@pytest.fixture()
def corpus() -> Iterator[Path]:
    yield _shared_folder("SESSIONS_TUI_CORPUS", "../shared/corpus")


@pytest.fixture()
def realworld() -> Iterator[Path]:
    """The second corpus of real sessions (../shared/realworld, see its SOURCES.md)."""
    yield _shared_folder("SESSIONS_TUI_REALWORLD", "../shared/realworld")
