"""The file is not valid protobuf text format.

## What it does
Reports the first place where the file stops being protobuf text format
(an unclosed brace, a stray character, a template placeholder).

## Why it matters
Caffe reads the file with protobuf's text parser and aborts on the first error:
`Error parsing text-format caffe.NetParameter: 12:3: ...` followed by
`Check failed: ReadProtoFromTextFile(param_file, param) Failed to parse NetParameter file`.
Nothing else in the file can be checked until it parses.

## Example
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
```

## Use instead
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
}
```
"""
from __future__ import annotations

from ..problems import Problem

CODE = "PTX001"
NAME = "syntax-error"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """The parse error found when the file was read (the runner parses once)."""
    if context.parse_error is not None:
        yield context.parse_error


def problem(path: str, error) -> Problem:
    """The finding for a PtxError met while reading or parsing ``path`` (the one place a
    PTX001 is built: a file that cannot be read and one that does not parse look alike)."""
    return Problem(path, error.line or 1, error.col or 1, CODE, NAME, error.message, SEVERITY)
