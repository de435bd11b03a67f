"""Caffe's upgrade tables (src/caffe/util/upgrade_proto.cpp), as data.

Kept apart from the steps so the mapping can be read and checked against
Caffe at a glance; the steps only walk the text.
"""
from __future__ import annotations

from ..net.types import V0_TYPES, V1_TYPES  # shared with the typed net views

V1_TYPE_BY_NUMBER = {number: name for name, (number, _) in V1_TYPES.items()}

# UpgradeV0LayerParameter: V0 field -> (new name, {V0 type: V1 typed param}).
# Fields whose target does not depend on the type use the key "*".
V0_FIELDS = {
    "num_output": ("num_output", {"conv": "convolution_param", "innerproduct": "inner_product_param"}),
    "biasterm": ("bias_term", {"conv": "convolution_param", "innerproduct": "inner_product_param"}),
    "weight_filler": ("weight_filler", {"conv": "convolution_param",
                                        "innerproduct": "inner_product_param"}),
    "bias_filler": ("bias_filler", {"conv": "convolution_param",
                                    "innerproduct": "inner_product_param"}),
    "pad": ("pad", {"conv": "convolution_param", "pool": "pooling_param"}),
    "kernelsize": ("kernel_size", {"conv": "convolution_param", "pool": "pooling_param"}),
    "group": ("group", {"conv": "convolution_param"}),
    "stride": ("stride", {"conv": "convolution_param", "pool": "pooling_param"}),
    "pool": ("pool", {"pool": "pooling_param"}),
    "dropout_ratio": ("dropout_ratio", {"dropout": "dropout_param"}),
    "local_size": ("local_size", {"lrn": "lrn_param"}),
    "alpha": ("alpha", {"lrn": "lrn_param"}),
    "beta": ("beta", {"lrn": "lrn_param"}),
    "k": ("k", {"lrn": "lrn_param"}),
    "source": ("source", {"data": "data_param", "hdf5_data": "hdf5_data_param",
                          "images": "image_data_param", "window_data": "window_data_param",
                          "infogain_loss": "infogain_loss_param"}),
    "scale": ("scale", {"*": "transform_param"}),
    "meanfile": ("mean_file", {"*": "transform_param"}),
    "batchsize": ("batch_size", {"data": "data_param", "hdf5_data": "hdf5_data_param",
                                 "images": "image_data_param", "window_data": "window_data_param"}),
    "cropsize": ("crop_size", {"*": "transform_param"}),
    "mirror": ("mirror", {"*": "transform_param"}),
    "rand_skip": ("rand_skip", {"data": "data_param", "images": "image_data_param"}),
    "shuffle_images": ("shuffle", {"images": "image_data_param"}),
    "new_height": ("new_height", {"images": "image_data_param"}),
    "new_width": ("new_width", {"images": "image_data_param"}),
    "concat_dim": ("concat_dim", {"concat": "concat_param"}),
    "det_fg_threshold": ("fg_threshold", {"window_data": "window_data_param"}),
    "det_bg_threshold": ("bg_threshold", {"window_data": "window_data_param"}),
    "det_fg_fraction": ("fg_fraction", {"window_data": "window_data_param"}),
    "det_context_pad": ("context_pad", {"window_data": "window_data_param"}),
    "det_crop_mode": ("crop_mode", {"window_data": "window_data_param"}),
}
# V0 fields copied to the V1 layer itself (same name), and fields of the
# V0 schema that Caffe's upgrade silently drops.
V0_LAYER_LEVEL = ("name", "type", "blobs", "blobs_lr", "weight_decay")
V0_SILENTLY_DROPPED = ("new_num", "new_channels")
# hdf5_output_param is copied as a whole, but only for hdf5_output layers.
V0_HDF5_OUTPUT = "hdf5_output_param"

# V1LayerParameter fields (all copied by UpgradeV1LayerParameter, except `layer`).
V1_PARAM_FAMILY = ("param", "blob_share_mode", "blobs_lr", "weight_decay")
V1_FIELDS = frozenset((
    "bottom", "top", "name", "include", "exclude", "type", "blobs", "loss_weight",
    "accuracy_param", "argmax_param", "concat_param", "contrastive_loss_param",
    "convolution_param", "data_param", "dropout_param", "dummy_data_param", "eltwise_param",
    "exp_param", "hdf5_data_param", "hdf5_output_param", "hinge_loss_param", "image_data_param",
    "infogain_loss_param", "inner_product_param", "lrn_param", "memory_data_param", "mvn_param",
    "pooling_param", "power_param", "relu_param", "sigmoid_param", "softmax_param", "slice_param",
    "tanh_param", "threshold_param", "window_data_param", "transform_param", "loss_param",
) + V1_PARAM_FAMILY)

# NetNeedsDataUpgrade / UpgradeNetDataTransformation: the V1 data layers whose own
# *_data_param fields Caffe's upgrade moves into transform_param (all four, for each).
DATA_PARAMS = {"DATA": "data_param", "IMAGE_DATA": "image_data_param",
               "WINDOW_DATA": "window_data_param"}
TRANSFORM_FIELDS = ("scale", "mean_file", "crop_size", "mirror")
# The same fields written in a V2 `layer`: no upgrade runs, and nothing reads them (PTX306
# reports them and moves them) -- except window_data_param.scale, which WindowDataLayer still
# reads instead of transform_param.scale (window_data_layer.cpp:238).  mean_value never
# existed in any *_data_param.
IGNORED_IN_V2 = {param: tuple(f for f in TRANSFORM_FIELDS
                              if (param, f) != ("window_data_param", "scale"))
                 for param in DATA_PARAMS.values()}

# UpgradeSolverType: SolverParameter.SolverType -> type string.
SOLVER_TYPES = {"SGD": "SGD", "NESTEROV": "Nesterov", "ADAGRAD": "AdaGrad",
                "RMSPROP": "RMSProp", "ADADELTA": "AdaDelta", "ADAM": "Adam"}
SOLVER_TYPE_BY_NUMBER = dict(enumerate(SOLVER_TYPES))

MIXED_FORMAT_MESSAGE = (
    "Refusing to upgrade inconsistent NetParameter input; the definition includes both "
    "'layer' and 'layers' fields. The current format defines 'layer' fields with string type "
    "like layer { type: 'Layer' ... } and not layers { type: LAYER ... }. Manually switch the "
    "definition to 'layer' format to continue.")
BOTH_SOLVER_TYPES_MESSAGE = (
    "Failed to upgrade solver: old solver_type field (enum) and new type field (string) "
    "cannot be both specified in solver proto text.")
