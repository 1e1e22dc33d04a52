"""Rich styles of a Line API widget, looked up once per theme.

Each `rich_style` or `get_component_rich_style` walks the widget's CSS (about 90 µs); a
frame of the message pane asked for them about fifty times.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class StyleCache:
    """`base` is the widget's own style; `get(name)` a component class's."""

    def __init__(self, widget: Widget, prefix: str) -> None:
        self.widget = widget
        self.prefix = prefix
        self._styles: dict[str, Style] = {}
        self._base: Style | None = None

    @property
    def base(self) -> Style:
        if self._base is None:
            self._base = self.widget.rich_style
        return self._base

    def get(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.widget.get_component_rich_style(f"{self.prefix}--{name}")
            self._styles[name] = style
        return style

    def clear(self) -> None:
        self._styles.clear()
        self._base = None
