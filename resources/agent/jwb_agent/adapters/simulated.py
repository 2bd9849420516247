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
    if suite == "cnn-infer":
        options.model = "lenet5"
    metrics = numpy_adapter.run(suite, options, phase)
    metrics["simulated"] = True
    metrics["compute"] = "numpy reference (framework module is the simulator's stand-in)"
    return metrics
