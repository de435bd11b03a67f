"""Weight surgery on an HDF5 weights file (``.caffemodel.h5``): rename, drop, keep classes.

The plan and its checks are the binary path's (``plan.validate_plan``,
``select.plan_selection``), so both formats accept and refuse the same things
with the same words.  Caffe's ``Net::ToHDF5`` lays a file out as
``/data/<layer>/<j>`` and, when a solver snapshots with ``snapshot_diff``, the
same tree again under ``/diff``; every change is made to both trees so that
they keep matching.  A new file is built beside the output: untouched groups
and datasets are copied by HDF5 itself (``Group.copy``, values never pass
through Python); only the datasets of a ``--keep-classes`` layer (a
classifier's, small next to the rest) are read, sliced with numpy and written
again.  The new file is scanned again and checked against the plan before it
replaces anything; the input is only ever opened for reading.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..errors import PtxError
from ..io import atomic_file
from .hdf5 import _h5py, hdf5_errors, param_order, read_layer, read_link, scan_hdf5
from .stored import StoredLayer
from .select import RowSelection
from .plan import SurgeryPlan, SurgeryReport, validate_plan

TREES = ("data", "diff")   # Net::ToHDF5's groups: values, and the solver's gradients


def apply_hdf5_surgery(source: str, output: str, plan: SurgeryPlan) -> SurgeryReport:
    """``output`` = ``source`` with ``plan`` applied to /data and /diff; PtxError (nothing
    written) on problems."""
    scan = scan_hdf5(source)
    selections, changes = validate_plan(scan, plan)
    _check_link_names(plan, source)
    h5py = _h5py()
    with hdf5_errors(source), h5py.File(source, "r") as src:   # reading the input
        diff = _diff_layers(src, scan, plan, h5py)
        if diff:
            changes.append("made the same changes under /diff (the solver's gradients)")
        with atomic_file(output, binary=True) as (_unused, tmp):
            _write_safely(src, tmp, plan, selections, h5py)
            with hdf5_errors(tmp, "cannot read the written HDF5 file back"):
                written = _verify(src, tmp, plan, selections, h5py)
    return SurgeryReport(output, written, changes)


def _check_link_names(plan: SurgeryPlan, path: str) -> None:
    """HDF5 reads ``/`` in a link name as a path, so ``a/b`` would become group ``b``
    inside group ``a``, a layer Caffe never finds (and ``.`` is the group itself)."""
    for new in plan.renames.values():
        if "/" in new or new == ".":
            raise PtxError(f"'{new}' cannot name a layer group in an HDF5 file ('/' separates "
                           "groups; Caffe cannot save such a layer to HDF5 either)", path)


def _diff_layers(src, scan, plan: SurgeryPlan, h5py) -> Dict[str, StoredLayer]:
    """The /diff layers the plan touches, checked as /data's are: a rename must not
    clash there either, and a layer whose classes are kept must hold /data's shapes."""
    diff = src.get("diff")
    if not isinstance(diff, h5py.Group):
        return {}
    touched = set(plan.renames) | set(plan.drops) | set(plan.keep)
    layers = {name: read_layer(diff, name, h5py, scan.path) for name in touched if name in diff}
    final = [plan.renames.get(n, n) for n in diff.keys() if n not in plan.drops]
    clashes = sorted({n for n in final if final.count(n) > 1})
    if clashes:
        raise PtxError(f"after renaming, two layers under /diff would be named '{clashes[0]}'",
                       scan.path)
    for name in plan.keep:
        if name in layers and layers[name].blob_shapes != scan.layer(name).blob_shapes:
            raise PtxError(f"/diff/{name} holds shapes {layers[name].blob_shapes} but /data/{name} "
                           f"{scan.layer(name).blob_shapes}; their classes cannot be kept alike",
                           scan.path)
    return layers


def _write_safely(src, tmp: str, plan: SurgeryPlan, selections, h5py) -> None:
    """``_write``, with HDF5's own failures (a full disk...) as a one-line PtxError; what
    cannot be read from the input (a dangling link...) is blamed on the input."""
    with hdf5_errors(tmp, "cannot write the HDF5 file"):
        _write(src, tmp, plan, selections, h5py)


def _write(src, tmp: str, plan: SurgeryPlan, selections, h5py) -> None:
    with h5py.File(tmp, "w", userblock_size=src.userblock_size) as out:
        _copy_attrs(src, out)
        for name in src.keys():
            tree = read_link(src, name, src.filename)
            if name in TREES and isinstance(tree, h5py.Group):
                _write_tree(src, tree, out.create_group(name), plan, selections)
            else:
                src.copy(tree, out, name=name)
    _copy_user_block(src, tmp)


def _copy_attrs(source, dest) -> None:
    for key, value in source.attrs.items():
        dest.attrs[key] = value


def _copy_user_block(src, tmp: str) -> None:
    """The bytes before the superblock belong to whoever wrote them; HDF5 leaves them
    zero in a new file, so they are carried over by hand."""
    size = src.userblock_size
    if size:
        with open(src.filename, "rb") as fh_in, open(tmp, "r+b") as fh_out:
            fh_out.write(fh_in.read(size))


def _write_tree(src, tree, dest, plan: SurgeryPlan, selections) -> None:
    """One of /data and /diff, layer by layer: dropped, renamed, rows kept, or copied."""
    _copy_attrs(tree, dest)
    for name in tree.keys():
        if name in plan.drops:
            continue
        new_name = plan.renames.get(name, name)
        item = read_link(tree, name, src.filename)
        if name in selections:
            _write_selected(item, dest.create_group(new_name), selections[name])
        else:
            src.copy(item, dest, name=new_name)


def _write_selected(group, dest, selection: RowSelection) -> None:
    """Every dataset of the layer with only the chosen rows of its class axis, in the
    chosen order; dtype, attributes and filters stay those of the input."""
    _copy_attrs(group, dest)
    for index, link in enumerate(sorted(group.keys(), key=param_order)):
        source = group[link]
        rows = _selected(source, selection, index)
        written = dest.create_dataset(link, data=rows, dtype=source.dtype, **_filters(source))
        _copy_attrs(source, written)


def _selected(dataset, selection: RowSelection, index: int):
    import numpy
    return numpy.take(dataset[()], selection.rows, axis=selection.axes[index])


def _filters(dataset) -> dict:
    """Compression and checksums of a chunked input dataset (Caffe's own are contiguous,
    which is h5py's default)."""
    if dataset.chunks is None:
        return {}
    return {"chunks": True, "compression": dataset.compression,
            "compression_opts": dataset.compression_opts, "shuffle": dataset.shuffle,
            "fletcher32": dataset.fletcher32}


def _verify(src, tmp: str, plan: SurgeryPlan, selections, h5py) -> List[StoredLayer]:
    """Re-read the written file; PtxError unless both trees are exactly what was asked
    and each kept row equals the chosen input row, byte for byte."""
    written = scan_hdf5(tmp)
    with h5py.File(tmp, "r") as out:
        if sorted(out.keys()) != sorted(src.keys()):
            raise PtxError("verification failed: the file's top-level groups changed", tmp)
        for name in TREES:
            if isinstance(src.get(name), h5py.Group):
                _verify_tree(src[name], out[name], plan, selections, tmp)
    return written.layers


def _verify_tree(tree, out_tree, plan: SurgeryPlan, selections, path: str) -> None:
    expected = {plan.renames.get(name, name): _expected(tree[name], selections.get(name))
                for name in tree.keys() if name not in plan.drops}
    got = _summary(out_tree)
    if got != expected:
        wrong = sorted(set(got) ^ set(expected)) or sorted(n for n in got if got[n] != expected[n])
        raise PtxError(f"verification failed under {tree.name}: layer '{wrong[0]}' is not as "
                       "asked", path)
    for name, selection in selections.items():
        if name in tree:
            _verify_rows(tree[name], out_tree[plan.renames.get(name, name)], selection, path)


def _summary(item):
    """A dataset's (shape, dtype), or a group's links -> their summaries."""
    if hasattr(item, "shape"):
        return (item.shape, item.dtype)
    return {link: _summary(item[link]) for link in item.keys()}


def _expected(group, selection: Optional[RowSelection]):
    """``_summary`` of the layer as it should be written: a kept layer's class axes
    shortened to the chosen rows."""
    summary = _summary(group)
    if selection is None:
        return summary
    for index, link in enumerate(sorted(summary, key=param_order)):
        shape, dtype = summary[link]
        shape = list(shape)
        shape[selection.axes[index]] = len(selection.rows)
        summary[link] = (tuple(shape), dtype)
    return summary


def _verify_rows(group, out_group, selection: RowSelection, path: str) -> None:
    for index, link in enumerate(sorted(group.keys(), key=param_order)):
        if _selected(group[link], selection, index).tobytes() != out_group[link][()].tobytes():
            raise PtxError(f"verification failed: the kept rows of {out_group.name}/{link} "
                           "differ from the input's", path)
