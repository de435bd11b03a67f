"""Rule cases: one table of (rule, source, expected findings as (line, col), fixed source).

``fixed`` is what ``--unsafe-fixes`` produces (None: no fix for this case).
``expected == []`` is a near miss: the rule must stay silent.  ``files`` are
written into the case's directory (``tmp_path``, also ``--root``) before
linting: label lists, mean files, caffemodels, net files a solver names.
``options`` are ``LintOptions`` (``--num-classes``, ``--labels``...); the path
options ``labels``, ``weights`` (``a,b`` for several) and ``root`` name files of
``files`` (relative to the case's directory).  ``also`` lists rules run together with ``code`` (a
suppression is only used when the rule it names runs).  ``says``: text every
finding's message must contain, where the position alone does not show the
rule found the right thing.  Nets are tiny and written for these tests.
"""
from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple, Union

from .blobs import caffemodel, mean_file


class Case(NamedTuple):
    code: str
    source: str
    expected: List[Tuple[int, int]]
    fixed: Optional[str] = None
    files: Dict[str, Union[str, bytes]] = {}
    options: Dict[str, object] = {}
    also: Tuple[str, ...] = ()
    says: str = ""
    left: Tuple[Tuple[int, int], ...] = ()   # findings a fix leaves (no fix of their own)
    path: str = "case.prototxt"              # the linted file's name (a deploy net: deploy...)


DATA = '''layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } shape { dim: 1 } } }
'''
LOSS = 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }\n'
FC = ('layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"\n'
      '  inner_product_param { num_output: 2 weight_filler { type: "xavier" } } }\n')
# SqueezeNet's head: a 1x1 conv10 (num_output on line 4) under ReLU and global pooling
SQUEEZE_HEAD = ('layer { name: "conv10" type: "Convolution" bottom: "data" top: "conv10"\n'
                '  convolution_param { num_output: 1000 kernel_size: 1 } }\n'
                'layer { name: "relu10" type: "ReLU" bottom: "conv10" top: "conv10" }\n'
                'layer { name: "pool10" type: "Pooling" bottom: "conv10" top: "fc"\n'
                '  pooling_param { pool: AVE global_pooling: true } }\n')
# an RPN's scores: 2 x 3 anchors reshaped to 2 classes before the loss
RPN_HEAD = ('layer { name: "rpn" type: "Convolution" bottom: "data" top: "rpn"\n'
            '  convolution_param { num_output: 6 kernel_size: 1 } }\n'
            'layer { name: "r" type: "Reshape" bottom: "rpn" top: "fc"\n'
            '  reshape_param { shape { dim: 0 dim: 2 dim: -1 dim: 0 } } }\n')
# a frozen classifier (lr_mult 0) over a 3-output layer: the frozen one is the classifier
FROZEN_HEAD = ('layer { name: "fc0" type: "InnerProduct" bottom: "data" top: "fc0"\n'
               '  inner_product_param { num_output: 3 } }\n'
               'layer { name: "fc" type: "InnerProduct" bottom: "fc0" top: "fc"\n'
               '  param { lr_mult: 0 } param { lr_mult: 0 } inner_product_param { num_output: 2 } }\n')
# an ImageData training net: lines 1-2 data, 3-4 fc (num_output 2), 5 loss
IMAGES = ('layer { name: "data" type: "ImageData" top: "data" top: "label" include { phase: TRAIN }\n'
          '  image_data_param { source: "train.txt" batch_size: 2 shuffle: true } }\n')
SHUFFLED = IMAGES + FC + LOSS
UNSHUFFLED = SHUFFLED.replace(" shuffle: true", "")
# a Data layer with a mean file: line 2 holds transform_param
MEAN = ('layer { name: "data" type: "Data" top: "data" top: "label"\n'
        '  transform_param { mean_file: "mean.binaryproto" crop_size: 6 } }\n')
MEAN_RESIZED = ('layer { name: "data" type: "ImageData" top: "data" top: "label"\n'
                '  transform_param { mean_file: "mean.binaryproto" }\n'
                '  image_data_param { source: "l.txt" new_height: 8 new_width: 8 } }\n')
# fine-tuning: conv (stored in the weights, lr 1) then head "fc_new" (not stored)
FINETUNE = (DATA + 'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"\n'
            '  param { lr_mult: 1 } param { lr_mult: 2 }\n'
            '  convolution_param { num_output: 2 kernel_size: 1 weight_filler { type: "xavier" } } }\n'
            'layer { name: "fc_new" type: "InnerProduct" bottom: "conv" top: "fc"\n'
            '  param { lr_mult: 1 } param { lr_mult: 2 }\n'
            '  inner_product_param { num_output: 2 weight_filler { type: "xavier" } } }\n' + LOSS)
# most layers without fillers (a pretrained-style net): conv, conv2, then a boosted new head fc_new
PRETRAINED = (DATA + 'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"\n'
              '  convolution_param { num_output: 2 kernel_size: 1 } }\n'
              'layer { name: "conv2" type: "Convolution" bottom: "conv" top: "conv2"\n'
              '  convolution_param { num_output: 2 kernel_size: 1 } }\n'
              'layer { name: "fc_new" type: "InnerProduct" bottom: "conv2" top: "fc"\n'
              '  param { lr_mult: 10 } param { lr_mult: 20 } inner_product_param { num_output: 2 } }\n'
              + LOSS)
# conv (line 3-4, kernel 1, 2 outputs) feeding the classifier fc (lines 5-6)
CONV_FC = ('layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"\n'
           '  convolution_param { num_output: 2 kernel_size: 1 weight_filler { type: "msra" } } }\n'
           + FC.replace('bottom: "data"', 'bottom: "conv"'))
EMBED_FC = ('layer { name: "e" type: "Embed" bottom: "label" top: "emb" }\n'
            + FC.replace('bottom: "data"', 'bottom: "emb"'))
CONV_WEIGHTS = {"w.caffemodel": caffemodel({"conv": [(2, 3, 1, 1), (2,)]}, "Convolution")}
OTHER_WEIGHTS = {"other.caffemodel": caffemodel({"other": [(1, 1)]})}   # --weights a,b: both load
TEST_LAYERS = DATA.replace("}\n", "include { phase: TEST } }\n")
SOLVER = 'net: "net.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\nsolver_mode: GPU\n'
NO_CROP = ('layer { name: "data" type: "Data" top: "data" top: "label"\n'
           '  data_param { source: "train_lmdb" batch_size: 1 backend: LMDB } }\n')
# FCN-like fused scores (line 4 holds "sb") and a Faster R-CNN-like ROI head (line 3: param_str)
FUSED = ('layer {{ name: "data" type: "Input" top: "data" top: "label"\n'
         '  input_param {{ shape {{ dim: 1 dim: 3 dim: 8 dim: 8 }} shape {{ dim: 1 dim: 1 dim: 8 dim: 8 }} }} }}\n'
         'layer {{ name: "sa" type: "Convolution" bottom: "data" top: "sa" convolution_param {{ num_output: 21 kernel_size: 1 }} }}\n'
         'layer {{ name: "sb" type: "Convolution" bottom: "data" top: "sb" convolution_param {{ num_output: {b} kernel_size: 1 }} }}\n'
         'layer {{ name: "fuse" type: "Eltwise" bottom: "sa" bottom: "sb" top: "fuse" }}\n'
         'layer {{ name: "loss" type: "SoftmaxWithLoss" bottom: "fuse" bottom: "label" top: "loss" }}\n')
# SegNet: the classifier conv and its loss's per-class weights (read with weight_by_label_freqs)
WEIGHTED = ('layer {{ name: "data" type: "Input" top: "data" top: "label"\n'
            '  input_param {{ shape {{ dim: 1 dim: 3 dim: 8 dim: 8 }} shape {{ dim: 1 dim: 1 dim: 8 dim: 8 }} }} }}\n'
            'layer {{ name: "cls" type: "Convolution" bottom: "data" top: "cls" convolution_param {{ num_output: {n} kernel_size: 1 }} }}\n'
            'layer {{ name: "loss" type: "SoftmaxWithLoss" bottom: "cls" bottom: "label" top: "loss"\n'
            '  loss_param {{ weight_by_label_freqs: {flag} class_weighting: 0.5 class_weighting: 2 class_weighting: 1 }} }}\n')
# PSPNet: a main and an auxiliary head, each with its own loss on one label (or on two labels)
AUX = ('layer {{ name: "data" type: "Input" top: "data" top: "label" top: "label2"\n'
       '  input_param {{ shape {{ dim: 1 dim: 3 dim: 8 dim: 8 }} shape {{ dim: 1 dim: 1 dim: 8 dim: 8 }} }} }}\n'
       'layer {{ name: "main" type: "Convolution" bottom: "data" top: "main" convolution_param {{ num_output: 4 kernel_size: 1 }} }}\n'
       'layer {{ name: "aux" type: "Convolution" bottom: "data" top: "aux" convolution_param {{ num_output: 21 kernel_size: 1 }} }}\n'
       'layer {{ name: "loss" type: "SoftmaxWithLoss" bottom: "main" bottom: "label" top: "loss" }}\n'
       'layer {{ name: "aux_loss" type: "SoftmaxWithLoss" bottom: "aux" bottom: "{aux_label}" top: "aux_loss" }}\n')
ROI_NET = ('layer {{ name: "data" type: "Input" top: "data" top: "rois" input_param {{ shape {{ dim: 1 dim: 4 dim: 8 dim: 8 }} shape {{ dim: 2 dim: 5 }} }} }}\n'
           'layer {{ name: "roi-data" type: "Python" bottom: "rois" top: "r" top: "labels" python_param {{ module: "m" layer: "L"\n'
           '  param_str: "\'num_classes\': {n}" }} }}\n'
           'layer {{ name: "pool" type: "ROIPooling" bottom: "data" bottom: "r" top: "pool" roi_pooling_param {{ pooled_w: 2 pooled_h: 2 }} }}\n'
           'layer {{ name: "cls_score" type: "InnerProduct" bottom: "pool" top: "cls_score" inner_product_param {{ num_output: {cls} }} }}\n'
           'layer {{ name: "bbox_pred" type: "InnerProduct" bottom: "pool" top: "bbox_pred" inner_product_param {{ num_output: {box} }} }}\n'
           'layer {{ name: "loss" type: "SoftmaxWithLoss" bottom: "cls_score" bottom: "labels" top: "loss" }}\n')
# a Python data layer (no known sizes), conv1 (3 channels), then fc6: a 2x2 convolution on line 3
PY_FC6 = ('layer { name: "data" type: "Python" top: "data" python_param { module: "m" layer: "L" } }\n'
          'layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 3 kernel_size: 1 } }\n'
          'layer { name: "fc6" type: "Convolution" bottom: "conv1" top: "fc6"\n'
          '  convolution_param { num_output: 4 kernel_size: 2 } }\n')
SHAPE_INPUT = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 7 dim: 7 } } }\n'
SHAPE_LABEL = 'layer { name: "label" type: "Input" top: "label" input_param { shape { dim: 1 } } }\n'
BN_FALSE = ('layer { name: "bn" type: "BatchNorm" bottom: "data" top: "data" '
            'batch_norm_param { use_global_stats: false } }\n')
RESIZED = ('layer {{ name: "data" type: "ImageData" top: "data" top: "label" transform_param {{ '
           'crop_size: {crop} }} image_data_param {{ source: "l.txt" new_height: {h} new_width: {w} }} }}\n')
TWO_PHASE_DATA = ('layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TRAIN }\n'
                  '  data_param { source: "a" batch_size: 2 } }\n'
                  'layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TEST }\n'
                  '  data_param { source: "b" batch_size: 50 } }\n')
TEST_HEAVY = ('net: "net.prototxt"\ntest_iter: 100\ntest_interval: 10\nbase_lr: 0.01\n'
              'lr_policy: "fixed"\nsolver_mode: GPU\n')
# a deploy net (lines 1, 2-3 fc, 4 prob) and the training net beside it
DEPLOY = (SHAPE_INPUT + FC + 'layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }\n')
TRAIN_VAL = SHAPE_INPUT + SHAPE_LABEL + FC + LOSS
SQUEEZE_DEPLOY = (SHAPE_INPUT + SQUEEZE_HEAD
                  + 'layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }\n')
SQUEEZE_TRAIN = SHAPE_INPUT + SHAPE_LABEL + SQUEEZE_HEAD + LOSS
CONCAT = SHAPE_INPUT + (
    'layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" pooling_param { kernel_size: 3 stride: 2 } }\n'
    'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"\n'
    '  convolution_param { num_output: 2 kernel_size: 3 stride: 2 pad: 1 } }\n'
    'layer { name: "cat" type: "Concat" bottom: "pool" bottom: "conv" top: "cat" }\n')
HEAD = SHAPE_INPUT + 'layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 5 } }\n'
HEAD_WEIGHTS = {"w.caffemodel": caffemodel({"fc": [(10, 147), (10,)]})}

CASES = [
    # --- syntax and schema ----------------------------------------------------
    Case("PTX001", 'layer { name: "a"\n', [(2, 1)]),
    Case("PTX001", 'layer { name: "a" }  # a comment with { and "\n', []),
    Case("PTX002", 'layer { name: "a" type: "ReLU" bottom: "x" top: "x" relu_parm { } }\n', [(1, 53)]),
    Case("PTX002", 'layer { name: "a" type: "ReLU" bottom: "x" top: "x" relu_param { } }\n', []),
    Case("PTX003", 'layer { name: "p" type: "Pooling" pooling_param { pool: AVG } }\n', [(1, 57)]),
    Case("PTX003", 'layer { name: "p" type: "Pooling" pooling_param { pool: AVE } }\n', []),
    Case("PTX004", 'layer { name: "c" convolution_param { num_output: "64" } }\n', [(1, 51)]),
    Case("PTX004", 'layer { name: "c" convolution_param { num_output: 64 } }\n', []),
    # the same mistake in many layers is one finding, every place related
    Case("PTX004", 'layer { name: "c" convolution_param { num_output: "64" } }\n'
         'layer { name: "d" convolution_param { num_output: "64" } }\n', [(1, 51)],
         says="(2 times, also at line 2; Caffe stops at the first)"),
    Case("PTX004", 'layers { name: "c" type: "Convolution" }\n', [(1, 26)],
         says="a string type is the current format's: write `layer {` instead of `layers {`"),
    Case("PTX002", 'layer { name: "a" relu_parm { } }\nlayer { name: "b" relu_parm { } }\n'
         'layer { name: "c" relu_parm { } }\n', [(1, 19)],
         says="(3 times, also at lines 2, 3; Caffe stops at the first)"),
    Case("PTX005", 'layer { name: "c" name: "d" }\n', [(1, 19)]),
    Case("PTX005", 'layer { name: "c" bottom: "a" bottom: "b" }\n', []),
    Case("PTX006", 'layer { name: "c" type: "Convolutoin" }\n', [(1, 25)]),
    Case("PTX006", 'layer { name: "c" type: "Convolution" }\n', []),
    # fork-use: one finding per fork (SSD's Normalize + norm_param), at the first use
    Case("PTX009", 'layer { name: "n" type: "Normalize"\n  norm_param { across_spatial: false } }\n'
         'layer { name: "p" type: "Permute" permute_param { order: 0 } }\n', [(1, 25)],
         says="SSD fork"),
    Case("PTX009", 'layer { name: "f" type: "MarginInnerProduct" }\n', [(1, 25)], says="SphereFace"),
    # names several forks share: the first guess, and the others named
    Case("PTX009", 'layer { name: "r" type: "ROIPooling" roi_pooling_param { pooled_w: 7 } }\n',
         [(1, 25)], says="Faster R-CNN fork (rbgirshick/caffe-fast-rcnn, branch faster-rcnn): "
         "ROIPooling x1, roi_pooling_param x1 (also in R-FCN, Intel Caffe)"),
    Case("PTX009", 'layer { name: "n" type: "Normalize" norm_param { across_spatial: false } }\n', [],
         options={"schema": "fork:ssd", "fork": "ssd"}),
    Case("PTX009", 'layer { name: "c" type: "Convolutoin" }\n', []),
    Case("PTX007", 'layers { name: "r" type: RELU bottom: "x" top: "x" }\n', [(1, 1)],
         'layer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n'),
    Case("PTX007", 'layer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n', []),
    Case("PTX007", 'name: "n"\nlayers { name: "a" type: RELU bottom: "x" top: "x" }\n'
                   'layers { name: "b" type: RELU bottom: "x" top: "x" }\n', [(2, 1)],
         'name: "n"\nlayer { name: "a" type: "ReLU" bottom: "x" top: "x" }\n'
         'layer { name: "b" type: "ReLU" bottom: "x" top: "x" }\n'),
    Case("PTX008", DATA + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }  # ptx: disable=PTX101\n',
         [(3, 59)], also=("PTX101",), says="`PTX101` is not reported here"),
    Case("PTX008", DATA + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }  # ptx: disable=PTX999\n',
         [(3, 59)], says="unknown rule `PTX999`"),
    Case("PTX008", DATA + 'layer { name: "r" type: "ReLU" bottom: "dat" top: "r" }  # ptx: disable=PTX101\n',
         [], also=("PTX101",)),
    # --- graph --------------------------------------------------------------------
    Case("PTX101", DATA + 'layer { name: "r" type: "ReLU" bottom: "dat" top: "r" }\n', [(3, 40)]),
    Case("PTX101", DATA + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n', []),
    Case("PTX102", DATA + 'layer { name: "r" type: "ReLU" bottom: "data" top: "label" }\n', [(3, 52)]),
    Case("PTX102", DATA + 'layer { name: "r" type: "ReLU" bottom: "label" top: "label" }\n', []),
    Case("PTX103", 'layer { name: "r" include { phase: TRAIN } exclude { phase: TEST } }\n', [(1, 7)]),
    Case("PTX103", 'layer { name: "r" include { phase: TRAIN } include { phase: TEST } }\n', []),
    Case("PTX104", DATA + 'layer { name: "data" type: "ReLU" bottom: "data" top: "data" }\n', [(3, 9)]),
    Case("PTX104", 'layer { name: "d" type: "Input" top: "d" include { phase: TRAIN } }\n'
                   'layer { name: "d" type: "Input" top: "d" include { phase: TEST } }\n', []),
    Case("PTX105", DATA + 'layer { name: "f" type: "Flatten" bottom: "data" top: "data" }\n', [(3, 55)]),
    Case("PTX105", DATA + 'layer { name: "f" type: "ReLU" bottom: "data" top: "data" }\n', []),
    Case("PTX106", DATA + 'layer { name: "e" type: "Eltwise" bottom: "data" top: "e" }\n', [(3, 9)]),
    Case("PTX106", DATA + 'layer { name: "e" type: "Eltwise" bottom: "data" bottom: "data" top: "e" }\n', []),
    Case("PTX107", DATA + FC + 'layer { name: "x" type: "ReLU" bottom: "data" top: "x" }\n' + LOSS,
         [(5, 52)]),
    Case("PTX107", DATA + FC + 'layer { name: "x" type: "ReLU" bottom: "fc" top: "fc" }\n' + LOSS, []),
    # --- parameters -------------------------------------------------------------
    Case("PTX201", 'layer { name: "c" type: "Convolution"\n  param { lr_mult: 1 }\n  param { lr_mult: 2 }\n'
                   '  convolution_param { num_output: 4 kernel_size: 1 bias_term: false } }\n', [(3, 3)],
         'layer { name: "c" type: "Convolution"\n  param { lr_mult: 1 }\n'
         '  convolution_param { num_output: 4 kernel_size: 1 bias_term: false } }\n'),
    Case("PTX201", 'layer { name: "c" type: "Convolution"\n  param { lr_mult: 1 }\n  param { lr_mult: 2 }\n'
                   '  convolution_param { num_output: 4 kernel_size: 1 } }\n', []),
    Case("PTX202", DATA + FC.replace('top: "fc"', 'top: "fc" propagate_down: true propagate_down: false'),
         [(3, 66)]),
    Case("PTX202", DATA + FC.replace('top: "fc"', 'top: "fc" propagate_down: false'), []),
    Case("PTX203", 'layer { name: "bn" type: "BatchNorm" param { lr_mult: 1 } }\n', [(1, 46)],
         'layer { name: "bn" type: "BatchNorm" param { lr_mult: 0 } }\n'),
    Case("PTX203", 'layer { name: "bn" type: "BatchNorm" param { lr_mult: 0 decay_mult: 1 } }\n', []),
    Case("PTX204", DATA + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c" param { lr_mult: 0 }\n'
                   '  convolution_param { num_output: 2 kernel_size: 1 bias_term: false } }\n'
                   'layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" }\n', [(5, 9)]),
    Case("PTX204", DATA + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c" param { lr_mult: 0 }\n'
                   '  convolution_param { num_output: 2 kernel_size: 1 bias_term: false } }\n'
                   'layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c"\n'
                   '  batch_norm_param { use_global_stats: true } }\n', []),
    Case("PTX205", DATA + FC + LOSS.replace('top: "loss"', 'top: "loss" loss_weight: 1 loss_weight: 0'),
         [(5, 87)]),
    Case("PTX205", DATA + FC + LOSS.replace('top: "loss"', 'top: "loss" loss_weight: 0.5'), []),
    # a conv without filler feeding the classifier: zeros it cannot leave
    Case("PTX206", DATA + CONV_FC.replace(' weight_filler { type: "msra" }', '') + LOSS, [(3, 9)],
         fixed=DATA + CONV_FC + LOSS),
    # the last learnable layer (the classifier before the loss) learns from zeros: silent
    Case("PTX206", DATA + FC.replace(' weight_filler { type: "xavier" }', '') + LOSS, []),
    # loaded from --weights: no filler needed
    Case("PTX206", DATA + CONV_FC.replace(' weight_filler { type: "msra" }', '') + LOSS, [],
         files=CONV_WEIGHTS, options={"weights": "w.caffemodel"}),
    Case("PTX206", DATA + CONV_FC.replace(' weight_filler { type: "msra" }', '') + LOSS, [],
         files=dict(OTHER_WEIGHTS, **CONV_WEIGHTS), options={"weights": "other.caffemodel,w.caffemodel"}),
    # most layers without fillers: a pretrained-style net; conv and conv2 together (the
    # boosted new head feeds only the loss: it learns from zeros)
    Case("PTX206", PRETRAINED, [(3, 9)], says="pass --weights", left=((3, 9),)),
    # the same net with --weights holding 'conv': conv2, which they miss, on its own
    Case("PTX206", PRETRAINED, [(5, 9)], files=CONV_WEIGHTS, options={"weights": "w.caffemodel"},
         says="has no weight_filler: Caffe fills it with constant 0",
         fixed=PRETRAINED.replace('top: "conv2"\n  convolution_param { num_output: 2 kernel_size: 1 }',
                                  'top: "conv2"\n  convolution_param { num_output: 2 kernel_size: 1 '
                                  'weight_filler { type: "msra" } }')),
    # a V0 net: the filler would belong in the nested layer {}, so no fix is offered
    Case("PTX206", 'layers { layer { name: "data" type: "data" source: "db" batchsize: 1 } top: "data"'
                   ' top: "label" }\n'
                   'layers { layer { name: "fc" type: "innerproduct" num_output: 2 } bottom: "data" top: "fc" }\n'
                   'layers { layer { name: "fc2" type: "innerproduct" num_output: 2 weight_filler { type: "xavier" } }'
                   ' bottom: "fc" top: "fc2" }\n'
                   'layers { layer { name: "loss" type: "softmax_loss" } bottom: "fc2" bottom: "label" }\n',
         [(2, 18)]),
    # an Embed layer without embed_param feeding an inner product: the fix writes the block
    Case("PTX206", DATA + EMBED_FC + LOSS,
         [(3, 9)], fixed=DATA + EMBED_FC.replace('top: "emb" }', 'top: "emb" '
                                                 'embed_param { weight_filler { type: "xavier" } } }') + LOSS),
    # --- fine-tuning and data -----------------------------------------------------
    Case("PTX301", DATA + FC + LOSS, [(4, 25)], options={"num_classes": 3}),
    Case("PTX301", DATA + FC + LOSS, [], options={"num_classes": 2}),
    Case("PTX301", DATA + SQUEEZE_HEAD + LOSS, [(4, 23)], options={"num_classes": 10},
         says="classifier 'conv10' has num_output 1000 but --num-classes has 10 classes"),
    Case("PTX301", DATA + SQUEEZE_HEAD.replace("1000", "10") + LOSS, [], options={"num_classes": 10}),
    Case("PTX301", DATA + RPN_HEAD + LOSS, [], options={"num_classes": 7}),
    Case("PTX301", DATA + FROZEN_HEAD + LOSS, [], options={"num_classes": 2}),
    Case("PTX301", DATA + FROZEN_HEAD + LOSS, [(6, 67)], options={"num_classes": 3},
         says="classifier 'fc' has num_output 2"),
    Case("PTX301", SHUFFLED, [(4, 25)], files={"train.txt": "a.jpg 0\nb.jpg 2\nc.jpg 1\n"},
         says="its ImageData list (labels up to 2) has 3 classes"),
    Case("PTX301", SHUFFLED, [(4, 25)], files={"names.txt": "cat\ndog\nbird\n"},
         options={"labels": "names.txt"}, says="names.txt has 3 classes"),
    # the third label is the loss's ignore_label: two classes remain
    Case("PTX301", SHUFFLED.replace('top: "loss"', 'top: "loss" loss_param { ignore_label: 255 }'), [],
         files={"train.txt": "a.jpg 0\nb.jpg 255\nc.jpg 1\n"}),
    Case("PTX302", SHUFFLED, [(2, 22)], files={"train.txt": "a.jpg 1\nb.jpg 2\n"},
         says="labels start at 1, not 0"),
    Case("PTX302", SHUFFLED, [(2, 22)], files={"train.txt": "a.jpg 0\nb.jpg 2\n"},
         says="labels 1 never occur (0..2)"),
    Case("PTX302", SHUFFLED, [(2, 22)], files={"train.txt": "a.jpg -1\nb.jpg 0\n"},
         says="negative label -1"),
    Case("PTX302", SHUFFLED, [], files={"train.txt": "a.jpg 1\nb.jpg 0\n"}),
    Case("PTX302", SHUFFLED.replace('top: "loss"', 'top: "loss" loss_param { ignore_label: 255 }'), [],
         files={"train.txt": "a.jpg 0\nb.jpg 255\nc.jpg 1\n"}),
    Case("PTX303", UNSHUFFLED, [(1, 9)], SHUFFLED, files={"train.txt": "a.jpg 0\nb.jpg 0\nc.jpg 1\n"},
         says="sorted by class"),
    Case("PTX303", UNSHUFFLED, [(1, 9)], SHUFFLED, files={"train.txt": "a 2\nb 2\nc 0\nd 1\ne 1\n"},
         says="sorted by class"),
    Case("PTX303", UNSHUFFLED, [(1, 9)], SHUFFLED, files={"train.txt": "a 0\nb 1\nc 0\nd 1\n"},
         says="read in list order"),
    Case("PTX303", SHUFFLED, [], files={"train.txt": "a.jpg 0\nb.jpg 0\nc.jpg 1\n"}),
    Case("PTX303", UNSHUFFLED.replace("phase: TRAIN", "phase: TEST"), []),
    Case("PTX304", 'layer { name: "d" type: "Data" top: "d" top: "l" include { phase: TEST }\n'
                   '  transform_param {\n    mirror: true\n    crop_size: 4\n  }\n}\n', [(3, 5)],
         'layer { name: "d" type: "Data" top: "d" top: "l" include { phase: TEST }\n'
         '  transform_param {\n    crop_size: 4\n  }\n}\n'),
    Case("PTX304", 'layer { name: "d" type: "Data" top: "d" top: "l" include { phase: TRAIN }\n'
                   '  transform_param {\n    mirror: true\n    crop_size: 4\n  }\n}\n', []),
    Case("PTX305", MEAN, [(2, 21)], files={"mean.binaryproto": mean_file(5, 5)},
         says="crops 6x6 but its mean file is only 5x5"),
    Case("PTX305", MEAN_RESIZED, [(2, 21)], files={"mean.binaryproto": mean_file(6, 8, legacy=False)},
         says="datum_height == data_mean_.height() (8 vs. 6)"),
    Case("PTX305", MEAN_RESIZED, [(2, 21)], files={"mean.binaryproto": mean_file(8, 6)},
         says="datum_width == data_mean_.width() (8 vs. 6)"),
    Case("PTX305", MEAN.replace(" crop_size: 6", " mean_value: 104"), [(2, 21)],
         says="Cannot specify mean_file and mean_value at the same time"),
    Case("PTX305", MEAN, [], files={"mean.binaryproto": mean_file(6, 6)}),
    Case("PTX305", MEAN_RESIZED, [], files={"mean.binaryproto": mean_file(8, 8, legacy=False)}),
    Case("PTX306", 'layer { name: "d" type: "Data" top: "d" top: "l"\n  data_param { scale: 0.5 } }\n',
         [(2, 16)],
         'layer { name: "d" type: "Data" top: "d" top: "l"\n  data_param { } transform_param { scale: 0.5 } }\n'),
    # transform_param's value is the live one: it stays, the dead copy goes
    Case("PTX306", 'layer { name: "d" type: "Data" top: "d" top: "l"\n'
                   '  transform_param { mirror: false } data_param { mirror: true crop_size: 4 } }\n',
         [(2, 50), (2, 63)],
         'layer { name: "d" type: "Data" top: "d" top: "l"\n'
         '  transform_param { mirror: false crop_size: 4 } data_param { } }\n'),
    # transform_param's mean_value is live and excludes a mean_file: the dead copy only goes
    Case("PTX306", 'layer { name: "d" type: "Data" top: "d" top: "l"\n'
                   '  transform_param { mean_value: 104 } data_param { mean_file: "m.binaryproto" } }\n',
         [(2, 52)],
         'layer { name: "d" type: "Data" top: "d" top: "l"\n'
         '  transform_param { mean_value: 104 } data_param { } }\n'),
    # WindowData still reads window_data_param.scale (window_data_layer.cpp:238)
    Case("PTX306", 'layer { name: "w" type: "WindowData" top: "d" top: "l"\n'
                   '  window_data_param { source: "w.txt" scale: 0.5 } }\n', []),
    Case("PTX306", 'layer { name: "d" type: "Data" top: "d" top: "l"\n  transform_param { scale: 0.5 } }\n',
         []),
    Case("PTX307", FINETUNE, [(6, 9)], files=CONV_WEIGHTS, options={"weights": "w.caffemodel"},
         says="(a new head)"),
    # the head is loaded and the conv under it is new: a new layer, not a head
    Case("PTX307", FINETUNE, [(3, 9)], files={"w.caffemodel": caffemodel({"fc_new": [(2, 128), (2,)]})},
         options={"weights": "w.caffemodel"}, says="(a new layer)"),
    Case("PTX307", FINETUNE, [(6, 9)], files=dict(CONV_WEIGHTS, **OTHER_WEIGHTS),
         options={"weights": "w.caffemodel,other.caffemodel"}),
    Case("PTX307", FINETUNE.replace("lr_mult: 1 } param { lr_mult: 2 }\n  inner",
                                    "lr_mult: 10 } param { lr_mult: 20 }\n  inner"), [],
         files=CONV_WEIGHTS, options={"weights": "w.caffemodel"}),
    Case("PTX308", 'layer { name: "d" type: "Data" top: "data" top: "label" }\n' + FC, [(1, 1)]),
    Case("PTX308", 'layer { name: "d" type: "Data" top: "data" top: "label" }\n' + FC + LOSS, []),
    # deploy nets fed by code, even with per-phase layers: not training nets
    Case("PTX308", SHAPE_INPUT + 'layer { name: "bn" type: "BatchNorm" bottom: "data" top: "data"'
                   ' include { phase: TRAIN } }\n', []),
    Case("PTX308", 'layer { name: "d" type: "MemoryData" top: "data" top: "label"\n'
                   '  memory_data_param { batch_size: 1 channels: 3 height: 8 width: 8 } }\n' + FC, []),
    # an evaluation net (old Caffe's *_test.prototxt): accuracy, no loss anywhere
    Case("PTX308", 'layer { name: "d" type: "Data" top: "data" top: "label" }\n' + FC +
         'layer { name: "acc" type: "Accuracy" bottom: "fc" bottom: "label" top: "acc" }\n', []),
    # scores fused by an Eltwise (FCN): 21 and 5 channels; the odd one is pointed at
    Case("PTX309", FUSED.format(b=5), [(4, 97)], says="sa 21, sb 5"),
    Case("PTX309", FUSED.format(b=21), []),
    # SegNet: 3 class weights for a 4-class classifier (caffe-segnet aborts at setup)
    Case("PTX309", WEIGHTED.format(n=4, flag="true"), [(5, 61)], says="cls 4, loss class_weighting 3 values"),
    Case("PTX309", WEIGHTED.format(n=3, flag="true"), []),
    Case("PTX309", WEIGHTED.format(n=4, flag="false"), []),   # the fork ignores the list
    # losses on one label are one task: the auxiliary head left at 21 (Caffe builds it silently)
    Case("PTX309", AUX.format(aux_label="label"), [(4, 99)], says="main 4, aux 21"),
    Case("PTX309", AUX.format(aux_label="label2"), []),      # two tasks (two label blobs)
    # Faster R-CNN: the ROI target layer's param_str against the class scores
    Case("PTX309", ROI_NET.format(n=21, cls=3, box=12), [(3, 14)],
         says="roi-data num_classes 21, cls_score 3, bbox_pred 12 = 4 x 3"),
    Case("PTX309", ROI_NET.format(n=3, cls=3, box=12), []),
    Case("PTX309", ROI_NET.format(n=21, cls=21, box=8), []),   # class-agnostic boxes
    # a solver's train and test nets with different counts
    Case("PTX309", 'train_net: "a.prototxt"\ntest_net: "b.prototxt"\n', [(2, 11)],
         files={"a.prototxt": FUSED.format(b=21).replace("5 kernel", "21 kernel"),
                "b.prototxt": FUSED.format(b=5).replace("21 kernel", "5 kernel")},
         says="a.prototxt: 21"),
    Case("PTX309", 'train_net: "a.prototxt"\ntest_net: "b.prototxt"\n', [],
         files={"a.prototxt": FUSED.format(b=21), "b.prototxt": FUSED.format(b=21)}),
    # --- solver ---------------------------------------------------------------------
    Case("PTX401", 'base_lr: 0.01\nlr_policy: "fixed"\nsolver_mode: GPU\n', [(1, 1)]),
    Case("PTX401", SOLVER, [(1, 6)]),
    Case("PTX401", SOLVER, [], files={"net.prototxt": DATA}),
    Case("PTX401", SOLVER, [], files={"models/net.prototxt": DATA}, options={"root": "models"}),
    Case("PTX402", 'net: "n.prototxt"\nbase_lr: 0.01\nlr_policy: "step"\ngamma: 0.1\nsolver_mode: GPU\n',
         [(3, 1)]),
    Case("PTX402", 'base_lr: 0.01\nlr_policy: "stpe"\n', [(2, 12)]),
    Case("PTX402", 'net: "n.prototxt"\nbase_lr: 0.01\nlr_policy: "step"\ngamma: 0.1\nstepsize: 10\n', []),
    Case("PTX403", 'lr_policy: "step"\nstepsize: 5000\nmax_iter: 1000\n', [(2, 1)]),
    Case("PTX403", 'lr_policy: "multistep"\nstepvalue: 500\nstepvalue: 1000\nmax_iter: 1000\n', [(3, 12)]),
    Case("PTX403", 'lr_policy: "multistep"\nstepvalue: 500\nstepvalue: 999\nmax_iter: 1000\n', []),
    Case("PTX404", 'base_lr: 0.5\n', [(1, 1)]),
    Case("PTX404", 'weights: "w.caffemodel"\nbase_lr: 0.05\n', [(2, 1)]),
    Case("PTX404", 'base_lr: 0.1\n', []),
    Case("PTX405", 'test_iter: 10\nbase_lr: 0.01\n', [(1, 1)]),
    Case("PTX405", SOLVER, [(1, 1)], files={"net.prototxt": TEST_LAYERS}, says="has no test_iter"),
    Case("PTX405", SOLVER + 'test_iter: 10\ntest_interval: 100\n', [], files={"net.prototxt": TEST_LAYERS}),
    Case("PTX405", SOLVER, [], files={"net.prototxt": DATA}),
    Case("PTX405", 'train_net: "a.prototxt"\ntest_net: "b.prototxt"\ntest_interval: 10\n', [(2, 1)],
         says="test_iter must be specified for each test network"),
    Case("PTX405", 'train_net: "a.prototxt"\ntest_net: "b.prototxt"\ntest_iter: 5\ntest_interval: 10\n',
         []),
    Case("PTX405", 'train_net: "a.prototxt"\ntest_iter: 5\ntest_interval: 10\n', [(2, 1)],
         says="(1 vs. 0) test_iter must be specified"),
    Case("PTX406", 'snapshot_prefix: "no/such/dir/x"\n', [(1, 18)]),
    Case("PTX406", 'snapshot_prefix: "snaps/x"\n', [], files={"snaps/README": ""}),
    Case("PTX406", 'snapshot_prefix: "x"\n', []),
    # nothing is ever written: no snapshots, no final one
    Case("PTX406", 'snapshot_prefix: "no/x"\nsnapshot_after_train: false\n', []),
    Case("PTX406", 'snapshot: 100\nsnapshot_prefix: "no/x"\n', [(2, 18)],
         says="`caffe train` refuses to start; create it before training (`mkdir -p no`"),
    Case("PTX406", 'snapshot_prefix: "no/x"\n', [(1, 18)], says="dies at its final snapshot"),
    Case("PTX407", 'base_lr: 0.01\n', [(1, 1)], 'base_lr: 0.01\nsolver_mode: GPU\n'),
    Case("PTX407", 'base_lr: 0.01\nsolver_mode: CPU\n', []),
    Case("PTX408", 'base_lr: 0.01\nmomentum: 1.0\n', [(2, 11)]),
    Case("PTX408", 'base_lr: 0.01\ntype: "Adam"\n', [(2, 1)]),
    Case("PTX408", 'base_lr: 0.01\ntype: "Adam"\nmomentum: 0.9\n', []),
    Case("PTX409", 'base_lr: 0.01\nsolver_type: ADAM\nmomentum: 0.9\n', [(2, 1)],
         'base_lr: 0.01\ntype: "Adam"\nmomentum: 0.9\n'),
    Case("PTX409", 'base_lr: 0.01\ntype: "Adam"\nmomentum: 0.9\n', []),
    Case("PTX408", 'base_lr: 0.01\nsolver_type: RMSPROP\nmomentum: 0.9\n', [(3, 1)],
         says="RMSProp"),
    Case("PTX408", 'base_lr: 0.01\nsolver_type: 5\n', [(2, 1)], says="Adam"),
    # the fix is `ptx upgrade`'s solver_type step: the file's quote style, earlier copies removed
    Case("PTX409", "net: 'n.prototxt'\nsolver_type: SGD\nsolver_type: NESTEROV\n", [(3, 1)],
         "net: 'n.prototxt'\ntype: 'Nesterov'\n"),
    # solver-root: the net file is in the solver's folder, not under --root ("sub")
    Case("PTX410", SOLVER, [(1, 1)], says="resolve against the solver's folder",
         files={"case.prototxt": SOLVER, "net.prototxt": DATA + FC + LOSS, "sub/x": ""},
         options={"root": "sub"}),
    Case("PTX410", SOLVER, [], files={"case.prototxt": SOLVER, "net.prototxt": DATA + FC + LOSS}),
    # --- the rules real failures need --------------------------------------------------------
    # BatchNorm use_global_stats against its phase
    Case("PTX210", DATA + BN_FALSE + FC + LOSS, [(3, 9)], says="while built in TEST",
         fixed=DATA + BN_FALSE.replace("use_global_stats: false ", "") + FC + LOSS),
    Case("PTX210", DATA + BN_FALSE.replace("false", "true") + FC + LOSS, [(3, 9)],
         says="trained from scratch",
         fixed=DATA + BN_FALSE.replace("use_global_stats: false ", "") + FC + LOSS),
    Case("PTX210", DATA + BN_FALSE.replace("} }", "} include { phase: TRAIN } }") + FC + LOSS, []),
    Case("PTX210", DATA + BN_FALSE.replace("false", "true") + FC + LOSS, [],
         files={"w.caffemodel": caffemodel({"fc": [(2, 192), (2,)]})}, options={"weights": "w.caffemodel"}),
    # an Input layer configured like a data layer, without a shape
    Case("PTX211", 'layer { name: "data" type: "Input" top: "data" transform_param { crop_size: 8 } }\n',
         [(1, 9)], says="no input_param shape"),
    Case("PTX211", 'layer { name: "data" type: "Input" top: "data" }\n', []),
    # ImageData cropping more than it resizes to
    Case("PTX310", RESIZED.format(crop=9, h=8, w=8), [(1, 83)], says="img_height >= crop_size (8 vs. 9)"),
    Case("PTX310", RESIZED.format(crop=9, h=8, w=0), [(1, 9)], says="at the same time"),
    Case("PTX310", RESIZED.format(crop=8, h=8, w=8), []),
    # a 20:1 training list
    Case("PTX311", SHUFFLED, [(2, 22)], says="unbalanced 20:1", files={"train.txt": "a.jpg 0\n" * 20 + "b.jpg 1\n"}),
    Case("PTX311", SHUFFLED, [], files={"train.txt": "a.jpg 0\n" * 5 + "b.jpg 1\n"}),
    # Adam with an SGD rate
    Case("PTX411", 'type: "Adam"\nbase_lr: 0.01\n' + SOLVER.replace("base_lr: 0.01\n", ""), [(2, 1)]),
    Case("PTX411", 'type: "Adam"\nbase_lr: 0.001\n' + SOLVER.replace("base_lr: 0.01\n", ""), []),
    # testing 5,000 images every 20 trained ones
    Case("PTX412", TEST_HEAVY, [(3, 1)], files={"net.prototxt": TWO_PHASE_DATA + FC + LOSS}),
    Case("PTX412", TEST_HEAVY.replace("test_interval: 10\n", "test_interval: 10000\n"), [],
         files={"net.prototxt": TWO_PHASE_DATA + FC + LOSS}),
    # the weights hold 'fc_old' of exactly fc's shapes: a rename by mistake
    Case("PTX508", HEAD, [(2, 9)], says="'fc_old'", options={"weights": "w.caffemodel"},
         files={"w.caffemodel": caffemodel({"fc_old": [(5, 147), (5,)]})}),
    Case("PTX508", HEAD, [], options={"weights": "w.caffemodel"},
         files={"w.caffemodel": caffemodel({"fc": [(5, 147), (5,)], "other": [(3, 3)]})}),
    # --- a model's files together: deploy.prototxt beside train_val.prototxt ------------
    Case("PTX701", DEPLOY.replace("num_output: 2", "num_output: 3"), [(2, 9)], path="deploy.prototxt",
         files={"train_val.prototxt": TRAIN_VAL}, says="Cannot copy param 0 weights from layer 'fc'"),
    Case("PTX701", DEPLOY, [], path="deploy.prototxt", files={"train_val.prototxt": TRAIN_VAL}),
    Case("PTX702", DEPLOY, [(4, 9)], path="deploy.prototxt", says="trains 'fc_new'",
         files={"train_val.prototxt": TRAIN_VAL.replace('name: "fc"', 'name: "fc_new"')}),
    Case("PTX702", DEPLOY, [], path="deploy.prototxt", files={"train_val.prototxt": TRAIN_VAL}),
    # SqueezeNet: the deploy Softmax reads conv10 through global pooling; training renamed it
    Case("PTX702", SQUEEZE_DEPLOY, [(7, 9)], path="deploy.prototxt", says="layer 'conv10'",
         files={"train_val.prototxt": SQUEEZE_TRAIN.replace('name: "conv10"', 'name: "conv10_new"')}),
    Case("PTX702", SQUEEZE_DEPLOY, [], path="deploy.prototxt",
         files={"train_val.prototxt": SQUEEZE_TRAIN}),
    Case("PTX703", DATA + FC + LOSS, [(5, 9)], path="deploy.prototxt", says="loss 'loss'"),
    Case("PTX703", DATA + FC + LOSS, []),                       # not named as a deploy net
    Case("PTX703", DEPLOY, [], path="deploy.prototxt"),
    # --- shapes and weights ---------------------------------------------------------------
    Case("PTX501", CONCAT, [(5, 9)]),
    Case("PTX501", CONCAT.replace("kernel_size: 3 stride: 2 }", "kernel_size: 3 stride: 2 pad: 1 }"), []),
    Case("PTX502", SHAPE_INPUT + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                                 '  convolution_param { num_output: 2 kernel_size: 8 stride: 2 } }\n', [(2, 9)]),
    Case("PTX502", SHAPE_INPUT + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                                 '  convolution_param { num_output: 2 kernel_size: 7 stride: 2 } }\n', []),
    Case("PTX503", SHAPE_INPUT + SHAPE_LABEL.replace("dim: 1", "dim: 2") +
         'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "label" top: "loss" }\n', [(3, 9)]),
    Case("PTX503", SHAPE_INPUT + SHAPE_LABEL.replace("dim: 1", "dim: 1 dim: 7 dim: 7") +
         'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "label" top: "loss" }\n', []),
    Case("PTX504", SHAPE_INPUT + 'layer { name: "r" type: "Reshape" bottom: "data" top: "r"\n'
                                 '  reshape_param { shape { dim: 5 } } }\n', [(2, 9)]),
    Case("PTX504", SHAPE_INPUT + 'layer { name: "r" type: "Reshape" bottom: "data" top: "r"\n'
                                 '  reshape_param { shape { dim: 0 dim: -1 } } }\n', []),
    Case("PTX505", SHAPE_INPUT + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                                 '  convolution_param { num_output: 2 } }\n', [(2, 9)]),
    Case("PTX505", SHAPE_INPUT + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                                 '  convolution_param { num_output: 2 kernel_size: 3 } }\n', []),
    # a Data layer without crop: its shape is unknown, so shapes are judged only with --input-shape
    Case("PTX502", NO_CROP + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                             '  convolution_param { num_output: 2 kernel_size: 8 } }\n', []),
    Case("PTX502", NO_CROP + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                             '  convolution_param { num_output: 2 kernel_size: 8 } }\n', [(3, 9)],
         options={"input_shapes": {"data": (1, 3, 7, 7)}}, says="padded input (7)"),
    # below a Python data layer, weight shapes known from channels alone (shapes.partial):
    # fc6 is a 2x2 convolution, the weights hold an InnerProduct blob of the same count
    Case("PTX506", PY_FC6, [(3, 9)], files={"w.caffemodel": caffemodel({"fc6": [(4, 12), (4,)]})},
         options={"weights": "w.caffemodel"}, says="target param shape is 4 3 2 2 (48)"),
    Case("PTX506", PY_FC6, [], options={"weights": "w.caffemodel"},
         files={"w.caffemodel": caffemodel({"fc6": [(4, 3, 2, 2), (4,)]}, "Convolution")}),
    Case("PTX506", HEAD, [(2, 9)], files=HEAD_WEIGHTS, options={"weights": "w.caffemodel"}),
    Case("PTX506", HEAD.replace("num_output: 5", "num_output: 10"), [], files=HEAD_WEIGHTS,
         options={"weights": "w.caffemodel"}),
    Case("PTX506", HEAD.replace('"fc"', '"fc_new"'), [], files=HEAD_WEIGHTS,
         options={"weights": "w.caffemodel"}),
]
# two convolutions sharing "w" (line 2 and 4 hold the param specs)
SHARED = (SHAPE_INPUT +
          'layer { name: "a" type: "Convolution" bottom: "data" top: "a"\n'
          '  param { name: "w" lr_mult: 1 } convolution_param { num_output: 4 kernel_size: 3 } }\n'
          'layer { name: "b" type: "Convolution" bottom: "data" top: "b"\n'
          '  param { name: "w" } convolution_param { num_output: 8 kernel_size: 3 } }\n')
CASES += [
    Case("PTX507", SHARED, [(5, 3)], says="shape mismatch.  Owner layer param shape is 4 3 3 3 (108)"),
    Case("PTX507", SHARED.replace("num_output: 8", "num_output: 4"), []),
    Case("PTX507", SHARED.replace('name: "w" }', 'name: "w" share_mode: PERMISSIVE }')
         .replace("num_output: 8 kernel_size: 3", "num_output: 36 kernel_size: 1"), []),
    Case("PTX507", SHARED.replace('name: "w" }', 'name: "w" share_mode: PERMISSIVE }'), [(5, 3)],
         says="count mismatch."),
    Case("PTX507", SHARED.replace("num_output: 8", "num_output: 4").replace('name: "w" }', 'name: "w" lr_mult: 2 }'),
         [(5, 21)], SHARED.replace("num_output: 8", "num_output: 4").replace('name: "w" }', 'name: "w" lr_mult: 1 }'),
         says="Shared param 'w' has mismatched lr_mult."),
    Case("PTX507", SHARED.replace('bottom: "data" top: "b"', 'bottom: "nothing" top: "b"'), [], also=("PTX101",)),
]
