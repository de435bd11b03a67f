"""Edits made in steps, each against the previous result, kept as edits of the original.

A Draft remembers which characters of its current text are the original's and
which were written by a step, so however many steps ran, ``edits()`` gives the
precise spans of the original that changed -- not a line diff.
"""
from __future__ import annotations

from typing import Iterable, List, Tuple, Union

from . import TextEdit, apply_edits

# A piece of the current text: a (start, end) span of the original, or new text.
Piece = Union[Tuple[int, int], str]


class Draft:
    """The original text plus every applied step, as pieces of the original and new text."""

    def __init__(self, original: str):
        self.original = original
        self._pieces: List[Piece] = [(0, len(original))] if original else []

    @property
    def text(self) -> str:
        return "".join(self._text_of(piece) for piece in self._pieces)

    def apply(self, edits: Iterable[TextEdit]) -> str:
        """Apply ``edits`` (against the current text); returns the new current text."""
        edits = list(edits)
        apply_edits(self.text, edits)     # OverlappingEdits before anything changes
        ordered = sorted(enumerate(edits), key=lambda e: (e[1].start, e[1].end, e[0]))
        for _, edit in reversed(ordered):     # back to front: earlier offsets stay valid
            first = self._split(edit.start)
            last = self._split(edit.end)
            self._pieces[first:last] = [edit.replacement] if edit.replacement else []
        return self.text

    def edits(self) -> List[TextEdit]:
        """Edits of the original that give the current text, each as small as it can be."""
        out: List[TextEdit] = []
        pos, written = 0, []
        for piece in self._pieces + [(len(self.original), len(self.original))]:
            if isinstance(piece, str):
                written.append(piece)
                continue
            start, end = piece
            replacement = "".join(written)
            if self.original[pos:start] != replacement:
                out.append(TextEdit(pos, start, replacement))
            pos, written = end, []
        return out

    def _text_of(self, piece: Piece) -> str:
        return piece if isinstance(piece, str) else self.original[piece[0]:piece[1]]

    def _split(self, offset: int) -> int:
        """Index of the first piece starting at ``offset`` of the current text (split if need be)."""
        at = 0
        for i, piece in enumerate(self._pieces):
            length = len(self._text_of(piece))
            if offset == at:
                return i
            if offset < at + length:
                k = offset - at
                if isinstance(piece, str):
                    halves: List[Piece] = [piece[:k], piece[k:]]
                else:
                    halves = [(piece[0], piece[0] + k), (piece[0] + k, piece[1])]
                self._pieces[i:i + 1] = halves
                return i + 1
            at += length
        return len(self._pieces)
