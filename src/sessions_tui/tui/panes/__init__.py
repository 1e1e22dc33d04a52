"""The browser's panes: each owns its state and workers and talks by messages."""
