"""The status bar: which file, how many entries are shown, the filter, load progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sessions_tui.text import one_line


class StatusBar(Static):
    """One line at the bottom; the notice (errors, fallbacks) takes the right side."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.left = ""
        self.right = ""

    def set(self, left: str | None = None, right: str | None = None) -> None:
        if left is not None:
            self.left = left
        if right is not None:
            self.right = right
        width = max(10, self.size.width - 2)
        right_text = one_line(self.right, max(0, width // 2))
        left_text = one_line(self.left, max(1, width - len(right_text) - 2))
        text = Text(left_text, no_wrap=True)
        text.append(" " * max(1, width - len(left_text) - len(right_text)))
        text.append(right_text, style="bold")
        self.update(text, layout=False)

    def on_resize(self) -> None:
        self.set()
