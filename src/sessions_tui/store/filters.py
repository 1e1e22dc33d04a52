"""Which entries of a session are shown: kinds, a tool, subagents only (as SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from sessions_tui.model import ALL_KINDS, Kind

DEFAULT_KINDS = frozenset(ALL_KINDS) - {Kind.OTHER}


@dataclass(frozen=True, slots=True)
class Filter:
    """Which entries are shown: kinds (None: all), a tool name, subagent entries only."""

    @classmethod
    def default(cls) -> Filter:
        """What a session opens with: everything but `other` (snapshots, progress, …)."""
        return cls(DEFAULT_KINDS)

    @classmethod
    def from_setting(cls, default_kinds: tuple[str, ...] | None) -> Filter:
        """What a session opens with, from the `default_kinds` setting (None: the default;
        `("all",)`: every kind)."""
        if default_kinds is None:
            return cls.default()
        if default_kinds == ("all",):
            return cls(None)
        return cls(frozenset(Kind(k) for k in default_kinds))

    kinds: frozenset[Kind] | None = None
    tool: str | None = None
    subagent_only: bool = False

    def describe(self) -> str | None:
        """The filter in words (None when it shows everything): for exports and the CLI."""
        parts = []
        if self.kinds is not None:
            parts.append("kinds " + ",".join(sorted(k.value for k in self.kinds)))
        if self.tool:
            parts.append(f"tool {self.tool}")
        if self.subagent_only:
            parts.append("subagents only")
        return " · ".join(parts) or None

    def where(self, kind: str = "kind") -> tuple[str, list[object]]:
        """The filter as SQL over a table's columns (`kind`: the column with the kind)."""
        clauses: list[str] = []
        params: list[object] = []
        if self.kinds is not None:
            clauses.append(f"list_contains(?, {kind})")
            params.append(sorted(k.value for k in self.kinds))
        if self.tool:
            clauses.append("lower(tool) = lower(?)")
            params.append(self.tool)
        if self.subagent_only:
            clauses.append("sidechain")
        return (" AND ".join(clauses) or "true"), params
