"""The search language, the same in Ctrl+F (every session), `/` (one session) and
`sessions-tui search`.

`deploy "health check" -staging kind:prompt tool:Bash project:api after:2025-09`: an
entry matches when every term holds.

| term | holds when the entry… |
|---|---|
| a word | has it (anywhere: `time` finds "timeout") |
| `"a phrase"` | has these words one after another (any spacing between them) |
| `-word`, `-"a phrase"` | has not (`"-x"` looks for "-x") |
| `kind:prompt` | is of that kind (also `user`, `call`, `result`…); several: any |
| `tool:Bash` | is a call to a tool whose name has it, or its result; several: any |
| `project:api`, `-project:api` | is in a session whose project path has it (or not) |
| `after:2025-09-01` `before:2025-10` `after:7d` | was written on or after the day / before it |

Smart case: a capital letter in a word or phrase (not in a field like `tool:Bash`) makes
the search case-sensitive. A `field:` that is not one of these (`http://x`) is a word.
With `regex`, the whole text is one RE2 pattern and nothing else is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sessions_tui.model import Kind
from sessions_tui.store.list_query import TOKEN, date_span

SEARCH_FIELDS = ("kind", "tool", "project", "after", "before")
KIND_NAMES: dict[str, Kind] = {
    **{k.value: k for k in Kind},
    "user": Kind.PROMPT,
    "prompts": Kind.PROMPT,
    "reply": Kind.ASSISTANT,
    "call": Kind.TOOL_CALL,
    "calls": Kind.TOOL_CALL,
    "result": Kind.TOOL_RESULT,
    "results": Kind.TOOL_RESULT,
    "output": Kind.TOOL_RESULT,
    "errors": Kind.ERROR,
}


@dataclass(frozen=True, slots=True)
class Terms:
    """A query's text taken apart."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # each of several words
    excluded: tuple[str, ...] = ()  # words and phrases
    kinds: frozenset[Kind] | None = None
    tools: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    not_projects: tuple[str, ...] = ()
    after: str | None = None  # ISO, UTC, to compare with entries' timestamps
    before: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        """What must occur: the words and the phrases."""
        return self.words + self.phrases


def parse_terms(text: str, now: datetime | None = None) -> Terms:
    """`text` taken apart; `now` (aware) anchors `after:7d`."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    kinds: set[Kind] = set()
    tools: list[str] = []
    projects: list[str] = []
    not_projects: list[str] = []
    bounds: dict[str, str] = {}
    problems: list[str] = []
    for m in TOKEN.finditer(text):
        negated, name, quoted, bare = m.group(1) == "-", (m.group(2) or "").lower(), *m.group(3, 4)
        value = " ".join((quoted if quoted is not None else bare).split())
        if name and name not in SEARCH_FIELDS:
            name, value = "", m.group(0).lstrip("-") if negated else m.group(0)
        if not value:
            continue
        if not name:
            if negated:
                excluded.append(value)
            elif quoted is not None and " " in value:
                phrases.append(value)
            else:
                words.append(value)
        elif name == "kind":
            kind = KIND_NAMES.get(value.lower())
            if kind is None:
                problems.append(f"kind:{value}? (kind:{', kind:'.join(k.value for k in Kind)})")
            else:
                kinds.add(kind)
        elif name == "tool":
            tools.append(value.lower())
        elif name == "project":
            (not_projects if negated else projects).append(value.lower())
        else:
            span = date_span(value.lower(), now or datetime.now(UTC))
            if span is None:
                problems.append(f"{name}:{value}? (a date: 2025-09-14, 2025-09, today, 7d)")
            else:
                bounds[name] = span[0].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return Terms(
        words=tuple(words),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        kinds=frozenset(kinds) or None,
        tools=tuple(tools),
        projects=tuple(projects),
        not_projects=tuple(not_projects),
        after=bounds.get("after"),
        before=bounds.get("before"),
        problems=tuple(problems),
    )


def _re2_escape(text: str) -> str:
    return re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)


def _flexible(text: str) -> str:
    """A word or phrase as an RE2 pattern (the words of a phrase may be spaced anyhow)."""
    return r"\s+".join(_re2_escape(w) for w in text.split())


@dataclass(frozen=True, slots=True)
class Query:
    """What to look for, and where (`kinds` and `project` come from the CLI's options and
    narrow further what the text's `kind:` and `project:` say)."""

    text: str
    regex: bool = False
    kinds: frozenset[Kind] | None = None
    project: str | None = None
    order: str = "rank"
    limit: int = 500
    terms: Terms = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", Terms() if self.regex else parse_terms(self.text))

    @property
    def case_sensitive(self) -> bool:
        """Smart case: a capital letter in what is looked for makes it case-sensitive."""
        if self.regex:
            return any(c.isupper() for c in self.text)
        return any(c.isupper() for t in self.terms.texts + self.terms.excluded for c in t)

    @property
    def words(self) -> list[str]:
        return list(self.terms.words)

    @property
    def flag(self) -> str:
        return "" if self.case_sensitive else "(?i)"

    def patterns(self) -> list[str]:
        """RE2 patterns that must all match."""
        if self.regex:
            return [self.flag + self.text] if self.text else []
        return [self.flag + _flexible(t) for t in self.terms.texts]

    def exclusions(self) -> list[str]:
        """RE2 patterns none of which may match."""
        return [self.flag + _flexible(t) for t in self.terms.excluded]

    @property
    def narrows(self) -> bool:
        """Whether it says anything besides text (so that it can run with no text)."""
        t = self.terms
        return bool(
            t.kinds or t.tools or t.projects or t.not_projects or t.after or t.before
            or self.kinds or self.project or t.excluded
        )  # fmt: skip

    def effective_kinds(self) -> frozenset[Kind] | None:
        a, b = self.kinds, self.terms.kinds
        if a is None or b is None:
            return a or b
        return a & b

    def phrase(self) -> str | None:
        """The words next to each other (only for a plain query of several words)."""
        if self.regex or len(self.words) < 2:
            return None
        return self.flag + _flexible(" ".join(self.words))

    def highlighter(self) -> re.Pattern[str] | None:
        """A Python pattern marking the matches in shown text (None if it cannot)."""
        flags = 0 if self.case_sensitive else re.IGNORECASE
        try:
            if self.regex:
                return re.compile(self.text, flags) if self.text else None
            texts = sorted(self.terms.texts, key=len, reverse=True)  # a phrase before its words
            if not texts:
                return None
            return re.compile("|".join(_py_flexible(t) for t in texts), flags)
        except re.error:  # RE2 syntax Python does not know: results are shown unmarked
            return None

    def in_project(self, project: str | None) -> bool:
        """Whether a session of this project can hold a match."""
        p = (project or "").lower()
        needles = [*self.terms.projects, *([self.project.lower()] if self.project else [])]
        return all(n in p for n in needles) and not any(n in p for n in self.terms.not_projects)

    def title_hit(self, title: str, matcher: re.Pattern[str] | None) -> bool:
        """Whether a session's title holds what is looked for."""
        if self.regex:
            return bool(matcher and matcher.search(title))
        texts = self.terms.texts
        if not texts:
            return False
        if self.case_sensitive:
            return all(re.search(_py_flexible(t), title) for t in texts)
        low = title.lower()
        return all(re.search(_py_flexible(t.lower()), low) for t in texts)

    def where(self, ts_column: str = "timestamp") -> tuple[str, dict[str, object]]:
        """SQL that is true for the entries that match (over columns text, kind, tool and
        `ts_column`), with its named parameters."""
        params: dict[str, object] = {}
        parts: list[str] = []
        for i, p in enumerate(self.patterns()):
            params[f"p{i}"] = p
            parts.append(f"regexp_matches(text, $p{i})")
        for i, p in enumerate(self.exclusions()):
            params[f"x{i}"] = p
            parts.append(f"NOT regexp_matches(text, $x{i})")
        kinds = self.effective_kinds()
        if kinds is not None:
            params["kinds"] = sorted(k.value for k in kinds)
            parts.append("list_contains($kinds, kind)")
        if self.terms.tools:
            ors = []
            for i, t in enumerate(self.terms.tools):
                params[f"t{i}"] = t
                ors.append(f"contains(lower(tool), $t{i})")
            parts.append("(" + " OR ".join(ors) + ")")
        if self.terms.after:
            params["after"] = self.terms.after
            parts.append(f"left({ts_column}, 19) >= $after")
        if self.terms.before:
            params["before"] = self.terms.before
            parts.append(f"left({ts_column}, 19) < $before")
        return " AND ".join(parts) or "true", params


def _py_flexible(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())
