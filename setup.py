"""Build hook for the one compiled module; all metadata lives in setup.cfg.

The C parser is optional: where no C compiler (or no Python headers) is
available the build goes on without it and ptx uses its pure-Python parser,
which gives the same trees, only slower.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("prototxt_tools.syntax._cparse",
                             ["prototxt_tools/syntax/_cparse.c"], optional=True)])
