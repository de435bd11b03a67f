"""Concrete syntax tree nodes over a lossless lexeme stream.

A node covers an inclusive range ``[first, last]`` of lexemes in its
stream; trivia (blanks, newlines, comments, separators) between
meaningful lexemes stays in the stream where it was.  Rendering a node is the
concatenation of the lexemes it covers, so a Document renders back to exactly
the text it was parsed from.  Nodes are read-only: edits are replacements of
spans of text, after which the text is parsed again.

Nodes point at their TokenStream, never back at the Document or a parent:
the tree then has no reference cycles and is freed by reference counting as
soon as it is dropped, instead of waiting for (and slowing down) the cyclic
garbage collector.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterator, List, Optional, Union

from .tokens import LineIndex, TokenStream, kind_of
from .values import decode_scalar


class Node:
    """Base of all nodes: a lexeme range, a source span and a 1-based position."""

    __slots__ = ("stream", "first", "last")

    def __init__(self, stream: TokenStream, first: int, last: int):
        self.stream = stream
        self.first = first
        self.last = last

    def render(self) -> str:
        starts = self.stream.starts
        return self.stream.text[starts[self.first]:starts[self.last + 1]]

    @property
    def start(self) -> int:
        return self.stream.starts[self.first]

    @property
    def end(self) -> int:
        return self.stream.starts[self.last + 1]

    @property
    def position(self) -> tuple:
        """1-based (line, col) of the node's first character."""
        return self.stream.index.position(self.start)

    @property
    def end_position(self) -> tuple:
        return self.stream.index.position(self.end)

    @property
    def line(self) -> int:
        return self.position[0]

    @property
    def col(self) -> int:
        return self.position[1]


_UNSET = object()


class Scalar(Node):
    """A number, an identifier (enum, bool, inf, nan) or adjacent string literals."""

    __slots__ = ("text", "_value")

    def __init__(self, stream: TokenStream, first: int, last: int, text: str):
        self.stream = stream
        self.first = first
        self.last = last
        self.text = text  # the first meaningful lexeme, exactly as written
        self._value = _UNSET

    @property
    def lexemes(self) -> List[str]:
        """The meaningful lexemes: one, or several adjacent strings."""
        if self.first == self.last:
            return [self.text]
        # Only this range, not ``stream.texts``: the compiled parser never builds those.
        stream = self.stream
        starts, text = stream.starts, stream.text
        lexemes = (text[starts[i]:starts[i + 1]] for i in range(self.first, self.last + 1))
        return [t for t in lexemes if t[0] in "\"'"]

    @property
    def kind(self) -> str:
        """``"string"``, ``"number"`` or ``"ident"``."""
        return kind_of(self.text)

    @property
    def raw(self) -> str:
        """Source text of the value."""
        return self.render()

    @property
    def value(self):
        """Python value: str for strings and identifiers, int or float for numbers.

        Decoded once: the tree never changes, and views read values often."""
        value = self._value
        if value is _UNSET:
            text = self.text
            if self.first == self.last and text[0] == '"' and "\\" not in text:
                value = text[1:-1]  # the common case: one plain double-quoted string
            else:
                value = decode_scalar(self.kind, self.lexemes)
            self._value = value
        return value


class Message(Node):
    """A ``{ ... }`` or ``< ... >`` block; a Document is the delimiter-less top level."""

    __slots__ = ("fields", "_by_name")

    def __init__(self, stream: TokenStream, first: int, last: int, fields: list):
        self.stream = stream
        self.first = first
        self.last = last
        self.fields: List[Field] = fields
        self._by_name = None

    def _index(self) -> dict:
        """name -> the field, or the list of fields when the name repeats (source order).

        Built on the first lookup (views look up a lot); a lone field is stored
        as is because most names occur once and a list per name was a sizeable
        share of the objects the garbage collector walks.  Lookups read
        ``_by_name`` first and call this only when it is None."""
        by_name = self._by_name
        if by_name is None:
            by_name = {}
            for field in self.fields:
                name = field.name
                found = by_name.get(name)
                if found is None:
                    by_name[name] = field
                elif type(found) is list:
                    found.append(field)
                else:
                    by_name[name] = [found, field]
            self._by_name = by_name
        return by_name

    def get_all(self, name: str) -> List["Field"]:
        found = (self._by_name or self._index()).get(name)
        if found is None:
            return []
        return list(found) if type(found) is list else [found]

    def get(self, name: str) -> Optional["Field"]:
        """The last field called ``name`` (protobuf: the last value of a singular field wins)."""
        found = (self._by_name or self._index()).get(name)
        return found[-1] if type(found) is list else found

    def has(self, name: str) -> bool:
        return name in (self._by_name or self._index())

    def values(self, name: str) -> list:
        """Every value node given for ``name``, flattening list syntax ``[a, b]``."""
        found = (self._by_name or self._index()).get(name)
        if found is None:
            return []
        if type(found) is not list:
            value = found.value
            return list(value.items) if type(value) is ListValue else [value]
        out = []
        for field in found:
            value = field.value
            if type(value) is ListValue:
                out.extend(value.items)
            else:
                out.append(value)
        return out

    def scalars(self, name: str) -> list:
        """Python values of every scalar given for ``name`` (repeated fields)."""
        return [v.value for v in self.values(name) if isinstance(v, Scalar)]

    def scalar(self, name: str, default=None):
        """The value of a singular scalar field, or ``default`` when absent."""
        field = self.get(name)
        if field is None or not isinstance(field.value, Scalar):
            return default
        return field.value.value

    def message(self, name: str) -> Optional["Message"]:
        field = self.get(name)
        if field is None or not isinstance(field.value, Message):
            return None
        return field.value

    def messages(self, name: str) -> List["Message"]:
        return [v for v in self.values(name) if isinstance(v, Message)]

    @property
    def inner_start(self) -> int:
        """Offset just after the opening delimiter."""
        return self.stream.starts[self.first + 1]

    @property
    def close_start(self) -> int:
        """Offset of the closing delimiter."""
        return self.stream.starts[self.last]


class ListValue(Node):
    """``[a, b, c]`` list syntax: items are Scalars or Messages."""

    __slots__ = ("items",)

    def __init__(self, stream: TokenStream, first: int, last: int, items: list):
        self.stream = stream
        self.first = first
        self.last = last
        self.items: List[Union[Scalar, Message]] = items


class Field(Node):
    """``name: value`` or ``name { ... }``; the value is a Scalar, Message or ListValue."""

    __slots__ = ("value", "colon", "name")

    def __init__(self, stream: TokenStream, first: int, value: Node, colon: int, name: str):
        self.stream = stream
        self.first = first
        self.last = value.last
        self.value = value
        self.colon = colon  # lexeme index of ':' or -1
        self.name = name

    @property
    def name_end(self) -> int:
        return self.stream.starts[self.first + 1]

    def values(self) -> list:
        value = self.value
        if isinstance(value, ListValue):
            return value.items
        return [value]



class Document(Message):
    """The whole file: top-level fields; every lexeme of the text is in its stream."""

    __slots__ = ()

    def __init__(self, stream: TokenStream, fields: list):
        super().__init__(stream, 0, stream.count - 1, fields)

    @property
    def index(self) -> LineIndex:
        """Offset -> (line, col) of this file (built on first use, shared with its nodes)."""
        return self.stream.index

    @property
    def text(self) -> str:
        return self.stream.text

    def render(self) -> str:
        return self.stream.text

    @property
    def start(self) -> int:
        return 0

    @property
    def end(self) -> int:
        return len(self.stream.text)

    def comments(self) -> Iterator[tuple]:
        """(offset, text) of every ``#`` comment, in source order.

        Found from the ``#`` characters of the text, not by visiting every lexeme: a
        ``#`` starting a lexeme starts a comment (one inside a string or a comment
        starts none), and files hold far fewer ``#`` than lexemes."""
        stream = self.stream
        text, starts = stream.text, stream.starts
        pos = text.find("#")
        while pos >= 0:
            i = bisect_left(starts, pos)
            if i < stream.count and starts[i] == pos:
                end = starts[i + 1]
                yield pos, text[pos:end]
                pos = text.find("#", end)
            else:
                pos = text.find("#", pos + 1)
