"""The command line: the parser and one module per verb. Never imports Textual."""
