"""Plots drawn with characters: sparklines and horizontal bars (for the CLI and the TUI)."""

from __future__ import annotations

from collections.abc import Sequence

_TICKS = " ▁▂▃▄▅▆▇█"
_EIGHTHS = " ▏▎▍▌▋▊▉█"


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """One character per value (or per bucket of values, to fit `width`), scaled to the max.

    A zero is a space and any non-zero value shows at least the lowest tick, so a quiet
    day never looks like a day off.
    """
    data = list(values)
    if width is not None and width > 0 and len(data) > width:
        size = -(-len(data) // width)
        data = [sum(data[i : i + size]) for i in range(0, len(data), size)]
    elif width is not None and data and len(data) * 2 <= width:  # few values: wider bars
        data = [v for v in data for _ in range(width // len(data))]
    top = max(data, default=0)
    if top <= 0:
        return " " * len(data)
    out = []
    for v in data:
        if v <= 0:
            out.append(" ")
        else:
            out.append(_TICKS[max(1, min(8, round(8 * v / top)))])
    return "".join(out)


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of `width` cells at most, in eighths of a cell."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(8 * width * min(value, top) / top))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "?"
    h, rest = divmod(max(0, seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"
