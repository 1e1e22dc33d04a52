"""The heights of a session's units: starts and locating a line stay right as heights
change one at a time (checked against plain sums)."""

from __future__ import annotations

import itertools
import random

from sessions_tui.tui.state.heights import Heights


def test_starts_and_locate_match_plain_sums_through_changes() -> None:
    rng = random.Random(7)
    values = [rng.randint(1, 9) for _ in range(1000)]
    heights = Heights(values)
    for _ in range(300):
        i = rng.randrange(len(values))
        values[i] = rng.randint(1, 40)
        heights[i] = values[i]
        starts = [0, *itertools.accumulate(values)]
        probe = rng.randrange(len(values) + 1)
        assert heights.start(probe) == starts[probe] and heights.total == starts[-1]
        line = rng.randrange(starts[-1])
        unit, within = heights.locate(line)
        assert starts[unit] <= line < starts[unit + 1] and within == line - starts[unit]
    assert [heights[i] for i in range(len(values))] == values


def test_the_edges() -> None:
    assert Heights().total == 0 and Heights().locate(5) == (0, 5)
    heights = Heights([3])
    assert heights.locate(0) == (0, 0) and heights.locate(2) == (0, 2)
    assert heights.locate(7) == (0, 7)  # past the end: the last unit
    heights = Heights([1, 1, 1, 1, 1, 1, 1, 1])  # a power of two long
    assert [heights.locate(line)[0] for line in range(8)] == list(range(8))
    heights.reset([2, 2])
    assert heights.total == 4 and heights.locate(3) == (1, 1)
