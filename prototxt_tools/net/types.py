"""Layer type names across the three net formats, mapped to the V2 strings Caffe uses.

Caffe upgrades every net read from a file to V2 before building it
(upgrade_proto.cpp), so analysis works on V2 type strings; these tables are
the V0 string → V1 enum and V1 enum → V2 string steps of that upgrade.
"""
from __future__ import annotations

from typing import Optional

# V1LayerParameter.LayerType: enum name -> (number, V2 type string)
V1_TYPES = {
    "NONE": (0, ""), "ABSVAL": (35, "AbsVal"), "ACCURACY": (1, "Accuracy"),
    "ARGMAX": (30, "ArgMax"), "BNLL": (2, "BNLL"), "CONCAT": (3, "Concat"),
    "CONTRASTIVE_LOSS": (37, "ContrastiveLoss"), "CONVOLUTION": (4, "Convolution"),
    "DECONVOLUTION": (39, "Deconvolution"), "DATA": (5, "Data"), "DROPOUT": (6, "Dropout"),
    "DUMMY_DATA": (32, "DummyData"), "EUCLIDEAN_LOSS": (7, "EuclideanLoss"),
    "ELTWISE": (25, "Eltwise"), "EXP": (38, "Exp"), "FLATTEN": (8, "Flatten"),
    "HDF5_DATA": (9, "HDF5Data"), "HDF5_OUTPUT": (10, "HDF5Output"),
    "HINGE_LOSS": (28, "HingeLoss"), "IM2COL": (11, "Im2col"), "IMAGE_DATA": (12, "ImageData"),
    "INFOGAIN_LOSS": (13, "InfogainLoss"), "INNER_PRODUCT": (14, "InnerProduct"),
    "LRN": (15, "LRN"), "MEMORY_DATA": (29, "MemoryData"),
    "MULTINOMIAL_LOGISTIC_LOSS": (16, "MultinomialLogisticLoss"), "MVN": (34, "MVN"),
    "POOLING": (17, "Pooling"), "POWER": (26, "Power"), "RELU": (18, "ReLU"),
    "SIGMOID": (19, "Sigmoid"), "SIGMOID_CROSS_ENTROPY_LOSS": (27, "SigmoidCrossEntropyLoss"),
    "SILENCE": (36, "Silence"), "SOFTMAX": (20, "Softmax"), "SOFTMAX_LOSS": (21, "SoftmaxWithLoss"),
    "SPLIT": (22, "Split"), "SLICE": (33, "Slice"), "TANH": (23, "TanH"),
    "WINDOW_DATA": (24, "WindowData"), "THRESHOLD": (31, "Threshold"),
}
_V1_BY_NUMBER = {number: v2 for number, v2 in V1_TYPES.values()}

# UpgradeV0LayerType: V0 type string -> V1 enum name
V0_TYPES = {
    "accuracy": "ACCURACY", "bnll": "BNLL", "concat": "CONCAT", "conv": "CONVOLUTION",
    "data": "DATA", "dropout": "DROPOUT", "euclidean_loss": "EUCLIDEAN_LOSS",
    "flatten": "FLATTEN", "hdf5_data": "HDF5_DATA", "hdf5_output": "HDF5_OUTPUT",
    "im2col": "IM2COL", "images": "IMAGE_DATA", "infogain_loss": "INFOGAIN_LOSS",
    "innerproduct": "INNER_PRODUCT", "lrn": "LRN",
    "multinomial_logistic_loss": "MULTINOMIAL_LOGISTIC_LOSS", "pool": "POOLING",
    "relu": "RELU", "sigmoid": "SIGMOID", "softmax": "SOFTMAX", "softmax_loss": "SOFTMAX_LOSS",
    "split": "SPLIT", "tanh": "TANH", "window_data": "WINDOW_DATA",
}


def v1_type_to_v2(raw) -> Optional[str]:
    """V2 name of a V1 enum given by name or number; None when Caffe would not know it."""
    if isinstance(raw, int):
        return _V1_BY_NUMBER.get(raw)
    entry = V1_TYPES.get(str(raw))
    return entry[1] if entry else None


def v0_type_to_v2(raw) -> Optional[str]:
    """V2 name of a V0 type string (``conv`` → ``Convolution``); None when unknown."""
    enum = V0_TYPES.get(str(raw))
    return V1_TYPES[enum][1] if enum else None
