"""`bench`: runs one suite with one framework adapter between `begin`/`end` markers,
optionally sampling power in a thread, then prints one `result` line.

Energy counts only between the markers (energy_report). When the source is NVML, its
hardware energy counter is read at ticks next to both markers and becomes the headline
figure, with our trapezoid over the same window beside it.
"""

import importlib
import os
import platform
import time

from . import energy, gpu_load
from .power_sources import open_source
from .protocol import AgentError, EXIT_NOT_INSTALLED, EXIT_UNSUPPORTED, emit
from .sampler import Sampler

FRAMEWORKS = ("numpy", "torch", "tensorflow", "jax", "onnxruntime", "tensorrt")
SUITES = ("mnist-train", "cnn-infer", "gemm", "membw")


class NotInstalled(Exception):
    pass


class Unsupported(Exception):
    pass


class Phase(object):
    """What an adapter calls around its measured work."""

    def __init__(self, sampler, gpu_fraction):
        self.sampler = sampler
        self.gpu_fraction = gpu_fraction
        self.begin_time = None
        self.end_time = None
        self.counter_begin = None
        self.counter_end = None

    def progress(self, **fields):
        emit("progress", **fields)

    def warmup_started(self):
        # The GPU is busy during warm-up too (the simulated board heats up like a real one).
        gpu_load.write(self.gpu_fraction)

    def begin(self, work=None):
        """Marks the start. `work` (one unit of the workload, synchronised) keeps the device
        busy while we wait for NVML's energy counter to tick, so the counter's window starts
        at a known instant under the same load (the counter moves in ~100 ms steps)."""
        gpu_load.write(self.gpu_fraction)
        self.counter_begin = self._align(work)
        self.begin_time = time.monotonic()
        emit("begin", t=self.begin_time, wall=time.time())

    def end(self, work=None):
        self.end_time = time.monotonic()
        emit("end", t=self.end_time, wall=time.time(), seconds=self.end_time - self.begin_time)
        self.counter_end = self._align(work)
        gpu_load.write(0.0)

    def _align(self, work):
        """Returns (instant, counter mJ) at a tick of the hardware energy counter, or None."""
        source = self.sampler.source if self.sampler else None
        if source is None or not hasattr(source, "energy_mj"):
            return None
        first = source.energy_mj()
        if first is None:
            return None
        deadline = time.monotonic() + 0.5
        while True:
            before = time.monotonic()
            if work is not None:
                work()
            else:
                time.sleep(0.0005)
            value = source.energy_mj()
            after = time.monotonic()
            # The tick happened between the two reads: take the middle of that interval.
            if value != first or after > deadline:
                return ((before + after) / 2.0, value, value != first)


def load_adapter(framework):
    if framework not in FRAMEWORKS:
        raise AgentError("usage", "unknown framework %r (one of %s)" % (framework, ", ".join(FRAMEWORKS)), 2)
    return importlib.import_module(".adapters.%s_adapter" % framework, __package__)


def run(options):
    adapter = load_adapter(options.framework)
    base = {"suite": options.suite, "framework": options.framework}
    try:
        info = adapter.check(options)
    except NotInstalled as error:
        emit("result", status="not-installed", reason=str(error), **base)
        return EXIT_NOT_INSTALLED
    except Unsupported as error:
        emit("result", status="unsupported", reason=str(error), **base)
        return EXIT_UNSUPPORTED
    if options.suite not in adapter.SUITES:
        emit(
            "result",
            status="unsupported",
            reason="%s has no %s suite (it has %s)" % (options.framework, options.suite, ", ".join(adapter.SUITES)),
            **base
        )
        return EXIT_UNSUPPORTED
    base.update(info)
    sampler = None
    if options.power and not 0 < options.power_hz <= 100:
        raise AgentError("usage", "--power-hz must be in (0, 100]", 2)
    if options.power:
        sampler = Sampler(open_source(options.power, options.power_hz), hz=options.power_hz)
        sampler.start()
    gpu_fraction = 0.0
    if info.get("simulated") or info.get("device") == "cuda":
        gpu_fraction = 0.95
    phase = Phase(sampler, gpu_fraction)
    emit("progress", stage="start", **base)
    try:
        metrics = adapter.run(options.suite, options, phase)
    except (NotInstalled, Unsupported) as error:
        emit("result", status="unsupported", reason=str(error), **base)
        return EXIT_UNSUPPORTED
    finally:
        gpu_load.write(0.0)
        if sampler is not None:
            # One more period so a sample lies after `end` (the integral cuts there).
            time.sleep(2.0 / sampler.hz + 0.05)
            sampler.stop()
    result = dict(base)
    result.update(metrics)
    if phase.begin_time is None or phase.end_time is None:
        raise AgentError("internal", "the adapter never marked begin/end", 1)
    result["seconds"] = phase.end_time - phase.begin_time
    if sampler is not None:
        result["energy"] = energy_report(sampler, phase, metrics.get("samples_processed"))
    result["host"] = {"python": platform.python_version(), "machine": platform.machine()}
    emit("result", status="ok", **result)
    return 0


def energy_report(sampler, phase, samples_processed):
    """The run's energy between the markers. The headline `joules` is NVML's hardware counter
    where it was read on its ticks next to the markers (`method: counter`; NVML's averaged power
    reading lags bursty loads), else the trapezoid of the samples (`method: integral`).
    `integral_joules` is always the trapezoid, and `quality` judges the sampling."""
    begin, end = phase.begin_time, phase.end_time
    seconds = end - begin
    window = sampler.energy(begin, end)
    report = {
        "source": sampler.source.name,
        "method": "integral",
        "joules": window["joules"],
        "integral_joules": window["joules"],
        "average_w": window["average_w"],
        "hz": window["samples"] / seconds if seconds > 0 else None,
        "target_hz": sampler.hz,
        "samples_in_window": window["samples"],
        "gaps": window["gaps"],
        "covered": window["covered"],
    }
    counter = counter_window(sampler, phase)
    if counter is not None:
        report["counter"] = counter
        if counter["aligned_to_ticks"] and counter["counter_joules"] > 0:
            # The counter's window is the marker window stretched to its ticks (Phase._align: up to
            # ~0.1 s before `begin` and after `end`): take those slivers off with our samples.
            edges = sampler.energy(counter["window_start"], begin)["joules"] + sampler.energy(end, counter["window_end"])["joules"]
            joules = counter["counter_joules"] - edges
            report.update(method="counter", joules=joules, average_w=joules / seconds if seconds > 0 else None, difference_pct=counter["difference_pct"])
    if samples_processed:
        report["j_per_sample"] = report["joules"] / samples_processed
    report["quality"] = energy.quality(window["samples"], sampler.half_rate_pct(begin, end), counter=report["method"] == "counter")
    report.update(sampler.stats())
    return report


def counter_window(sampler, phase):
    """NVML's energy counter over its tick-aligned window, against our integral over the same window."""
    if phase.counter_begin is None or phase.counter_end is None:
        return None
    start, first, ticked_begin = phase.counter_begin
    stop, last, ticked_end = phase.counter_end
    counter_j = (last - first) / 1000.0
    ours = sampler.energy(start, stop)["joules"]
    return {
        "window_start": start,
        "window_end": stop,
        "counter_joules": counter_j,
        "sampler_joules": ours,
        "aligned_to_ticks": bool(ticked_begin and ticked_end),
        "difference_pct": 100.0 * (ours - counter_j) / counter_j if counter_j > 0 else None,
    }


def framework_version(module):
    return getattr(module, "__version__", None)


def import_framework(name, pip_name=None):
    """Imports `name` or raises NotInstalled with the import error as the reason."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise NotInstalled("%s is not installed (%s)" % (pip_name or name, error))
    except Exception as error:  # a broken install (missing CUDA library…) is reported, not raised
        raise NotInstalled("%s failed to import: %s: %s" % (pip_name or name, type(error).__name__, error))


def data_dir(options):
    if options.data:
        return options.data
    return os.environ.get("JWB_DATA_DIR") or "/usr/share/datasets/fashion-mnist"
