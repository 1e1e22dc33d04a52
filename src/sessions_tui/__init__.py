"""sessions-tui: a fast terminal browser for Claude Code and Codex sessions."""

__version__ = "0.1.0"
