"""Shape rules of the depthwise convolution layers that MobileNet-era forks add:
``DepthwiseConvolution`` and ``ConvolutionDepthwise``.

Both read ``convolution_param`` and compute outputs like Convolution; what differs is
that every input channel is its own group, whatever ``group`` says (group = C), so the
weights are (num_output, 1, k_h, k_w) and num_output must be a multiple of C.
"""
from __future__ import annotations

from typing import List

from .conv import _convolution
from .core import Shape, Shapes, register


@register("DepthwiseConvolution", "ConvolutionDepthwise")
def depthwise_convolution(layer, bottoms: List[Shape]) -> Shapes:
    return _convolution(layer, bottoms, deconv=False, depthwise=True)
