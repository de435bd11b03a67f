"""Output formats: plain text tables, rich tables on a terminal, JSON."""
