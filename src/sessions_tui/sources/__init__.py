"""Finding session files and reading their formats. Never imports Textual."""
