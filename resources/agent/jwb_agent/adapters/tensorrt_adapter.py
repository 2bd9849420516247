"""TensorRT adapter: probes the module; building engines from code is not implemented yet,
so every suite answers `unsupported` with that reason (never a crash)."""

from ..bench import Unsupported, import_framework
from . import simulated

SUITES = ("cnn-infer", "gemm")


def check(options):
    trt = import_framework("tensorrt")
    if simulated.is_simulated(trt):
        return simulated.info(trt)
    raise Unsupported("tensorrt %s found; engine building from code is not implemented in this agent yet" % getattr(trt, "__version__", "?"))


def run(suite, options, phase):
    return simulated.run(suite, options, phase)
