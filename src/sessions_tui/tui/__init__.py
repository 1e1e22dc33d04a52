"""The Textual browser. Only this package imports Textual."""
