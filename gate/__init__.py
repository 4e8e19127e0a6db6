"""Client confidentiality gate: stops content that reveals who an organisation's clients are."""

__version__ = "0.2.0"
