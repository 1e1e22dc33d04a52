"""Estimated cost: a bundled, dated table of list prices in US dollars per million tokens.

The table is a snapshot; prices change and discounts (batch, plans, subscriptions) are
not known here, so every figure made from it is an estimate and says which date it is
from. A model missing from the table is priced as the newest listed model of its family
and marked approximate (`claude-opus-4-6` as `claude-opus-4-5`), or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRICES_AS_OF = "2025-11-24"
PRICE_SOURCES = "anthropic.com/pricing, openai.com/api/pricing"


@dataclass(frozen=True, slots=True)
class Price:
    """Dollars per million tokens. `cache_write` is the 5-minute cache write."""

    input: float
    output: float
    cache_read: float
    cache_write: float


# Longest matching prefix wins; order within a family is oldest to newest.
PRICES: dict[str, Price] = {
    "claude-3-haiku": Price(0.25, 1.25, 0.03, 0.30),
    "claude-3-5-haiku": Price(0.80, 4.0, 0.08, 1.0),
    "claude-haiku-4-5": Price(1.0, 5.0, 0.10, 1.25),
    "claude-3-5-sonnet": Price(3.0, 15.0, 0.30, 3.75),
    "claude-3-7-sonnet": Price(3.0, 15.0, 0.30, 3.75),
    "claude-sonnet-4": Price(3.0, 15.0, 0.30, 3.75),
    "claude-sonnet-4-5": Price(3.0, 15.0, 0.30, 3.75),
    "claude-3-opus": Price(15.0, 75.0, 1.50, 18.75),
    "claude-opus-4": Price(15.0, 75.0, 1.50, 18.75),
    "claude-opus-4-1": Price(15.0, 75.0, 1.50, 18.75),
    "claude-opus-4-5": Price(5.0, 25.0, 0.50, 6.25),
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
}

# Families for models newer than the table: (pattern, the listed model to price them as).
_FAMILIES = (
    (re.compile(r"^claude-opus-"), "claude-opus-4-5"),
    (re.compile(r"^claude-sonnet-"), "claude-sonnet-4-5"),
    (re.compile(r"^claude-haiku-"), "claude-haiku-4-5"),
    (re.compile(r"^gpt-5(\.\d+)?-codex-mini"), "gpt-5-mini"),
    (re.compile(r"^gpt-5(\.\d+)?-codex"), "gpt-5.1-codex"),
    (re.compile(r"^gpt-5(\.\d+)?-mini"), "gpt-5-mini"),
    (re.compile(r"^gpt-5"), "gpt-5.1"),
)


@dataclass(frozen=True, slots=True)
class Priced:
    """How a model is priced: the table entry used, and whether that is a guess by family."""

    model: str
    listed_as: str | None
    price: Price | None
    approximate: bool = False


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
    model: str | None, input: int, output: int, cache_read: int, cache_creation: int
) -> float | None:
    """Estimated dollars for these tokens, or None when the model has no price."""
    priced = price_of(model)
    p = priced.price
    if p is None:
        return None
    return (
        input * p.input
        + output * p.output
        + cache_read * p.cache_read
        + cache_creation * p.cache_write
    ) / 1e6
