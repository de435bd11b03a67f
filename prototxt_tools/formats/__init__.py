"""Output formats, one module each: ``table`` (rich on a terminal, plain aligned text when
piped) for ``ptx show``; the FINDINGS registry (``text``, ``parsable``, ``json``, ``sarif``,
``github``) for lint findings, each a module with ``render(problems, stream, fixed, color)``
(selected by ``ptx lint --format``)."""
from ..registry import Registry

FINDINGS = Registry("findings format", [f"{__name__}.{name}" for name in (
    "text", "parsable", "json", "sarif", "github")])


def is_terminal(stream) -> bool:
    """Whether ``stream`` is an interactive terminal (colour, rich); objects without
    ``isatty`` (StringIO in tests, some wrappers) count as pipes."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
