"""An ImageData layer crops more than the size it resizes its images to.

## What it does
For `ImageData` layers that resize (`new_height` and `new_width` in
`image_data_param`), compares `crop_size` (in `transform_param`, or the deprecated
one in `image_data_param`) with both; also reports `new_height` given without
`new_width` or the reverse.

## Why it matters
Caffe resizes every image to `new_height` x `new_width`, then crops: a crop larger
than the resized image dies while the layer is set up, on the first image:
`Check failed: img_height >= crop_size (224 vs. 227)`. One of the two sizes alone
is refused too: `Check failed: (new_height == 0 && new_width == 0) || (new_height > 0
&& new_width > 0) Current implementation requires new_height and new_width to be set
at the same time.`

## Example
```prototxt
layer { name: "data" type: "ImageData" top: "data" top: "label"
        transform_param { crop_size: 227 }
        image_data_param { source: "train.txt" batch_size: 32 new_height: 224 new_width: 224 } }
```

## Use instead
```prototxt
        image_data_param { source: "train.txt" batch_size: 32 new_height: 256 new_width: 256 } }
```
"""
from __future__ import annotations

from .base import layer_anchor

CODE = "PTX310"
NAME = "crop-larger-than-resize"
SEVERITY = "error"
OPTIONS: dict = {}


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _crop(layer):
    """(crop_size, the field node holding it) from transform_param, else image_data_param."""
    for block in ("transform_param", "image_data_param"):
        node = layer.node.message(block) if layer.format == "v2" else None
        if node is not None and node.has("crop_size"):
            return _int(layer.typed(block).get("crop_size")), node.get("crop_size")
    return 0, None


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        if layer.type != "ImageData":
            continue
        p = layer.typed("image_data_param")
        height, width = _int(p.get("new_height")), _int(p.get("new_width"))
        if (height > 0) != (width > 0):
            yield context.report(layer_anchor(layer), (
                "Check failed: (new_height == 0 && new_width == 0) || (new_height > 0 && "
                "new_width > 0) Current implementation requires new_height and new_width to be "
                f"set at the same time. -- layer '{layer.name}' gives only one of them"))
            continue
        crop, node = _crop(layer)
        if height and crop:
            side, size = ("height", height) if height < crop else ("width", width)
            if size < crop:
                yield context.report(node, (
                    f"Check failed: img_{side} >= crop_size ({size} vs. {crop}) -- layer "
                    f"'{layer.name}' resizes images to {height}x{width} and then crops {crop}: "
                    f"crop at most {min(height, width)}, or resize to at least {crop}"))
