"""Power readers. Each source has `name`, `rails` (names), `read()` -> (total_mw, [rail mW…])
and `close()`; optionally `max_hz` (a slow source: the sampler runs no faster), `blocking`
(read() waits for the source's next reading), and `gpu_load()` / `gpu_temps()` for the
`sample` lines (loads.py). Board paths resolve under $JWB_SIM_ROOT (sysroot.py).

Jetson INA3221 layouts follow jtop (rbonghi/jetson_stats jtop/core/power.py), as
summarised in shared/reference/jetson-facts.md section 2.2:
- JetPack 5+ hwmon: /sys/bus/i2c/devices/*/hwmon/hwmon*/in<N>_label, in<N>_input (mV),
  curr<N>_input (mA); labels containing "NC" and channel 7 (sum of shunts) are skipped.
- JetPack 4 iio: …/iio:device*/rail_name_<N>, in_power<N>_input (mW) or
  in_voltage<N>_input (mV) x in_current<N>_input (mA).
The total is the input rail when present, else the sum of the rails (rails.py, as jtop).
"""

import glob
import os
import re
import shutil
import subprocess

from . import sysroot
from .nvml import Nvml, NvmlError
from .protocol import AgentError, EXIT_POWER
from .rails import input_or_sum
from .tegrastats import TegrastatsSource

# The order `auto` and probe's `preferred` choose in: the board's own sensors read directly, then
# NVML's instant reading (its default one is a ~1 s average that lags bursty loads: 3-8 % below the
# energy counter on H200 square waves), then the per-reading processes, tegrastats last (10 Hz at most).
PREFERENCE = ("hwmon", "iio", "nvml-instant", "nvml", "nvidia-smi", "tegrastats")


def _read_int(path):
    with open(path, "rb") as handle:
        return int(handle.read().strip() or b"0")


class HwmonSource(object):
    name = "hwmon"

    def __init__(self):
        pattern = sysroot.path("/sys/bus/i2c/devices/*/hwmon/hwmon*/in*_label")
        channels = []
        for label_path in sorted(glob.glob(pattern)):
            match = re.search(r"in(\d+)_label$", label_path)
            if not match:
                continue
            number = int(match.group(1))
            label = _read_label(label_path)
            if number == 7 or not label or "NC" in label:
                continue
            folder = os.path.dirname(label_path)
            volt = os.path.join(folder, "in%d_input" % number)
            curr = os.path.join(folder, "curr%d_input" % number)
            channels.append((label, volt, curr))
        if not channels:
            raise AgentError("power-unavailable", "no INA3221 hwmon channels under %s" % pattern, EXIT_POWER)
        self.rails = [channel[0] for channel in channels]
        self._channels = channels

    def read(self):
        values = []
        for _label, volt, curr in self._channels:
            values.append(_read_int(volt) * _read_int(curr) / 1000.0)
        return input_or_sum(self.rails, values), values

    def close(self):
        pass


class IioSource(object):
    name = "iio"

    def __init__(self):
        patterns = (
            sysroot.path("/sys/bus/i2c/devices/*/iio:device*/rail_name_*"),
            sysroot.path("/sys/bus/i2c/drivers/ina3221x/*/iio:device*/rail_name_*"),
        )
        seen = set()
        channels = []
        for pattern in patterns:
            for name_path in sorted(glob.glob(pattern)):
                real = os.path.realpath(name_path)
                if real in seen:
                    continue
                seen.add(real)
                number = int(re.search(r"rail_name_(\d+)$", name_path).group(1))
                label = _read_label(name_path)
                if not label or "NC" in label:
                    continue
                folder = os.path.dirname(name_path)
                power = os.path.join(folder, "in_power%d_input" % number)
                volt = os.path.join(folder, "in_voltage%d_input" % number)
                curr = os.path.join(folder, "in_current%d_input" % number)
                channels.append((label, power if os.path.exists(power) else None, volt, curr))
        if not channels:
            raise AgentError("power-unavailable", "no INA3221 iio rails under %s" % patterns[0], EXIT_POWER)
        self.rails = [channel[0] for channel in channels]
        self._channels = channels

    def read(self):
        values = []
        for _label, power, volt, curr in self._channels:
            if power is not None:
                values.append(float(_read_int(power)))
            else:
                values.append(_read_int(volt) * _read_int(curr) / 1000.0)
        return input_or_sum(self.rails, values), values

    def close(self):
        pass


class NvmlSource(object):
    """nvmlDeviceGetPowerUsage (mW); on Ampere and newer NVML documents it as a 1 s average."""

    name = "nvml"

    def __init__(self, index=0, instant=False):
        self._nvml = None
        self._instant = instant
        if instant:
            self.name = "nvml-instant"
        try:
            self._nvml = Nvml()
            self._device = self._nvml.device(index)
            # Fails early where the driver or the GPU does not fill the instant field.
            if instant and not self._nvml.power_instant_mw(self._device):
                raise NvmlError("NVML_FI_DEV_POWER_INSTANT reads 0 mW")
        except NvmlError as error:
            self.close()
            raise AgentError("power-unavailable", "NVML: %s" % error, EXIT_POWER)
        self.rails = ["GPU"]

    def read(self):
        if self._instant:
            milliwatts = self._nvml.power_instant_mw(self._device)
        else:
            milliwatts = self._nvml.power_mw(self._device)
        return milliwatts, None

    def energy_mj(self):
        """NVML's hardware energy counter (mJ since driver load), or None."""
        try:
            return self._nvml.total_energy_mj(self._device)
        except NvmlError:
            return None

    def gpu_load(self):
        return float(self._nvml.utilization_gpu(self._device))

    def gpu_temps(self):
        return {"GPU": float(self._nvml.temperature_gpu(self._device))}

    def describe(self):
        return {"gpu": self._nvml.name(self._device), "driver": self._nvml.driver_version()}

    def close(self):
        if self._nvml is not None:
            self._nvml.shutdown()  # nvmlInit/nvmlShutdown are reference-counted: once per source
            self._nvml = None


class NvidiaSmiSource(object):
    """Fallback: one nvidia-smi call per reading (tens of ms each; keep the rate low). The same call
    answers the GPU's utilisation and temperature for the `sample` lines."""

    name = "nvidia-smi"
    _command = ["nvidia-smi", "--query-gpu=power.draw,utilization.gpu,temperature.gpu", "--format=csv,noheader,nounits", "--id=0"]

    def __init__(self):
        self.rails = ["GPU"]
        self._load = None
        self._temp = None
        self.read()

    def read(self):
        try:
            output = subprocess.check_output(self._command, stderr=subprocess.STDOUT, universal_newlines=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise AgentError("power-unavailable", "nvidia-smi: %s" % error, EXIT_POWER)
        fields = [field.strip() for field in (output.strip().splitlines() or [""])[0].split(",")]
        try:
            watts = float(fields[0])
        except ValueError:
            raise AgentError("power-unavailable", "nvidia-smi printed %r" % output.strip()[:80], EXIT_POWER)
        self._load = _number(fields, 1)
        self._temp = _number(fields, 2)
        return watts * 1000.0, None

    def gpu_load(self):
        return self._load

    def gpu_temps(self):
        return {"GPU": self._temp} if self._temp is not None else {}

    def close(self):
        pass


def _number(fields, index):
    """A CSV field as a float, or None where nvidia-smi has none (`[N/A]`, `[Not Supported]`)."""
    try:
        return float(fields[index])
    except (IndexError, ValueError):
        return None


def _tegrastats(hz):
    if shutil.which("tegrastats") is None:
        raise AgentError("power-unavailable", "tegrastats is not on PATH", EXIT_POWER)
    return TegrastatsSource(hz)


def _read_label(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace").strip().strip("\0")
    except (IOError, OSError):
        return ""


# name -> opener(hz); only tegrastats needs the rate (its --interval).
_FACTORIES = {
    "hwmon": lambda hz: HwmonSource(),
    "iio": lambda hz: IioSource(),
    "nvml": lambda hz: NvmlSource(),
    "nvml-instant": lambda hz: NvmlSource(instant=True),
    "nvidia-smi": lambda hz: NvidiaSmiSource(),
    "tegrastats": _tegrastats,
}

SOURCE_NAMES = ("auto",) + PREFERENCE


def open_source(name, hz=10.0):
    """Opens the named source; `auto` takes the first in PREFERENCE that opens."""
    if name != "auto":
        if name not in _FACTORIES:
            raise AgentError("usage", "unknown power source %r" % name, EXIT_POWER)
        return _FACTORIES[name](hz)
    reasons = []
    for candidate in PREFERENCE:
        try:
            return _FACTORIES[candidate](hz)
        except AgentError as error:
            reasons.append(error.reason)
    raise AgentError("power-unavailable", "no power source: " + "; ".join(reasons), EXIT_POWER)


def available_sources():
    """[{name, available, preferred, rails…} | {name, available, preferred, reason}] for probe, in
    PREFERENCE order; `preferred` marks the first available one (what `auto` would open)."""
    found = []
    opened = []
    try:
        for name in PREFERENCE:
            entry = {"name": name, "available": False, "preferred": False}
            try:
                source = _FACTORIES[name](10.0)
            except AgentError as error:
                entry["reason"] = error.reason
            except Exception as error:  # a broken sensor must not break probe
                entry["reason"] = "%s: %s" % (type(error).__name__, error)
            else:
                # Kept open until every source is tried: NVML initialises once for both of its sources.
                opened.append(source)
                entry.update(available=True, rails=source.rails)
                if hasattr(source, "describe"):
                    entry.update(source.describe())
            found.append(entry)
    finally:
        for source in opened:
            source.close()
    for entry in found:
        if entry["available"]:
            entry["preferred"] = True
            break
    return found
