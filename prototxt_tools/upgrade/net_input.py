"""Net ``input`` / ``input_shape`` / ``input_dim`` → one ``Input`` layer at the front (UpgradeNetInput).

Caffe names the layer ``input``, gives it the inputs as tops and a shape per
input (``input_shape[i]``, or ``input_dim[4i..4i+3]``), then clears the old
fields.  A bare ``input:`` without any shape (legacy caffemodels) is simply
dropped by Caffe; ptx keeps it as a comment so nothing is silently lost.
"""
from __future__ import annotations

from typing import List

from ..edits import TextEdit
from ..errors import PtxError
from ..syntax import Document, Message
from .step import StepResult
from ..edits.layout import Style, detect_style, indent_of, line_start, removal
from .text import comment_out, quoted, renamed, split_message

_FAMILY = ("input", "input_shape", "input_dim")


def run(doc: Document) -> StepResult:
    result = StepResult()
    inputs = doc.values("input")
    if not inputs:
        return result
    style = detect_style(doc)
    family = [f for f in doc.fields if f.name in _FAMILY]
    shapes = [v for v in doc.values("input_shape") if isinstance(v, Message)]
    dims = doc.values("input_dim")
    if not shapes and not dims:
        for f in doc.get_all("input"):
            result.edits.append(comment_out(doc, f, "Caffe drops an `input` without input_shape "
                                            "or input_dim", style))
            result.warn(f, "`input` without shape dropped, as Caffe does (kept as a comment)")
        return result
    _check_counts(doc, inputs, shapes, dims, result)
    at, indent = _insertion_point(doc, family[0])
    layer = _input_layer(doc, inputs, shapes, dims, indent, style)
    result.edits.append(TextEdit(at, at, layer + style.newline))
    result.edits.extend(removal(doc, f) for f in family)
    names = ", ".join(v.raw for v in inputs)
    result.change(family[0], f"input fields → layer \"input\" of type Input (tops {names}), "
                  "placed before the first layer")
    return result


def _check_counts(doc: Document, inputs: list, shapes: list, dims: list, result) -> None:
    first = doc.get_all("input")[0]
    if shapes:
        if len(shapes) < len(inputs):
            raise PtxError(f"{len(inputs)} inputs but only {len(shapes)} input_shape entries; "
                           "Caffe needs one input_shape per input", line=first.line, col=first.col)
        if dims:
            result.warn(doc.get_all("input_dim")[0], "input_dim is ignored when input_shape is given "
                        "(as in Caffe)")
    elif len(dims) < 4 * len(inputs):
        raise PtxError(f"{len(inputs)} inputs need {4 * len(inputs)} input_dim values, found "
                       f"{len(dims)}", line=first.line, col=first.col)
    elif len(dims) > 4 * len(inputs):
        result.warn(doc.get_all("input_dim")[4 * len(inputs)], f"input_dim values past the first {4 * len(inputs)} "
                    "are ignored (as in Caffe)")


def _insertion_point(doc: Document, first_input):
    """Before the first layer (with its comments), or where the inputs were if that is earlier."""
    layer_chunks = [c for c in split_message(doc).chunks if c.field.name in ("layer", "layers")]
    at = line_start(doc.text, first_input.start)
    if layer_chunks:
        chunk = layer_chunks[0]
        layer_at = line_start(doc.text, chunk.lead_start if chunk.lead_start is not None
                              else chunk.field.start)
        at = min(at, layer_at)
    return at, indent_of(doc.text, first_input.start)


def _input_layer(doc: Document, inputs: list, shapes: list, dims: list, indent: str,
                 style: Style) -> str:
    step = indent + style.unit
    lines: List[str] = [indent + "layer {", step + "name: " + quoted("input", style),
                        step + "type: " + quoted("Input", style)]
    lines += [step + "top: " + v.raw for v in inputs]
    lines.append(step + "input_param {")
    shape_fields = [f for f in doc.get_all("input_shape")]
    for i in range(len(inputs)):
        if shapes:
            lines.append(step + style.unit + _shape_text(doc, shape_fields, shapes[i],
                                                         step + style.unit))
        else:
            inner = [step + style.unit * 2 + "dim: " + d.raw for d in dims[4 * i:4 * i + 4]]
            lines += [step + style.unit + "shape {"] + inner + [step + style.unit + "}"]
    lines += [step + "}", indent + "}"]
    return style.newline.join(lines)


def _shape_text(doc: Document, fields: list, shape: Message, indent: str) -> str:
    for f in fields:
        if f.value is shape:
            return renamed(doc, f, "shape", indent)
    return "shape " + shape.render()  # a shape given in list syntax: [ {...}, {...} ]
