"""What the board is doing, once per `sample` line (not per reading: the sampler's cost at
100 Hz must stay under 1 % of a core), so a live power view can chart loads and temperatures
beside the power:

- `cpu_load`: % busy of the online cores since the previous line, from the aggregate `cpu`
  line of /proc/stat (offline cores' counters stand still, so it is their mean);
- `gpu_load`: % busy, from the power source where it knows (NVML utilisation, nvidia-smi),
  else the Jetson GPU's `load` file (per-mille), found as jtop does (jetson-facts.md §2.3);
- `temps`: {name: °C} of the thermal zones, named as tegrastats and jtop name them (the
  zone type cut at the first `-` or `_`); offline sensors (-256 °C) and the TX boards'
  constant PMIC reading are left out (jetson-facts.md §2.4).

Every field is left out when it cannot be read. All paths go through sysroot.py.
"""

import glob
import os
import re

from . import sysroot

# devfreq `device/of_node/name` values of Jetson GPUs (jtop/core/gpu.py).
_GPU_NODES = ("gv11b", "gp10b", "ga10b", "gb10b", "gpu")
# Where tegrastats reads the GPU load when no devfreq entry names the GPU (jetson-facts.md §2.3).
_GPU_LOAD_FILES = ("/sys/devices/gpu.0/load", "/sys/devices/platform/gpu.0/load")
_OFFLINE_C = -256.0


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _read_text(path):
    try:
        return _read(path).decode("utf-8", "replace").strip().strip("\0")
    except (IOError, OSError):
        return ""


class CpuLoad(object):
    """/proc/stat deltas between two calls."""

    def __init__(self):
        self._path = sysroot.path("/proc/stat")
        self._last = self._times()

    def _times(self):
        """(total, idle) jiffies of all cores, or None."""
        try:
            fields = _read(self._path).split(b"\n", 1)[0].split()
        except (IOError, OSError):
            return None
        if len(fields) < 5 or fields[0] != b"cpu":
            return None
        values = [int(value) for value in fields[1:9]]  # guest times are already in user/nice
        return sum(values), values[3] + values[4]  # idle + iowait

    def percent(self):
        current = self._times()
        previous, self._last = self._last, current
        if current is None or previous is None or current[0] <= previous[0]:
            return None
        total = current[0] - previous[0]
        return 100.0 * (total - (current[1] - previous[1])) / total


def gpu_load_file():
    """The Jetson GPU's `load` file (per-mille), or None."""
    for node_path in sorted(glob.glob(sysroot.path("/sys/class/devfreq/*/device/of_node/name"))):
        node = _read_text(node_path)
        if node in _GPU_NODES or "gpu" in node:
            load = os.path.join(os.path.dirname(os.path.dirname(node_path)), "load")
            if os.path.exists(load):
                return load
    for board_path in _GPU_LOAD_FILES:
        if os.path.exists(sysroot.path(board_path)):
            return sysroot.path(board_path)
    return None


def thermal_zones():
    """[(name, temp file)] in zone order. /sys/class/thermal links to /sys/devices/virtual/thermal,
    where jtop reads; a tree with only the latter (the simulator's) is read there."""
    folders = glob.glob(sysroot.path("/sys/class/thermal/thermal_zone*")) or glob.glob(sysroot.path("/sys/devices/virtual/thermal/thermal_zone*"))
    zones = []
    names = set()
    for folder in sorted(folders, key=_zone_number):
        name = re.split(r"[-_]", _read_text(os.path.join(folder, "type")), maxsplit=1)[0]
        if not name or "PMIC" in name:
            continue
        if name in names:  # two zones of one kind (x86 `acpitz`…): keep both apart
            name = "%s%d" % (name, _zone_number(folder))
        names.add(name)
        zones.append((name, os.path.join(folder, "temp")))
    return zones


def _zone_number(folder):
    match = re.search(r"(\d+)$", folder)
    return int(match.group(1)) if match else 0


class Loads(object):
    """The optional fields of one `sample` line, as a dict."""

    def __init__(self, source):
        self._cpu = CpuLoad()
        self._source_load = getattr(source, "gpu_load", None)
        self._source_temps = getattr(source, "gpu_temps", None)
        self._gpu_file = None if self._source_load else gpu_load_file()
        self._zones = thermal_zones()

    def fields(self):
        found = {}
        cpu = self._cpu.percent()
        if cpu is not None:
            found["cpu_load"] = round(cpu, 1)
        gpu = self._gpu_load()
        if gpu is not None:
            found["gpu_load"] = round(gpu, 1)
        temps = self._temps()
        if temps:
            found["temps"] = temps
        return found

    def _gpu_load(self):
        try:
            if self._source_load is not None:
                return self._source_load()
            if self._gpu_file is not None:
                return int(_read(self._gpu_file).strip()) / 10.0
        except Exception:  # a load we cannot read is left out, never a failed sample line
            return None
        return None

    def _temps(self):
        temps = {}
        for name, path in self._zones:
            try:
                celsius = int(_read(path).strip()) / 1000.0
            except (IOError, OSError, ValueError):
                continue  # offline sensors often fail the read instead of saying -256
            if celsius > _OFFLINE_C:
                temps[name] = round(celsius, 1)
        if self._source_temps is not None:
            try:
                temps.update(self._source_temps())
            except Exception:
                pass  # same rule as the load: leave it out
        return temps
