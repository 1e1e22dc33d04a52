"""The heights of a session's entries, as a Fenwick tree: one entry's height changes, and
where any entry starts or which entry a line falls in is found, in O(log n).

Reading mode wraps whole messages, so an entry's height is known only once it is laid out
at the pane's width; until then it is an estimate. Entries are laid out a screen at a
time, and each one that becomes exact moves every entry below it: with a plain list of
offsets that is O(n) per entry, here it is O(log n).
"""

from __future__ import annotations

from collections.abc import Sequence


class Heights:
    """Heights of entries 0…n-1, with prefix sums (where an entry starts) kept up to date."""

    __slots__ = ("_top_bit", "_tree", "_values")

    def __init__(self, values: Sequence[int] = ()) -> None:
        self.reset(values)

    def reset(self, values: Sequence[int]) -> None:
        """Every height at once (O(n))."""
        self._values = list(values)
        n = len(self._values)
        tree = [0, *self._values]
        for i in range(1, n + 1):
            parent = i + (i & -i)
            if parent <= n:
                tree[parent] += tree[i]
        self._tree = tree
        self._top_bit = 1 << (n.bit_length() - 1) if n else 0

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, i: int) -> int:
        return self._values[i]

    def __setitem__(self, i: int, height: int) -> None:
        delta = height - self._values[i]
        if not delta:
            return
        self._values[i] = height
        tree, n = self._tree, len(self._values)
        i += 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def start(self, i: int) -> int:
        """The first line of entry `i` (`start(len)` is the total)."""
        total, tree = 0, self._tree
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    @property
    def total(self) -> int:
        return self.start(len(self._values))

    def locate(self, line: int) -> tuple[int, int]:
        """(entry, line within it) of a line; past the end: the last entry."""
        n = len(self._values)
        if n == 0:
            return 0, line
        pos, rest, bit, tree = 0, line, self._top_bit, self._tree
        while bit:  # the largest pos with start(pos) <= line
            nxt = pos + bit
            if nxt <= n and tree[nxt] <= rest:
                pos = nxt
                rest -= tree[nxt]
            bit >>= 1
        if pos >= n:  # at or past the end
            pos = n - 1
            rest = line - self.start(pos)
        # Entries of height 0 (none today) would need skipping here.
        return pos, rest
