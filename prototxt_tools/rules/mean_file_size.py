"""The mean file's size does not fit the images or the crop.

## What it does
Reads the height and width from the header of each `transform_param.mean_file`
(resolved against `--root`; missing files are skipped) and compares them with
ImageData's `new_height`/`new_width` and with `crop_size`. Also reports
`mean_file` together with `mean_value`.

## Why it matters
Caffe subtracts the mean of the *uncropped* image and dies when sizes differ:
`Check failed: datum_height == data_mean_.height() (227 vs. 256)`; and
`Cannot specify mean_file and mean_value at the same time`.
A mean smaller than the crop can never match the image.

## Example
```prototxt
transform_param { crop_size: 227 mean_file: "mean_227.binaryproto" }
image_data_param { source: "train.txt" new_height: 256 new_width: 256 }
```

## Use instead
```prototxt
transform_param { crop_size: 227 mean_file: "mean_256.binaryproto" }
```
or `mean_value: 104 mean_value: 117 mean_value: 123`, which has no size.
"""
from __future__ import annotations

CODE = "PTX305"
NAME = "mean-file-size"
SEVERITY = "error"
OPTIONS: dict = {}


def _image_size(layer):
    if layer.type != "ImageData":
        return None
    params = layer.typed("image_data_param")
    height, width = params.get("new_height"), params.get("new_width")
    return (height, width) if isinstance(height, int) and height > 0 and width else None


def _size_problem(layer, mean, crop) -> str:
    image = _image_size(layer)
    if image is not None and image != mean:
        # Caffe checks height, then width: quote the check that really fails
        axis = 0 if image[0] != mean[0] else 1
        which = ("height", "width")[axis]
        return (f"Check failed: datum_{which} == data_mean_.{which}() ({image[axis]} vs. "
                f"{mean[axis]}) -- layer '{layer.name}' resizes images to {image[0]}x{image[1]} "
                f"but its mean file is {mean[0]}x{mean[1]}")
    if isinstance(crop, int) and crop > 0 and (crop > mean[0] or crop > mean[1]):
        return (f"layer '{layer.name}' crops {crop}x{crop} but its mean file is only "
                f"{mean[0]}x{mean[1]}: the mean must have the uncropped image size")
    return ""


def check(context, options):
    from ..lint.meanfile import mean_size
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        block = layer.node.message("transform_param")
        field = block.get("mean_file") if block is not None else None
        if field is None:
            continue
        if block.has("mean_value"):
            yield context.report(field, "Cannot specify mean_file and mean_value at the same time"
                                        f" -- layer '{layer.name}': keep one of them")
            continue
        mean = mean_size(context.resolve(str(field.value.value)))
        problem = _size_problem(layer, mean, layer.typed("transform_param").get("crop_size")) \
            if mean else ""
        if problem:
            yield context.report(field, problem)
