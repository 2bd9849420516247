"""`probe`: what the board is and what it can run, as one JSON object."""

import importlib
import os
import platform
import sys

from . import __version__, sysroot
from .power_sources import available_sources

# module -> how to ask it whether CUDA is usable
FRAMEWORK_MODULES = ("numpy", "torch", "tensorflow", "jax", "onnxruntime", "tensorrt", "onnx")


def _meminfo_kib():
    text = sysroot.read_text("/proc/meminfo", "")
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def hardware():
    model = sysroot.read_text("/proc/device-tree/model")
    release = sysroot.read_text("/etc/nv_tegra_release")
    return {
        "model": model.strip("\0\n ") if model else None,
        "nv_tegra_release": release.strip() if release else None,
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "ram_kib": _meminfo_kib(),
        "kernel": platform.release(),
    }


def _cuda_of(name, module):
    try:
        if name == "torch":
            available = bool(module.cuda.is_available())
            entry = {"cuda": available, "cuda_version": getattr(getattr(module, "version", None), "cuda", None)}
            if available:
                entry["device_name"] = module.cuda.get_device_name(0)
            return entry
        if name == "tensorflow":
            return {"cuda": bool(module.config.list_physical_devices("GPU"))}
        if name == "jax":
            devices = module.devices()
            return {"cuda": any(getattr(d, "platform", "") == "gpu" for d in devices), "devices": [str(d) for d in devices]}
        if name == "onnxruntime":
            providers = module.get_available_providers()
            return {"cuda": "CUDAExecutionProvider" in providers, "providers": providers}
        if name == "tensorrt":
            return {"cuda": True}
    except Exception as error:
        return {"cuda": False, "cuda_error": "%s: %s" % (type(error).__name__, error)}
    return {}


def frameworks():
    found = {}
    for name in FRAMEWORK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            found[name] = {"installed": False, "reason": str(error)}
            continue
        except Exception as error:
            found[name] = {"installed": False, "reason": "%s: %s" % (type(error).__name__, error)}
            continue
        entry = {"installed": True, "version": getattr(module, "__version__", None)}
        if getattr(module, "SIMULATED", False):
            entry["simulated"] = True
        entry.update(_cuda_of(name, module))
        found[name] = entry
    return found


def probe():
    return {
        "agent_version": __version__,
        "hardware": hardware(),
        "software": {
            "python": platform.python_version(),
            "python_executable": sys.executable,
            "frameworks": frameworks(),
        },
        "power_sources": available_sources(),
        "sim_root": os.environ.get("JWB_SIM_ROOT"),
    }
