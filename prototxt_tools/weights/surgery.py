"""Weight surgery on a .caffemodel: rename layers, drop layers, keep a subset of classes.

An HDF5 weights file goes to ``hdf5_surgery`` with the same plan and checks
(``plan.py``).

The output is streamed: untouched byte ranges of the input are copied as is
(blob payloads included) and only changed layers are re-encoded, so memory
stays flat whatever the file size.  It is written to a temporary file beside
the output, re-scanned and checked against what was asked (names, shapes,
value counts, the kept rows byte for byte), and only then moved into place.
The input is only ever opened for reading.
"""
from __future__ import annotations

import os
from typing import Dict, List, Optional

from ..errors import PtxError
from ..io import atomic_file
from ..wire import LENGTH, encode_length_field, fields
from .hdf5 import HDF5
from .plan import SurgeryPlan, SurgeryReport, validate_plan
from .scan import MappedFile, scan_buffer, weights_kind
from .select import RowSelection, write_selected_blob
from .stored import StoredLayer

CHUNK = 1 << 24   # bytes copied per write


def apply_surgery(source: str, output: str, plan: SurgeryPlan) -> SurgeryReport:
    """Write ``output`` = ``source`` with ``plan`` applied; PtxError (nothing written) on problems."""
    _refuse_same_file(source, output)
    if weights_kind(source) == HDF5:   # the map is closed before h5py opens it
        from .hdf5_surgery import apply_hdf5_surgery
        return apply_hdf5_surgery(source, output, plan)
    with MappedFile(source) as mapped:
        scan = scan_buffer(mapped.buf, source)
        selections, changes = validate_plan(scan, plan)
        with atomic_file(output, binary=True) as (out, tmp):
            _write(mapped.buf, scan, plan, selections, out)
            out.flush()   # _verify reads the temp file back; atomic_file syncs it to disk
            written = _verify(tmp, mapped.buf, scan, plan, selections)
    return SurgeryReport(output, written, changes)


def _refuse_same_file(source: str, output: str) -> None:
    if os.path.exists(output) and os.path.samefile(source, output):
        raise PtxError("the output is the input file; ptx never modifies its input "
                       "(give another -o path)", output)


def _write(buf, scan, plan: SurgeryPlan, selections: Dict[str, RowSelection], out) -> None:
    layer_at = {layer.start: layer for layer in scan.layers}
    for f in fields(buf):
        layer = layer_at.get(f.start)
        if layer is None or not _touched(layer, plan):
            copy_range(buf, f.start, f.end, out)
        elif layer.name not in plan.drops:
            _write_layer(buf, layer, plan, selections.get(layer.name), out)


def _touched(layer: StoredLayer, plan: SurgeryPlan) -> bool:
    return layer.name in plan.renames or layer.name in plan.drops or layer.name in plan.keep


def copy_range(buf, start: int, end: int, out) -> None:
    for at in range(start, end, CHUNK):
        out.write(buf[at:min(end, at + CHUNK)])


def _write_layer(buf, layer: StoredLayer, plan, selection: Optional[RowSelection], out) -> None:
    """Re-encode one layer: new name and/or selected blob rows; other fields copied."""
    from .scan import V0_INSIDE_V1, V1_LAYOUT, V2_LAYOUT
    from .stored import V1_LAYERS
    if layer.number == V1_LAYERS and any(f.number == V0_INSIDE_V1 for f in _layer_fields(buf, layer)):
        raise PtxError(f"layer '{layer.name}' is a V0 layer; upgrade the caffemodel with Caffe's "
                       "upgrade_net_proto_binary first", None)
    name_no, blobs_no = (V2_LAYOUT if layer.number != V1_LAYERS else V1_LAYOUT)[0::2]
    parts = []
    blob_index = 0
    for f in _layer_fields(buf, layer):
        if f.number == name_no and f.wire == LENGTH and layer.name in plan.renames:
            encoded = plan.renames[layer.name].encode("utf-8")
            parts.append(encode_length_field(name_no, len(encoded)) + encoded)
        elif f.number == blobs_no and f.wire == LENGTH and selection is not None:
            parts.append(write_selected_blob(buf, f, selection, blob_index, blobs_no))
            blob_index += 1
        else:
            parts.append((f.start, f.end))
    size = sum(len(p) if isinstance(p, bytes) else p[1] - p[0] for p in parts)
    out.write(encode_length_field(layer.number, size))
    for part in parts:
        if isinstance(part, bytes):
            out.write(part)
        else:
            copy_range(buf, part[0], part[1], out)


def _layer_fields(buf, layer: StoredLayer):
    outer = next(fields(buf, layer.start, layer.end))
    return list(fields(buf, outer.value_start, outer.end))


def _verify(tmp: str, source_buf, scan, plan: SurgeryPlan, selections) -> List[StoredLayer]:
    """Re-read the written file; PtxError unless it is exactly what was asked."""
    from .select import verify_rows
    with MappedFile(tmp) as mapped:
        written = scan_buffer(mapped.buf, tmp)
        expected = [layer for layer in scan.layers if layer.name not in plan.drops]
        if len(written.layers) != len(expected):
            raise PtxError("verification failed: wrong number of layers written", tmp)
        for before, after in zip(expected, written.layers):
            _verify_layer(before, after, plan, selections.get(before.name), tmp)
            if before.name in selections:
                verify_rows(source_buf, before, mapped.buf, after, selections[before.name], tmp)
        return written.layers


def _verify_layer(before, after, plan, selection, path: str) -> None:
    wanted_name = plan.renames.get(before.name, before.name)
    shapes = [selection.new_shape(i, b) if selection else b.shape for i, b in enumerate(before.blobs)]
    if (after.name, after.type, after.blob_shapes) != (wanted_name, before.type, shapes):
        raise PtxError(f"verification failed for layer '{wanted_name}': wrote {after.name} "
                       f"{after.blob_shapes}, expected {shapes}", path)
