"""What the CLI and the TUI both show: export, number and date formats, the console."""
