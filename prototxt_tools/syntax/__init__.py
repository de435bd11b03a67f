"""Lossless syntax layer: lexemes keep raw text and trivia, so render(parse(s)) == s."""
from .cst import Document, Field, ListValue, Message, Node, Scalar
from .errors import ParseError
from .parser import MAX_DEPTH, parse


def render(node: Node) -> str:
    """The exact source text of ``node``."""
    return node.render()


__all__ = ["Document", "Field", "ListValue", "Message", "Node", "Scalar", "ParseError",
           "MAX_DEPTH", "parse", "render"]
