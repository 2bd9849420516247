"""A framework module that says `SIMULATED = True` (the workbench simulator's stand-ins)
cannot compute. The suite then runs on the NumPy reference while the GPU-load signal
tells the simulated board it is busy; the result says `simulated: true` so nobody
mistakes it for a measurement of the framework."""


def is_simulated(module):
    return bool(getattr(module, "SIMULATED", False))


def info(module):
    return {"framework_version": getattr(module, "__version__", None), "device": "cuda", "simulated": True}


def run(suite, options, phase):
    from . import numpy_adapter

    options.device = "cpu"
    if suite == "gemm" and not _numpy_importable():
        return pure_python_gemm(options, phase)
    if suite == "cnn-infer":
        options.model = "lenet5"
    metrics = numpy_adapter.run(suite, options, phase)
    metrics["simulated"] = True
    metrics["compute"] = "numpy reference (framework module is the simulator's stand-in)"
    return metrics


def _numpy_importable():
    try:
        import numpy  # noqa: F401
    except Exception:  # ImportError, or a broken BLAS link inside a confined board
        return False
    return True


def pure_python_gemm(options, phase):
    """gemm without numpy (a board whose numpy cannot load): small, slow, but real work."""
    from . import common

    size = min(options.size or 48, 96)
    a = [[float((i * size + j) % 7) for j in range(size)] for i in range(size)]
    b = [[float((i + j) % 5) for j in range(size)] for i in range(size)]
    columns = list(zip(*b))

    def call():
        return [[sum(x * y for x, y in zip(row, column)) for column in columns] for row in a]

    summary = common.timed_calls(call, common.no_sync, phase, options.seconds, options.warmup, 1)
    summary.update({"dtype": "float64", "simulated": True, "compute": "pure Python (numpy not importable)"})
    return common.gemm_metrics(summary, size)
