"""``--keep-classes``: keep some output rows of a classifier's weights and bias.

The class axis of a blob is its first axis for ``shape`` blobs (conv
``[O, C, k, k]``, inner product ``[O, K]``, bias ``[O]``) and the first
non-1 axis for legacy 4-D blobs (V1 inner product ``1 1 O K``, bias
``1 1 1 O``); every axis before it must be 1, so a row is one contiguous
run of values and is copied as raw bytes, never decoded.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from ..errors import PtxError
from ..shapes.core import count
from ..wire import FIXED32, FIXED64, LENGTH, VARINT, encode_key, encode_length_field, encode_varint, fields

VALUE_BYTES = {5: 4, 6: 4, 8: 8, 9: 8}   # data, diff, double_data, double_diff


@dataclass
class RowSelection:
    rows: List[int]
    total: int
    axes: List[int]      # class axis per blob

    def new_shape(self, index: int, blob) -> Tuple[int, ...]:
        shape = list(blob.shape)
        shape[self.axes[index]] = len(self.rows)
        return tuple(shape)


def class_axis(blob) -> int:
    if not blob.legacy:
        return 0
    return next((i for i, d in enumerate(blob.shape) if d != 1), len(blob.shape) - 1)


def plan_selection(layer, rows: List[int], path: str) -> RowSelection:
    if not layer.blobs:
        raise PtxError(f"layer '{layer.name}' has no weights to select classes from", path)
    total = layer.blobs[0].shape[class_axis(layer.blobs[0])] if layer.blobs[0].shape else 0
    bad = [r for r in rows if not 0 <= r < total]
    if bad:
        raise PtxError(f"class {bad[0]} is out of range: layer '{layer.name}' has {total} outputs "
                       f"(0..{total - 1})", path)
    if len(set(rows)) != len(rows):
        raise PtxError(f"class list for '{layer.name}' repeats a class", path)
    axes = []
    for j, blob in enumerate(layer.blobs):
        axis = class_axis(blob)
        if not blob.shape or blob.shape[axis] != total or count(blob.shape[:axis]) != 1:
            raise PtxError(f"blob {j} of layer '{layer.name}' has shape {blob.shape}, which has no "
                           f"axis of {total} outputs to select from", path)
        if blob.values != count(blob.shape):
            raise PtxError(f"blob {j} of layer '{layer.name}' holds {blob.values} values for "
                           f"shape {blob.shape}", path)
        axes.append(axis)
    return RowSelection(list(rows), total, axes)


def write_selected_blob(buf, outer, selection: RowSelection, index: int, number: int) -> bytes:
    """The whole ``blobs`` field re-encoded with only the selected rows."""
    axis = selection.axes[index]
    out = bytearray()
    for f in fields(buf, outer.value_start, outer.end):
        if f.wire == VARINT and f.number in (1, 2, 3, 4) and f.number - 1 == axis:
            out += encode_key(f.number, VARINT) + encode_varint(len(selection.rows))
        elif f.number == 7 and f.wire == LENGTH:
            out += _shape_field(buf, f, axis, len(selection.rows))
        elif f.number in VALUE_BYTES and f.wire in (FIXED32, FIXED64):
            raise PtxError("blob values are not packed; --keep-classes needs packed values", None)
        elif f.number in VALUE_BYTES and f.wire == LENGTH and f.end > f.value_start:
            out += _selected_values(buf, f, selection)
        else:
            out += buf[f.start:f.end]
    return encode_length_field(number, len(out)) + bytes(out)


def _shape_field(buf, f, axis: int, size: int) -> bytes:
    from .scan import _dims
    dims = _dims(buf, f)
    dims[axis] = size
    packed = b"".join(encode_varint(d) for d in dims)
    payload = encode_length_field(1, len(packed)) + packed
    return encode_length_field(7, len(payload)) + payload


def row_ranges(start: int, end: int, selection: RowSelection, width: int):
    """(start, end) byte ranges of the selected rows in a packed payload."""
    row_bytes = (end - start) // selection.total
    if row_bytes * selection.total != end - start or row_bytes % width:
        raise PtxError("blob values do not split into whole rows", None)
    return [(start + r * row_bytes, start + (r + 1) * row_bytes) for r in selection.rows]


def _selected_values(buf, f, selection: RowSelection) -> bytes:
    ranges = row_ranges(f.value_start, f.end, selection, VALUE_BYTES[f.number])
    payload = b"".join(bytes(buf[a:b]) for a, b in ranges)
    return encode_length_field(f.number, len(payload)) + payload


def _data_fields(buf, blob):
    return [f for f in fields(buf, _inner_start(buf, blob), blob.end)
            if f.number in (5, 8) and f.wire == LENGTH and f.end > f.value_start]


def _inner_start(buf, blob) -> int:
    return next(fields(buf, blob.start, blob.end)).value_start


def verify_rows(source_buf, before, out_buf, after, selection: RowSelection, path: str) -> None:
    """Each written row equals the chosen input row, byte for byte."""
    for blob_in, blob_out in zip(before.blobs, after.blobs):
        for f_in, f_out in zip(_data_fields(source_buf, blob_in), _data_fields(out_buf, blob_out)):
            wanted = row_ranges(f_in.value_start, f_in.end, selection, VALUE_BYTES[f_in.number])
            width = wanted[0][1] - wanted[0][0]
            for k, (a, b) in enumerate(wanted):
                at = f_out.value_start + k * width
                if source_buf[a:b] != out_buf[at:at + width]:
                    raise PtxError(f"verification failed: row {k} of layer '{after.name}' differs", path)
