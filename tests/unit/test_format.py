"""The one place numbers, money, projects, times and snippets are written (CLI and TUI)."""

from __future__ import annotations

from datetime import UTC, datetime

from sessions_tui.output.format import (
    cache_writes,
    human,
    marked,
    money,
    relative_time,
    short_project,
    when_text,
)


def test_numbers_money_and_projects() -> None:
    assert [human(n) for n in (0, 999, 1_200, 4_500_000, 1.2e9, -2_500)] == [
        "0", "999", "1.2k", "4.5M", "1.2G", "-2.5k"
    ]  # fmt: skip
    assert cache_writes({"cache_creation": 400_200, "cache_creation_1h": 39_438}) == (
        "400.2k (1h 39.4k)"
    )
    assert cache_writes({"cache_creation": 12}) == "12"
    assert money(None) == "no price" and money(1234.5) == "$1,234.50"
    assert short_project("/home/me/api/") == "api"
    assert short_project("C:\\work\\web") == "web"
    assert short_project(None) == "?"


def test_times() -> None:
    at = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert relative_time("2026-11-27T11:59:30Z", at) == "just now"
    assert relative_time("2026-11-24T12:00:00Z", at) == "3d ago"
    assert relative_time("2025-09-14T12:00:00Z", at) == "1y ago"
    assert relative_time("not a time", at) == "not a time"
    assert when_text(None) == ""
    assert when_text("2025-09-14T12:00:00Z", "%Y") == "2025"


def test_a_snippet_is_data_with_its_matches_marked() -> None:
    text = marked("[bold]fix[/bold] the auth bug", [(21, 25)])
    assert text.plain == "  [bold]fix[/bold] the auth bug"  # markup stays text
    (span,) = text.spans
    assert text.plain[span.start : span.end] == "auth" and "reverse" in str(span.style)
