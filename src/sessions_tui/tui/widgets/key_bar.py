"""The key bar at the bottom: the keys the focused pane answers to, drawn as one line.

Textual's `Footer` composes one widget per key again at every focus or screen change
(Tab, closing a dialog): measured, that was about half of what closing a dialog cost
(~20 ms of a 40 ms frame), and each composition left watchers behind. This bar is one
widget: a change of keys repaints one line.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from sessions_tui.tui.widgets.style_cache import StyleCache

GAP = 2  # spaces between two keys


class KeyBar(Widget, can_focus=False):
    """`q Quit  ? Help  / Find …` then the command palette's key at the right edge.

    Keys that do not fit are left out whole, from the end; a click on a key presses it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--off"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1;
        background: $footer-background; color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .key-bar--off { color: $text-disabled; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._styles = StyleCache(self, "key-bar", readable=True)
        self._spans: list[tuple[int, int, str, bool]] = []  # (start, end, key, enabled)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _keys_changed(self, _screen: object) -> None:
        self.refresh()

    def _theme_changed(self, _theme: object) -> None:
        self._styles.clear()
        self.refresh()

    def shown(self) -> list[tuple[Binding, bool]]:
        """The keys to list, one per action, in the screen's order; the palette's last."""
        seen: set[str] = set()
        keys: list[tuple[Binding, bool]] = []
        palette: tuple[Binding, bool] | None = None
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((binding, enabled))
        return [*keys, palette] if palette is not None else keys

    def render(self) -> Text:
        width = self.size.width
        keys = self.shown()
        palette = keys.pop() if keys and self._is_palette(keys[-1][0]) else None
        right = self._part(*palette) if palette is not None else None
        # the palette's key sits one column in from the right edge, a gap after the keys
        right_at = width - 1 - right.cell_len if right is not None else width
        room = right_at - GAP if right is not None else width
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str, bool]] = []
        for binding, enabled in keys:
            part = self._part(binding, enabled)
            start = text.cell_len + (1 if not spans else GAP)
            if start + part.cell_len > room:
                break  # whole keys only: one that does not fit, and the rest, are left out
            text.append(" " * (start - text.cell_len))
            text.append_text(part)
            spans.append((start, text.cell_len, binding.key, enabled))
        if palette is not None and right is not None and right_at >= text.cell_len:
            text.append(" " * (right_at - text.cell_len))
            text.append_text(right)
            spans.append((right_at, right_at + right.cell_len, palette[0].key, palette[1]))
        self._spans = spans
        return text

    def _is_palette(self, binding: Binding) -> bool:
        return self.app.ENABLE_COMMAND_PALETTE and binding.key == self.app.COMMAND_PALETTE_BINDING

    def _part(self, binding: Binding, enabled: bool) -> Text:
        key_style = self._styles.get("key") if enabled else self._styles.get("off")
        text = Text(self.app.get_key_display(binding), style=key_style)
        if binding.description:
            text.append(" " + binding.description, style="" if enabled else self._styles.get("off"))
        return text

    def key_at(self, x: int) -> tuple[str, bool] | None:
        """The key drawn at column `x` and whether it works now, if any."""
        return next((span[2:] for span in self._spans if span[0] <= x < span[1]), None)

    def on_click(self, event: events.Click) -> None:
        found = self.key_at(event.x)
        if found is None:
            return
        event.stop()
        key, enabled = found
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
