"""The filter bar: each kind with its count; the kinds shown stand out."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from sessions_tui.output.format import KIND_LABEL
from sessions_tui.store.filters import DEFAULT_KINDS, Filter
from sessions_tui.text import printable
from sessions_tui.tui.keys import FILTER_KEYS
from sessions_tui.tui.widgets.style_cache import StyleCache


def toggled(flt: Filter, key: int) -> Filter:
    """The filter after pressing number `key` (1–9, tui/keys.FILTER_KEYS).

    With the usual kinds shown (all, or all but `other`), a key shows that kind alone;
    after that keys add or remove kinds, and removing the last one goes back to the
    usual kinds. 8 toggles subagent entries only; 9 is `other`.
    """
    kind = FILTER_KEYS[key - 1]
    if kind is None:
        return Filter(flt.kinds, flt.tool, not flt.subagent_only)
    if flt.kinds is None or flt.kinds == DEFAULT_KINDS:
        return Filter(frozenset({kind}), flt.tool, flt.subagent_only)
    kinds = set(flt.kinds) ^ {kind}
    return Filter(frozenset(kinds) if kinds else DEFAULT_KINDS, flt.tool, flt.subagent_only)


class FilterBar(Static):
    """`1 you 12  2 assistant 40 …` — the counts are the session's, whatever is shown."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"filter-bar--off", "filter-bar--key"}

    # A kind not shown is muted, not dim: dim text on the panel read at 2:1.
    DEFAULT_CSS = """
    FilterBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    FilterBar > .filter-bar--off { color: $text-muted; }
    FilterBar > .filter-bar--key { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._styles = StyleCache(self, "filter-bar", readable=True)
        self._shown: tuple[dict[str, int] | None, Filter] | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self._styles.clear()
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, counts: dict[str, int] | None, flt: Filter) -> None:
        self._shown = (counts, flt)
        text = Text(no_wrap=True, overflow="ellipsis")
        if counts is None:
            self.update(text, layout=False)
            return
        off, key = self._styles.get("off"), self._styles.get("key")
        for number, kind in enumerate(FILTER_KEYS, start=1):
            if kind is None:
                label, count, on = "subagent", counts.get("subagent", 0), flt.subagent_only
            else:
                label, count = KIND_LABEL[kind], counts.get(kind.value, 0)
                on = flt.kinds is None or kind in flt.kinds
            style: Style | str = (
                "bold reverse"
                if on and (flt.kinds is not None or kind is None)
                else "bold"
                if on
                else off
            )
            text.append(f"{number}", style=key)
            text.append(f" {label} {count}", style=style)
            text.append("  ")
        if flt.tool:
            text.append(f"tool: {printable(flt.tool)}", style="bold reverse")
        self.update(text, layout=False)
