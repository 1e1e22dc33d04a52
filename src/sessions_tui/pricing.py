"""Estimated cost: a bundled, dated table of list prices in US dollars per million tokens.

The table is a snapshot; prices change and discounts (batch, plans, subscriptions) are
not known here, so every figure made from it is an estimate and says which date it is
from. A model missing from the table is priced as the newest listed model of its family
and marked approximate (`claude-opus-4-9` as `claude-opus-4-8`), or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PRICES_AS_OF = "2026-11-27"
PRICE_SOURCES = (
    "platform.claude.com/docs/en/about-claude/pricing; "
    "developers.openai.com/api/docs/pricing (gpt-5.2 and later as copied by GitHub's "
    "Copilot model table and gateway listings, which agree)"
)


@dataclass(frozen=True, slots=True)
class Price:
    """Dollars per million tokens. `cache_write` is the 5-minute cache write and
    `cache_write_1h` the one-hour one (Anthropic: 1.25x and 2x the input price;
    OpenAI charges no cache writes)."""

    input: float
    output: float
    cache_read: float
    cache_write: float
    cache_write_1h: float = 0.0


def _claude(input: float, output: float) -> Price:
    """Anthropic's rule for its models since Claude 3.5: reads 0.1x, writes 1.25x (5 min) and
    2x (1 h) the input price."""
    return Price(input, output, round(input * 0.1, 4), input * 1.25, input * 2)


# Longest matching prefix wins; order within a family is oldest to newest.
PRICES: dict[str, Price] = {
    "claude-3-haiku": Price(0.25, 1.25, 0.03, 0.30, 0.50),  # not the 0.1x/1.25x rule
    "claude-3-5-haiku": _claude(0.80, 4.0),
    "claude-haiku-4-5": _claude(1.0, 5.0),
    "claude-3-5-sonnet": _claude(3.0, 15.0),
    "claude-3-7-sonnet": _claude(3.0, 15.0),
    "claude-sonnet-4": _claude(3.0, 15.0),
    "claude-sonnet-4-5": _claude(3.0, 15.0),
    "claude-sonnet-4-6": _claude(3.0, 15.0),
    "claude-3-opus": _claude(15.0, 75.0),
    "claude-opus-4": _claude(15.0, 75.0),
    "claude-opus-4-1": _claude(15.0, 75.0),
    "claude-opus-4-5": _claude(5.0, 25.0),
    "claude-opus-4-6": _claude(5.0, 25.0),
    "claude-opus-4-7": _claude(5.0, 25.0),
    "claude-opus-4-8": _claude(5.0, 25.0),
    "gpt-4.1": Price(2.0, 8.0, 0.50, 0.0),
    "o3": Price(2.0, 8.0, 0.50, 0.0),
    "o4-mini": Price(1.10, 4.40, 0.275, 0.0),
    "codex-mini": Price(1.50, 6.0, 0.375, 0.0),
    "gpt-5-nano": Price(0.05, 0.40, 0.005, 0.0),
    "gpt-5-mini": Price(0.25, 2.0, 0.025, 0.0),
    "gpt-5": Price(1.25, 10.0, 0.125, 0.0),
    "gpt-5-codex": Price(1.25, 10.0, 0.125, 0.0),
    "gpt-5.1": Price(1.25, 10.0, 0.125, 0.0),
    "gpt-5.1-codex": Price(1.25, 10.0, 0.125, 0.0),
    "gpt-5.2": Price(1.75, 14.0, 0.175, 0.0),
    "gpt-5.2-codex": Price(1.75, 14.0, 0.175, 0.0),
    "gpt-5.3-codex": Price(1.75, 14.0, 0.175, 0.0),
    "gpt-5.4": Price(2.50, 15.0, 0.25, 0.0),
    "gpt-5.5": Price(5.0, 30.0, 0.50, 0.0),
}

# Families for models newer than the table: (pattern, the listed model to price them as).
_FAMILIES = (
    (re.compile(r"^claude-opus-"), "claude-opus-4-8"),
    (re.compile(r"^claude-sonnet-"), "claude-sonnet-4-6"),
    (re.compile(r"^claude-haiku-"), "claude-haiku-4-5"),
    (re.compile(r"^gpt-5(\.\d+)?-codex-mini"), "gpt-5-mini"),
    (re.compile(r"^gpt-5(\.\d+)?-codex"), "gpt-5.3-codex"),
    (re.compile(r"^gpt-5(\.\d+)?-mini"), "gpt-5-mini"),
    (re.compile(r"^gpt-5"), "gpt-5.5"),
)


@dataclass(frozen=True, slots=True)
class Priced:
    """How a model is priced: the table entry used, and whether that is a guess by family."""

    model: str
    listed_as: str | None
    price: Price | None
    approximate: bool = False


@lru_cache(maxsize=1024)
def price_of(model: str | None) -> Priced:
    name = (model or "").strip().lower()
    best = max((k for k in PRICES if name.startswith(k)), key=len, default=None)
    if best is not None and not _newer(name, best):
        return Priced(model or "?", best, PRICES[best])
    for pattern, listed in _FAMILIES:
        if pattern.match(name):
            return Priced(model or "?", listed, PRICES[listed], approximate=True)
    if best is not None:
        return Priced(model or "?", best, PRICES[best], approximate=True)
    return Priced(model or "?", None, None)


def _newer(name: str, listed: str) -> bool:
    """True when `name` has a version past `listed` (claude-opus-4-6 vs claude-opus-4)."""
    rest = name[len(listed) :]
    return bool(re.match(r"^[-.]\d(?!\d{3})", rest)) and not re.match(r"^-\d{8}", rest)


def cost(
    model: str | None,
    input: int,
    output: int,
    cache_read: int,
    cache_creation: int,
    cache_creation_1h: int = 0,
) -> float | None:
    """Estimated dollars for these tokens, or None when the model has no price.
    `cache_creation` is every cache write; `cache_creation_1h` is the part of it kept an
    hour, priced at the one-hour rate (the rest at the five-minute one)."""
    priced = price_of(model)
    p = priced.price
    if p is None:
        return None
    one_hour = min(max(cache_creation_1h, 0), cache_creation)
    return (
        input * p.input
        + output * p.output
        + cache_read * p.cache_read
        + (cache_creation - one_hour) * p.cache_write
        + one_hour * (p.cache_write_1h or p.cache_write)
    ) / 1e6
