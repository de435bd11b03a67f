"""Shape rules of the depthwise convolution layers that MobileNet-era forks add.

``ConvolutionDepthwise`` (sp2823's conv_dw_layer) is a layer of its own: it reads
kernel/stride/pad/dilation from ``convolution_param`` but ignores ``num_output`` and
``group`` (neither is checked): every input channel gives one output channel, so the
top is (N, C, H', W'), the weights (C, 1, k_h, k_w) and the bias (C) when ``bias_term``.
It is 2-D only: it reads the input through Blob's legacy num/channels/height/width
accessors (more than 4 axes dies; a missing trailing axis counts as 1).

``DepthwiseConvolution`` (yonghenglh6's) subclasses ``BaseConvolutionLayer`` and honours
``num_output`` and ``group`` exactly like Convolution, so it takes Convolution's rule
(registered in conv.py): depthwise only when the net sets ``group`` to the channel count.
"""
from __future__ import annotations

from typing import List

from .conv import _geometry, _output_size
from .core import Shape, Shapes, check_op, count, param, register


@register("ConvolutionDepthwise")
def convolution_depthwise(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "convolution_param")
    check_op(len(bottoms[0]), "<=", 4, "num_axes() <= 4",
             "Cannot use legacy accessors on Blobs with > 4 axes.")
    b = tuple(bottoms[0]) + (1,) * (4 - len(bottoms[0]))   # Blob::LegacyShape
    kernel, stride, pad, dilation = _geometry(p, 2)
    channels = b[1]
    out = tuple(_output_size(b[2 + i], kernel[i], stride[i], pad[i], dilation[i], deconv=False)
                for i in (0, 1))
    top = (b[0], channels) + out
    params = [(channels, 1) + tuple(kernel)]
    if p.get("bias_term") is not False:
        params.append((channels,))
    return Shapes([top], params, count(top) * count(kernel))
