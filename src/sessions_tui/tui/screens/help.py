"""The help overlay: every key of the browser, by what a person does (tui/keys.py)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sessions_tui.tui.bindings import bindings


def bindings_table(groups: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("what")
    for title, rows in groups:
        table.add_row(Text(title, style="underline"), "")
        for keys, what in rows:
            table.add_row(Text(keys), Text(what))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Press ? again, Escape or q to close."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("help")  # tui/keys.py

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80%; max-width: 90; height: 80%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("sessions-tui — keys", style="bold"))
            yield Static(bindings_table(self.groups))
