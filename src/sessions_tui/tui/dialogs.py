"""Small dialogs: where to export a session, a command that cannot run here, and the
open sessions to switch to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sessions_tui.output.export import FORMATS, format_of
from sessions_tui.paths import expand
from sessions_tui.text import one_line, printable
from sessions_tui.tui.bindings import bindings

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90; max-width: 95%; height: auto; border: round $accent;
    background: $surface; padding: 0 1;
}}
{name} Static {{ margin: 1 0 0 0; }}
{name} #export-error {{ color: $error; }}
"""


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: Path
    fmt: str
    filtered: bool


class ExportScreen(ModalScreen[ExportChoice | None]):
    """The file to write (its extension picks the format), and all or only what is shown."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("export")  # tui/keys.py
    DEFAULT_CSS = _DIALOG_CSS.format(name="ExportScreen")

    def __init__(self, default: Path, filter_text: str | None) -> None:
        super().__init__()
        self.default = default
        self.filter_text = filter_text
        self.filtered = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Export this session", style="bold"))
            yield Input(str(self.default), id="export-path")
            yield Static(self._hint(), id="export-hint")
            yield Static("", id="export-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#export-path", Input))  # at once: see AppBase.show

    def _hint(self) -> Text:
        scope = (
            f"only what the filter shows ({self.filter_text})"
            if self.filtered
            else "every entry (all kinds)"
        )
        return Text(
            "The extension picks the format: .md, .html or .json · Ctrl+T next format\n"
            f"Writes {scope} · Ctrl+F toggles · Enter writes · Escape cancels"
        )

    def action_next_format(self) -> None:
        box = self.query_one(Input)
        current = format_of(box.value) or FORMATS[-1]
        nxt = FORMATS[(FORMATS.index(current) + 1) % len(FORMATS)]
        stem = box.value.rsplit(".", 1)[0] if format_of(box.value) else box.value
        box.value = f"{stem}.{nxt}"

    def action_toggle_filtered(self) -> None:
        self.filtered = not self.filtered
        self.query_one("#export-hint", Static).update(self._hint())

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        fmt = format_of(value)
        if not value or fmt is None:
            self.query_one("#export-error", Static).update(
                Text("end the file name with .md, .html or .json")
            )
            return
        self.dismiss(ExportChoice(expand(value), fmt, self.filtered))


class CommandScreen(ModalScreen[bool]):
    """Why a command cannot run here, and the command itself, to copy (c) and run elsewhere."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("command")  # tui/keys.py
    DEFAULT_CSS = _DIALOG_CSS.format(name="CommandScreen")

    def __init__(self, problem: str, command: str) -> None:
        super().__init__()
        self.problem = problem
        self.command = command

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Cannot resume here: {printable(self.problem)}.", style="bold"))
            yield Static(Text("The command:\n  " + printable(self.command)))
            yield Static(Text("c copies it · Escape closes"))


class SwitchScreen(ModalScreen[int | None]):
    """The open sessions by title: Enter (or a click) switches to one, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("switcher")  # tui/keys.py
    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="SwitchScreen")
        + """
    SwitchScreen OptionList { height: auto; max-height: 20; border: none; margin: 1 0 0 0; }
    """
    )

    def __init__(self, titles: list[str], active: int | None) -> None:
        super().__init__()
        self.titles = titles
        self.active = active

    def compose(self) -> ComposeResult:
        options = [
            Option(
                Text(f"{i + 1}  {one_line(title, 80)}", style="bold" if i == self.active else "")
            )
            for i, title in enumerate(self.titles)
        ]
        with Vertical():
            yield Static(Text("Open sessions · Enter switches · Escape closes"))
            yield OptionList(*options, id="switch-list")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self.active
        self.set_focus(choices)  # at once: the next typed key goes to the list

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)
