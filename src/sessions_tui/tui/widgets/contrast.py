"""Colours a person can read: a label's colour moved until it stands at least 4.5:1
(WCAG's AA for text) against the background it is drawn on, as the terminal shows it.

A theme's accent colours are picked for fills, not for text: Textual's dark theme draws
`$secondary` text at 1.68:1, the light one `$accent` at 1.38:1. In a 256-colour terminal
every colour becomes the nearest of the xterm palette, and in a 16-colour one the nearest
of the sixteen, where an orange prompt and a red error both land on bright red. So the
check is made on the colour the terminal will paint (`shown`), and with a palette the
label takes the readable colour of it nearest in hue, never the error's.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable, Sequence
from functools import cache

# the palettes Rich rounds colours to (private: a choice must round to itself)
from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.color import Color, ColorSystem, ColorType
from rich.color_triplet import ColorTriplet

MINIMUM = 4.5
_SYSTEMS = {
    "truecolor": ColorSystem.TRUECOLOR,
    "256": ColorSystem.EIGHT_BIT,
    "standard": ColorSystem.STANDARD,
    "windows": ColorSystem.WINDOWS,
}
_PALETTES = {
    ColorSystem.EIGHT_BIT: [EIGHT_BIT_PALETTE[i] for i in range(256)],
    ColorSystem.STANDARD: [STANDARD_PALETTE[i] for i in range(16)],
    ColorSystem.WINDOWS: [STANDARD_PALETTE[i] for i in range(16)],
}
_WHITE = ColorTriplet(255, 255, 255)
_BLACK = ColorTriplet(0, 0, 0)


def color_system(name: str | None) -> ColorSystem:
    """A Rich console's `color_system` name as the enumeration (None: no colour at all,
    which is checked as true colour: the text is drawn in the terminal's own colours)."""
    return _SYSTEMS.get(name or "truecolor", ColorSystem.TRUECOLOR)


def luminance(c: ColorTriplet) -> float:
    """WCAG relative luminance."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)


def ratio(a: ColorTriplet, b: ColorTriplet) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def shown(color: Color, system: ColorSystem) -> ColorTriplet:
    """What a terminal with `system` paints for `color` (sixteen colours: the VGA palette
    Rich matches against; the user's own palette may differ)."""
    if system in (ColorSystem.STANDARD, ColorSystem.WINDOWS):
        down = color.downgrade(ColorSystem.STANDARD)
        if down.type is ColorType.STANDARD and down.number is not None:
            return STANDARD_PALETTE[down.number]
        return down.get_truecolor()
    return color.downgrade(system).get_truecolor()


def _blend(a: ColorTriplet, b: ColorTriplet, t: float) -> ColorTriplet:
    return ColorTriplet(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


def _distance(a: ColorTriplet, b: ColorTriplet) -> float:
    """How far `a` looks from `b`, hue first: a colour rounded to a small palette must
    keep its hue (an orange label turning grey or brown says something else)."""
    ha, la, sa = colorsys.rgb_to_hls(*(v / 255 for v in a))
    hb, lb, sb = colorsys.rgb_to_hls(*(v / 255 for v in b))
    if sb < 0.15:  # a grey wants a grey
        return sa * 2 + abs(la - lb)
    hue = 0.5 if sa < 0.15 else min(abs(ha - hb), 1 - abs(ha - hb))
    return hue * 4 + abs(la - lb) + abs(sa - sb) / 2


@cache
def _painted(system: ColorSystem) -> dict[ColorTriplet, ColorTriplet]:
    """Each entry of the terminal's palette and what it paints for it (Rich rounds a grey
    of the 256 colours' cube to the grey ramp)."""
    return {c: shown(Color.from_triplet(c), system) for c in _PALETTES[system]}


def readable(
    fg: Color,
    backgrounds: Sequence[Color],
    system: ColorSystem,
    *,
    avoid: Iterable[ColorTriplet] = (),
    minimum: float = MINIMUM,
) -> Color:
    """`fg`, or the colour nearest to it that `system` shows at `minimum` against every
    one of `backgrounds` (and, rounded to a palette, is none of `avoid`)."""
    behind = [shown(bg, system) for bg in backgrounds]

    def enough(c: ColorTriplet) -> bool:
        return all(ratio(c, b) >= minimum for b in behind)

    want = fg.get_truecolor()
    palette = system is not ColorSystem.TRUECOLOR
    avoided = set(avoid) if palette else set()
    mine = shown(fg, system)
    if enough(mine) and mine not in avoided:
        return fg
    if palette:
        # the nearest readable colour the terminal has (blending then rounding to the
        # palette lands far from the hue: a light theme's orange prompt became dark red)
        painted = _painted(system)
        choices = [c for c, p in painted.items() if enough(p) and p not in avoided]
        if choices:
            return Color.from_triplet(min(choices, key=lambda c: _distance(painted[c], want)))
    # toward white on a dark background, toward black on a light one
    toward = max((_WHITE, _BLACK), key=lambda t: min((ratio(t, b) for b in behind), default=0))
    for step in range(1, 21):
        candidate = _blend(want, toward, step / 20)
        if enough(shown(Color.from_triplet(candidate), system)):
            return Color.from_triplet(candidate)
    return Color.from_triplet(toward)


_GROUNDS = ("background", "surface", "panel")


def greys_kept(variables: dict[str, str], system: ColorSystem) -> dict[str, str]:
    """A theme's CSS variables with its near-grey backgrounds made grey when the terminal
    has a palette: Textual's dark panel (#242f38, grey with a tint of blue) becomes navy
    #00005f in 256 colours, because Rich rounds each channel to the colour cube."""
    if system is ColorSystem.TRUECOLOR:
        return variables
    from textual.color import Color as CssColor

    kept = dict(variables)
    for name, value in variables.items():
        if not name.startswith(_GROUNDS) or name.endswith("-text"):
            continue
        try:
            color = CssColor.parse(value)
        except Exception:  # a value that is not a colour (Textual's own parse errors vary)
            continue
        r, g, b = (v / 255 for v in color.rgb)
        _, _, saturation = colorsys.rgb_to_hls(r, g, b)
        if color.a == 1 and saturation < 0.35:
            y = luminance(ColorTriplet(*color.rgb))  # the grey as light as the colour
            srgb = y * 12.92 if y <= 0.0031308 else 1.055 * y ** (1 / 2.4) - 0.055
            level = round(srgb * 255)
            kept[name] = f"#{level:02x}{level:02x}{level:02x}"
    return kept
