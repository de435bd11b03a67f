"""Output formats, one module each: ``table`` (rich on a terminal, plain aligned text when
piped) for ``ptx show``; ``text``, ``parsable``, ``json``, ``sarif`` and ``github`` for lint
findings (selected by ``ptx lint --format``)."""
