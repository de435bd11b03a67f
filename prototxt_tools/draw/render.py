"""Render DOT through Graphviz's ``dot`` program (Debian package ``graphviz``)."""
from __future__ import annotations

import shutil
import subprocess

from ..errors import PtxError

INSTALL_HINT = ("Graphviz's 'dot' program is needed for .svg/.png/.pdf: install it (Debian/Ubuntu: "
                "apt-get install graphviz; macOS: brew install graphviz), or write .dot or .html")


def dot_program() -> str:
    program = shutil.which("dot")
    if program is None:
        raise PtxError(INSTALL_HINT)
    return program


def render(dot_text: str, fmt: str, timeout: float = 120.0) -> bytes:
    """The ``fmt`` (svg/png/pdf) bytes of ``dot_text``."""
    try:
        done = subprocess.run([dot_program(), f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PtxError(f"Graphviz took more than {timeout:.0f} s to lay out this net") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PtxError("Graphviz failed: " + (message[0] if message else f"exit {done.returncode}"))
    return done.stdout
