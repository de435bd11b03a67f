"""Real Caffe in the loop: build a net in pycaffe (in a child process) and report its verdict.

Entry points: ``check_net`` (prototxt_tools.caffe.check), ``pycaffe_path``
(prototxt_tools.caffe.runner).  Caffemodels are read by prototxt_tools.weights.
Nothing here imports Caffe in ptx's own process: a failed Caffe CHECK aborts.
"""
