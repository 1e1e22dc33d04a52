"""An input for search queries, with a regex toggle (Ctrl+R) shown in its border title."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from sessions_tui.tui.bindings import bindings


class QueryInput(Input):
    """Plain text (every word must occur, smart case) or a regular expression."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("query")  # tui/keys.py

    regex: reactive[bool] = reactive(False)

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex

    def watch_regex(self, regex: bool) -> None:
        self.border_title = "regex" if regex else "text"
        if self.value:  # the same text means something else now: look again
            self.post_message(self.Changed(self, self.value))


async def mount_box(
    parent: Widget, box_id: str, placeholder: str, kind: type[Input] = Input, **where: Widget
) -> Input:
    """The input box `box_id` of `parent`, mounted the first time it is needed (`where`:
    `before=` or `after=` a child)."""
    found = parent.query(f"#{box_id}")
    if found:
        return found.first(Input)
    box = kind(placeholder=placeholder, id=box_id, classes="box")
    await parent.mount(box, **where)
    return box
