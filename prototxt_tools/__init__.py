"""ptx: safe surgery and lint for Caffe network definitions.

``prototxt_tools.load(path_or_text, schema=None)`` is the entry point of the
Python API; it returns the same object the ``ptx`` commands work on.
"""
__version__ = "0.1.0"

from .api import PtxFile, load  # noqa: E402

__all__ = ["PtxFile", "load", "__version__"]
