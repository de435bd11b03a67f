"""Real Caffe in the loop: build a net in pycaffe (in a child process) and report its verdict.

Entry points: ``check_net`` (prototxt_tools.caffe.check), ``read_caffemodel``
(prototxt_tools.caffe.caffemodel), ``pycaffe_path`` (prototxt_tools.caffe.runner).
Nothing here imports Caffe in ptx's own process: a failed Caffe CHECK aborts.
"""
