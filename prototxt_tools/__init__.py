"""ptx: safe surgery and lint for Caffe network definitions.

``prototxt_tools.load(path_or_text, schema=None)`` is the entry point of the
Python API; it returns the same object the ``ptx`` commands work on.
"""
__version__ = "0.1.0"

from .api import PtxFile, load  # noqa: E402



def edit(source, passes, schema=None):
    """Apply edit passes in order: ``edit("train_val.prototxt", [("replace_head", {"n": 20,
    "name": "fc8_flickr"})])`` -> EditOutcome(text, original, changes, notes).

    Pass names and parameters are those of ``prototxt_tools.passes.PASSES``; a pass call
    can also be built from the values ``ptx edit`` takes: ``passes.call("replace_head", "20",
    name="fc8_flickr")``.  The result is refused (PtxError) when it does not parse or gains
    graph or shape errors.
    Imported on first use so ``import prototxt_tools`` stays light.
    """
    from .passes.driver import edit as run_edit
    return run_edit(source, passes, schema)


def finetune(net, train, val, out_dir, weights=None, **choices):
    """A checked fine-tuning job folder, as ``ptx finetune`` writes it:
    ``finetune("deploy.prototxt", "train.txt", "val.txt", "job", weights="w.caffemodel")``
    -> FinetuneResult (decisions with reasons, checks, file texts, ``written``).

    ``choices``: force, train_steps, caffe, timeout and the ``finetuning.Options`` fields
    (classes, labels, similar, strategy, epochs, batch, gpu, optimizer, base_lr,
    root_folder, mean_file, mean_values).  Bad input raises PtxError; a failed check
    is in the result (nothing written unless ``force=True``)."""
    from .finetuning import finetune as run_finetune
    return run_finetune(net, train, val, out_dir, weights=weights, **choices)


__all__ = ["PtxFile", "edit", "finetune", "load", "__version__"]
