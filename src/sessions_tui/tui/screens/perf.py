"""The performance panel (F12): the app's own measurements, refreshed every second."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sessions_tui.text import one_line, printable
from sessions_tui.tui.bindings import bindings


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def render_report(report: dict[str, Any]) -> Group:
    """The report of `SessionsApp.profile_report()` as tables."""
    timings = Table(title="queries (last 100 of each)", title_justify="left",
                    title_style="bold", box=None, header_style="bold")  # fmt: skip
    for name in ("kind", "count", "last ms", "p50 ms", "p95 ms", "max ms"):
        timings.add_column(name, justify="left" if name == "kind" else "right")
    for kind, t in report["timings"].items():
        timings.add_row(kind, str(t["count"]), _ms(t["last_ms"]), _ms(t["p50_ms"]),
                        _ms(t["p95_ms"]), _ms(t["max_ms"]))  # fmt: skip
    rates = Table(title="\ncaches", title_justify="left", title_style="bold", box=None,
                  header_style="bold")  # fmt: skip
    for name in ("cache", "hits", "misses", "hit rate"):
        rates.add_column(name, justify="left" if name == "cache" else "right")
    for name, r in report["hit_rates"].items():
        rate = "" if r["rate"] is None else f"{100 * r['rate']:.1f}%"
        rates.add_row(name, str(r["hits"]), str(r["misses"]), rate)
    views = Table(title="\nopen session views", title_justify="left", title_style="bold",
                  box=None, header_style="bold")  # fmt: skip
    for name in ("session", "table", "rows", "shown", "drawn lines cached"):
        views.add_column(name, justify="left" if name in ("session", "table") else "right")
    for v in report["views"]:
        views.add_row(Text(one_line(v["title"], 40)), v["table"], str(v["rows"]), str(v["shown"]),
                      str(v["cached_lines"]))  # fmt: skip
    slow = Table(title="\nslow queries (> 100 ms)", title_justify="left", title_style="bold",
                 box=None, header_style="bold", expand=True)  # fmt: skip
    for name in ("at", "kind", "ms", "sql"):
        slow.add_column(name, justify="right" if name == "ms" else "left",
                        overflow="fold", no_wrap=name != "sql")  # fmt: skip
    for s in report["slow_queries"][:20]:
        slow.add_row(s["at"], s["kind"], f"{s['ms']:.0f}", Text(printable(s["sql"][:400])))
    rss = report["rss_mb"]
    head = Text(f"process RSS {rss} MB · Escape or F12 closes", style="bold")
    return Group(head, Text(""), timings, rates, views, slow)


class PerfScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("perf")  # tui/keys.py
    DEFAULT_CSS = """
    PerfScreen { align: center middle; }
    PerfScreen > VerticalScroll {
        width: 95%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="perf-body")

    def on_mount(self) -> None:
        self._update()
        self.set_interval(1.0, self._update)

    def _update(self) -> None:
        report = self.app.profile_report()  # type: ignore[attr-defined]
        self.query_one("#perf-body", Static).update(render_report(report))
