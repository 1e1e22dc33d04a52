"""The strip of open sessions: `1 title │ 2 title …`; the active one stands out."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sessions_tui.text import one_line


class OpenTabs(Static):
    """Open sessions, most recently opened last; Alt+N or [ and ] switch."""

    DEFAULT_CSS = """
    OpenTabs { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, titles: list[str], active: int | None) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if not titles:
            text.append("Enter opens a session · ? help", style="dim")
        for i, title in enumerate(titles):
            if i:
                text.append(" │ ", style="dim")
            label = f"{i + 1} {one_line(title, 24)}"
            text.append(label, style="bold reverse" if i == active else "")
        self.update(text, layout=False)
