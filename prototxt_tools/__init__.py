"""ptx: safe surgery and lint for Caffe network definitions."""
__version__ = "0.1.0"
