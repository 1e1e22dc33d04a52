"""The help overlay: every key of the browser, by what a person does (tui/keys.py),
narrowed as you type (each word must be in the key, what it does or its group)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sessions_tui.tui.bindings import bindings

Groups = list[tuple[str, list[tuple[str, str]]]]


def bindings_table(groups: Groups) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("what")
    for title, rows in groups:
        table.add_row(Text(title, style="underline"), "")
        for keys, what in rows:
            table.add_row(Text(keys), Text(what))
        table.add_row("", "")
    return table


def narrowed(groups: Groups, query: str) -> Groups:
    """The rows whose group, keys and description hold every word of `query`."""
    words = query.lower().split()
    if not words:
        return groups
    kept = []
    for title, rows in groups:
        found = [
            (keys, what)
            for keys, what in rows
            if all(w in f"{title} {keys} {what}".lower() for w in words)
        ]
        if found:
            kept.append((title, found))
    return kept


class HelpScreen(ModalScreen[None]):
    """Type to narrow the keys; Escape clears what was typed, then closes."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("help")  # tui/keys.py
    AUTO_FOCUS = "#help-filter"

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 80%; max-width: 90; height: 80%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    HelpScreen #help-filter { border: none; height: 1; padding: 0; margin-bottom: 1; }
    HelpScreen VerticalScroll { height: 1fr; }
    """

    def __init__(self, groups: Groups) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical():  # the title and what is typed stay put; the keys scroll
            yield Static(Text("sessions-tui — keys", style="bold"))
            yield Input(placeholder="type to find a key (e.g. error, tab, copy)", id="help-filter")
            with VerticalScroll():
                yield Static(bindings_table(self.groups), id="help-keys")

    @on(Input.Changed, "#help-filter")
    def _narrow(self, event: Input.Changed) -> None:
        groups = narrowed(self.groups, event.value)
        shown = self.query_one("#help-keys", Static)
        if groups:
            shown.update(bindings_table(groups))
        else:
            shown.update(Text(f"no key does {event.value!r}", style="italic"))

    def action_scroll(self, lines: int) -> None:
        """Arrows and pages scroll the keys (the filter keeps the focus for typing)."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        field = self.query_one("#help-filter", Input)
        if field.value:
            field.value = ""
        else:
            self.dismiss()
