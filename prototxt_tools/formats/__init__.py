"""Output formats, one module each: ``table`` (rich on a terminal, plain aligned text when
piped) for ``ptx show``; ``text``, ``parsable``, ``json``, ``sarif`` and ``github`` for lint
findings (selected by ``ptx lint --format``)."""


def is_terminal(stream) -> bool:
    """Whether ``stream`` is an interactive terminal (colour, rich); objects without
    ``isatty`` (StringIO in tests, some wrappers) count as pipes."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
