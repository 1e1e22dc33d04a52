"""Rich styles of a Line API widget, looked up once per theme.

Each `rich_style` or `get_component_rich_style` walks the widget's CSS (about 90 µs); a
frame of the message pane asked for them about fifty times. With `readable`, every style's
colour is moved until it reads at 4.5:1 against what it is drawn on, in the
terminal's colours (widgets/contrast.py): their own background, or else the widget's and
the `selected` style's.
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from textual.widget import Widget

from sessions_tui.tui.widgets.contrast import color_system, readable, shown


class StyleCache:
    """`base` is the widget's own style; `get(name)` a component class's."""

    def __init__(
        self,
        widget: Widget,
        prefix: str,
        *,
        readable: bool = False,
        selected: str | None = None,
        distinct: str | None = None,
    ) -> None:
        """`distinct`: the style no readable one may share a colour with once colours
        are rounded to the terminal's palette (an error must not look like a prompt)."""
        self.widget = widget
        self.prefix = prefix
        self.readable = readable
        self.selected = selected
        self.distinct = distinct
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
            if self.readable and name != self.selected and style.color is not None:
                style = self._made_readable(name, style, style.color)
            self._styles[name] = style
        return style

    def _made_readable(self, name: str, style: Style, color: Color) -> Style:
        own = style.bgcolor
        behind = [own] if own is not None else []
        if own is None or own == self.base.bgcolor:  # drawn on the widget, or selected
            behind = [c for c in (self.base.bgcolor, self._selected_background()) if c]
        if not behind:
            return style
        system = color_system(self.widget.app.console.color_system)
        avoid = []
        if self.distinct is not None and name != self.distinct:
            other = self.get(self.distinct).color
            if other is not None:
                avoid.append(shown(other, system))
        better = readable(color, behind, system, avoid=avoid)
        return style if better is color else style + Style(color=better)

    def _selected_background(self) -> Color | None:
        return self.get(self.selected).bgcolor if self.selected is not None else None

    def clear(self) -> None:
        self._styles.clear()
        self._base = None
