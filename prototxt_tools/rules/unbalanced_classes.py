"""The training list is heavily unbalanced: some class has many times the images of another.

## What it does
Counts the images per label in the list of each ImageData layer feeding a loss in
TRAIN (the file `source` names, resolved like other data paths) and reports a
list whose most frequent class has at least `ratio` (default 10) times the images
of its rarest one, with the counts.

## Why it matters
Caffe says nothing. SGD on such a list mostly sees the big classes: the net learns
to predict them (a 20:1 list gives 95% accuracy by always answering the big class)
and the rare classes are never learnt. Caffe's own answer is to balance what the
net sees: repeat the rare classes' lines in the list (over-sampling; Caffe's
fine-tuning guide calls it label shuffling), or weight the loss.

## Example
```text
# train.txt: 2,000 images of label 0, 100 of label 1
```

## Use instead
Repeat the rare classes' lines until the counts are within a few times of each
other (then `shuffle: true`), or use `InfogainLoss` with per-class weights.
"""
from __future__ import annotations

from collections import Counter

from ._classes import ignore_label, label_source, list_labels

CODE = "PTX311"
NAME = "unbalanced-classes"
SEVERITY = "warning"
OPTIONS = {"ratio": (float, 10.0)}


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None:
        return
    seen = set()
    for loss in graph.loss_layers():
        data = label_source(graph, loss) if len(loss.bottoms) > 1 else None
        if data is None or data.index in seen:
            continue
        seen.add(data.index)
        ignored = ignore_label(loss)
        counts = Counter(x for x in list_labels(context, data) or () if x != ignored)
        if len(counts) < 2:
            continue
        (big, most), (rare, least) = counts.most_common()[0], counts.most_common()[-1]
        if most < options["ratio"] * least:
            continue
        shown = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items())[:10])
        more = " ..." if len(counts) > 10 else ""
        node = data.node.message("image_data_param").get("source")
        yield context.report(node, (
            f"the training list of ImageData '{data.name}' is unbalanced {most / least:.0f}:1 "
            f"(label {big}: {most} images, label {rare}: {least}; per label {shown}{more}): the "
            f"net learns to predict the big classes -- repeat the rare classes' lines "
            f"(over-sample), or weight the loss"))
