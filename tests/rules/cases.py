"""Rule cases: (code, source, expected findings as (line, col), fixed source or None).

One table drives the per-rule tests; ``fixed`` is what ``--unsafe-fixes``
produces (None: the rule has no fix for this case).  Nets are kept tiny and
written for these tests.
"""
DATA = '''layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } shape { dim: 1 } } }
'''
LOSS = 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }\n'
FC = ('layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"\n'
      '  inner_product_param { num_output: 2 weight_filler { type: "xavier" } } }\n')

# per-case command-line facts (``ptx lint --num-classes 3``)
OPTIONS = {"PTX301": {"num_classes": 3}}

CASES = [
    ("PTX001", 'layer { name: "a"\n', [(2, 1)], None),
    ("PTX002", 'layer { name: "a" type: "ReLU" bottom: "x" top: "x" relu_parm { } }\n', [(1, 53)], None),
    ("PTX003", 'layer { name: "p" type: "Pooling" pooling_param { pool: AVG } }\n', [(1, 57)], None),
    ("PTX004", 'layer { name: "c" convolution_param { num_output: "64" } }\n', [(1, 51)], None),
    ("PTX005", 'layer { name: "c" name: "d" }\n', [(1, 19)], None),
    ("PTX006", 'layer { name: "c" type: "Convolutoin" }\n', [(1, 25)], None),
    ("PTX007", 'layers { name: "r" type: RELU bottom: "x" top: "x" }\n', [(1, 1)],
     'layer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n'),
    ("PTX101", DATA + 'layer { name: "r" type: "ReLU" bottom: "dat" top: "r" }\n', [(3, 40)], None),
    ("PTX102", DATA + 'layer { name: "r" type: "ReLU" bottom: "data" top: "label" }\n', [(3, 52)], None),
    ("PTX103", 'layer { name: "r" include { phase: TRAIN } exclude { phase: TEST } }\n', [(1, 7)], None),
    ("PTX104", DATA + 'layer { name: "data" type: "ReLU" bottom: "data" top: "data" }\n', [(3, 9)], None),
    ("PTX105", DATA + 'layer { name: "f" type: "Flatten" bottom: "data" top: "data" }\n', [(3, 55)], None),
    ("PTX106", DATA + 'layer { name: "e" type: "Eltwise" bottom: "data" top: "e" }\n', [(3, 9)], None),
    ("PTX107", DATA + FC + 'layer { name: "x" type: "ReLU" bottom: "data" top: "x" }\n' + LOSS,
     [(5, 52)], None),
    ("PTX201", 'layer { name: "c" type: "Convolution"\n  param { lr_mult: 1 }\n  param { lr_mult: 2 }\n'
               '  convolution_param { num_output: 4 kernel_size: 1 bias_term: false } }\n', [(3, 3)],
     'layer { name: "c" type: "Convolution"\n  param { lr_mult: 1 }\n'
     '  convolution_param { num_output: 4 kernel_size: 1 bias_term: false } }\n'),
    ("PTX202", DATA + FC.replace('top: "fc"', 'top: "fc" propagate_down: true propagate_down: false'),
     [(3, 66)], None),
    ("PTX203", 'layer { name: "bn" type: "BatchNorm" param { lr_mult: 1 } }\n', [(1, 46)],
     'layer { name: "bn" type: "BatchNorm" param { lr_mult: 0 } }\n'),
    ("PTX204", DATA + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c" param { lr_mult: 0 }\n'
               '  convolution_param { num_output: 2 kernel_size: 1 bias_term: false } }\n'
               'layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" }\n', [(5, 9)], None),
    ("PTX205", DATA + FC + LOSS.replace('top: "loss"', 'top: "loss" loss_weight: 1 loss_weight: 0'),
     [(5, 87)], None),
    ("PTX206", DATA + FC.replace(' weight_filler { type: "xavier" }', '') + LOSS, [(3, 9)], None),
    ("PTX301", DATA + FC + LOSS, [(4, 25)], None),
    ("PTX304", 'layer { name: "d" type: "Data" top: "d" top: "l" include { phase: TEST }\n'
               '  transform_param {\n    mirror: true\n    crop_size: 4\n  }\n}\n', [(3, 5)],
     'layer { name: "d" type: "Data" top: "d" top: "l" include { phase: TEST }\n'
     '  transform_param {\n    crop_size: 4\n  }\n}\n'),
    ("PTX306", 'layer { name: "d" type: "Data" top: "d" top: "l"\n  data_param { scale: 0.5 } }\n',
     [(2, 16)], None),
    ("PTX308", 'layer { name: "d" type: "Data" top: "data" top: "label" }\n' + FC, [(1, 1)], None),
    ("PTX401", 'base_lr: 0.01\nlr_policy: "fixed"\nsolver_mode: GPU\n', [(1, 1)], None),
    ("PTX402", 'net: "n.prototxt"\nbase_lr: 0.01\nlr_policy: "step"\ngamma: 0.1\nsolver_mode: GPU\n',
     [(3, 1)], None),
    ("PTX403", 'lr_policy: "step"\nstepsize: 5000\nmax_iter: 1000\n', [(2, 1)], None),
    ("PTX404", 'base_lr: 0.5\n', [(1, 1)], None),
    ("PTX405", 'test_iter: 10\nbase_lr: 0.01\n', [(1, 1)], None),
    ("PTX406", 'snapshot_prefix: "no/such/dir/x"\n', [(1, 18)], None),
    ("PTX407", 'base_lr: 0.01\n', [(1, 1)], 'base_lr: 0.01\nsolver_mode: GPU\n'),
    ("PTX408", 'base_lr: 0.01\nmomentum: 1.0\n', [(2, 11)], None),
    ("PTX409", 'base_lr: 0.01\nsolver_type: ADAM\nmomentum: 0.9\n', [(2, 1)],
     'base_lr: 0.01\ntype: "Adam"\nmomentum: 0.9\n'),
]
