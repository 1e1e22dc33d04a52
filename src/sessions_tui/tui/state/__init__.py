"""The reading state of the browser, in plain Python (no Textual)."""
