"""Power readers. Each source has `name`, `rails` (names), `read()` -> (total_mw, [rail mW…])
and `close()`. Board paths resolve under $JWB_SIM_ROOT (sysroot.py).

Jetson INA3221 layouts follow jtop (rbonghi/jetson_stats jtop/core/power.py), as
summarised in shared/reference/jetson-facts.md section 2.2:
- JetPack 5+ hwmon: /sys/bus/i2c/devices/*/hwmon/hwmon*/in<N>_label, in<N>_input (mV),
  curr<N>_input (mA); labels containing "NC" and channel 7 (sum of shunts) are skipped.
- JetPack 4 iio: …/iio:device*/rail_name_<N>, in_power<N>_input (mW) or
  in_voltage<N>_input (mV) x in_current<N>_input (mA).
The total is VDD_IN or POM_5V_IN when present, else the sum of the rails (as jtop).
"""

import glob
import os
import re
import subprocess

from . import sysroot
from .nvml import Nvml, NvmlError
from .protocol import AgentError, EXIT_POWER

_TOTAL_RAILS = ("VDD_IN", "POM_5V_IN")


def _read_int(path):
    with open(path, "rb") as handle:
        return int(handle.read().strip() or b"0")


def _total(names, values):
    for preferred in _TOTAL_RAILS:
        if preferred in names:
            return values[names.index(preferred)]
    return sum(values)


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
        return _total(self.rails, values), values

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
        return _total(self.rails, values), values

    def close(self):
        pass


class NvmlSource(object):
    """nvmlDeviceGetPowerUsage (mW); on Ampere and newer NVML documents it as a 1 s average."""

    name = "nvml"

    def __init__(self, index=0, instant=False):
        try:
            self._nvml = Nvml()
            self._device = self._nvml.device(index)
        except NvmlError as error:
            raise AgentError("power-unavailable", "NVML: %s" % error, EXIT_POWER)
        self._instant = instant
        if instant:
            self.name = "nvml-instant"
            self._nvml.power_instant_mw(self._device)  # fails early when the field is unknown
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

    def describe(self):
        return {"gpu": self._nvml.name(self._device), "driver": self._nvml.driver_version()}

    def close(self):
        self._nvml.shutdown()


class NvidiaSmiSource(object):
    """Fallback: one nvidia-smi call per reading (tens of ms each; keep the rate low)."""

    name = "nvidia-smi"
    _command = ["nvidia-smi", "--query-gpu=power.draw", "--format=csv,noheader,nounits", "--id=0"]

    def __init__(self):
        self.rails = ["GPU"]
        self.read()

    def read(self):
        try:
            output = subprocess.check_output(self._command, stderr=subprocess.STDOUT, universal_newlines=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise AgentError("power-unavailable", "nvidia-smi: %s" % error, EXIT_POWER)
        try:
            watts = float(output.strip().splitlines()[0])
        except (ValueError, IndexError):
            raise AgentError("power-unavailable", "nvidia-smi printed %r" % output.strip()[:80], EXIT_POWER)
        return watts * 1000.0, None

    def close(self):
        pass


def _read_label(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace").strip().strip("\0")
    except (IOError, OSError):
        return ""


_FACTORIES = {
    "hwmon": HwmonSource,
    "iio": IioSource,
    "nvml": NvmlSource,
    "nvml-instant": lambda: NvmlSource(instant=True),
    "nvidia-smi": NvidiaSmiSource,
}

SOURCE_NAMES = ("auto",) + tuple(sorted(_FACTORIES))


def open_source(name):
    """Opens the named source; `auto` tries hwmon, iio, nvml, nvidia-smi in turn."""
    if name != "auto":
        if name not in _FACTORIES:
            raise AgentError("usage", "unknown power source %r" % name, EXIT_POWER)
        return _FACTORIES[name]()
    reasons = []
    for candidate in ("hwmon", "iio", "nvml", "nvidia-smi"):
        try:
            return _FACTORIES[candidate]()
        except AgentError as error:
            reasons.append(error.reason)
    raise AgentError("power-unavailable", "no power source: " + "; ".join(reasons), EXIT_POWER)


def available_sources():
    """[{name, rails} | {name, reason}] for probe."""
    found = []
    for name in ("hwmon", "iio", "nvml", "nvidia-smi"):
        try:
            source = _FACTORIES[name]()
        except AgentError as error:
            found.append({"name": name, "available": False, "reason": error.reason})
            continue
        except Exception as error:  # a broken sensor must not break probe
            found.append({"name": name, "available": False, "reason": str(error)})
            continue
        entry = {"name": name, "available": True, "rails": source.rails}
        if hasattr(source, "describe"):
            entry.update(source.describe())
        source.close()
        found.append(entry)
    return found
