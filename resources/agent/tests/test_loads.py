"""Loads and temperatures in the `sample` lines, on fake /proc and /sys trees laid out as on a
board (and as the simulator's sysfs.ts writes them)."""

import io
import json
import os
import sys
import time

import pytest

from conftest import write
from jwb_agent import protocol
from jwb_agent.loads import CpuLoad, Loads, gpu_load_file, thermal_zones
from jwb_agent.power_sources import HwmonSource
from jwb_agent.sampler import Sampler
from test_power_sources import hwmon_tree


def proc_stat(root, user, idle):
    # cpu user nice system idle iowait irq softirq steal guest guest_nice; guests are inside user.
    write(root, "proc/stat", "cpu  %d 0 0 %d 0 0 0 0 50 0\ncpu0 1 0 0 1 0 0 0 0 0 0\nintr 1 2 3\n" % (user, idle))


def jetson_gpu(root, per_mille, device="sys/devices/platform/gpu.0", devfreq="17000000.ga10b", node="ga10b"):
    """The devfreq layout jtop walks: sys/class/devfreq/<name> -> <device>/devfreq/<name>, whose
    `device` -> <device>, with of_node/name and the `load` file (‰)."""
    write(root, device + "/of_node/name", node + "\n")
    write(root, device + "/load", "%d\n" % per_mille)
    write(root, "%s/devfreq/%s/cur_freq" % (device, devfreq), "306000000\n")
    os.symlink("../..", os.path.join(str(root), device, "devfreq", devfreq, "device"))
    os.makedirs(os.path.join(str(root), "sys/class/devfreq"))
    os.symlink("../../../%s/devfreq/%s" % (device, devfreq), os.path.join(str(root), "sys/class/devfreq", devfreq))


def zones(root, entries, folder="sys/devices/virtual/thermal"):
    for number, (kind, millidegrees) in enumerate(entries):
        write(root, "%s/thermal_zone%d/type" % (folder, number), kind + "\n")
        if millidegrees is not None:
            write(root, "%s/thermal_zone%d/temp" % (folder, number), "%d\n" % millidegrees)


def test_cpu_load_is_the_busy_share_of_the_aggregate_line_between_calls(sim_root):
    proc_stat(sim_root, 100, 900)
    load = CpuLoad()
    proc_stat(sim_root, 130, 970)  # 30 busy of 100 jiffies (the guest column is not counted twice)
    assert load.percent() == pytest.approx(30.0)
    assert load.percent() is None  # no time passed


def test_the_jetson_gpu_load_file_is_found_through_devfreq(sim_root):
    jetson_gpu(sim_root, 734)
    path = gpu_load_file()
    assert path is not None and os.path.realpath(path) == os.path.realpath(str(sim_root / "sys/devices/platform/gpu.0/load"))
    assert Loads(HwmonSourceStandIn()).fields()["gpu_load"] == 73.4


def test_older_boards_fall_back_to_gpu0_load(sim_root):
    write(sim_root, "sys/devices/gpu.0/load", "500\n")  # no devfreq entry names the GPU
    assert gpu_load_file() == str(sim_root / "sys/devices/gpu.0/load")


def test_temperatures_are_named_like_tegrastats_without_offline_and_pmic_zones(sim_root):
    zones(sim_root, [("cpu-thermal", 43531), ("CV0-therm", -256000), ("GPU-therm", None), ("PMIC-Die", 100000), ("Tboard_tegra", 32000)])
    assert [name for name, _ in thermal_zones()] == ["cpu", "CV0", "GPU", "Tboard"]
    assert Loads(HwmonSourceStandIn()).fields()["temps"] == {"cpu": 43.5, "Tboard": 32.0}


def test_sys_class_thermal_wins_and_duplicate_types_stay_apart(sim_root):
    zones(sim_root, [("acpitz", 27800), ("acpitz", 29800), ("x86_pkg_temp", 51000)], folder="sys/class/thermal")
    zones(sim_root, [("ignored-thermal", 1000)])
    assert Loads(HwmonSourceStandIn()).fields()["temps"] == {"acpitz": 27.8, "acpitz1": 29.8, "x86": 51.0}


def test_a_source_that_knows_the_gpu_answers_for_it(sim_root):
    jetson_gpu(sim_root, 100)

    class Nvml(HwmonSourceStandIn):
        def gpu_load(self):
            return 87.0

        def gpu_temps(self):
            return {"GPU": 55.0}

    assert Loads(Nvml()).fields() == {"gpu_load": 87.0, "temps": {"GPU": 55.0}}


def test_nothing_readable_adds_nothing(sim_root):
    assert Loads(HwmonSourceStandIn()).fields() == {}


class HwmonSourceStandIn(object):
    name = "hwmon"
    rails = ["VDD_IN"]


def sample_lines(sim_root, seconds, between=None):
    """The `sample` lines of a 100 Hz sampler on a board tree with loads and temperatures."""
    hwmon_tree(sim_root)
    proc_stat(sim_root, 100, 900)
    jetson_gpu(sim_root, 950)
    zones(sim_root, [("cpu-thermal", 43531), ("gpu-thermal", 42937), ("soc0-thermal", 41218), ("tj-thermal", 43531)])
    stream = io.StringIO()
    protocol.set_stream(stream)
    try:
        sampler = Sampler(HwmonSource(), hz=100)
        sampler.start()
        time.sleep(seconds / 2.0)
        if between is not None:
            between()
        time.sleep(seconds / 2.0)
        sampler.stop()
    finally:
        protocol.set_stream(sys.stdout)
    return [json.loads(line) for line in stream.getvalue().splitlines() if '"sample"' in line], sampler


def test_sample_lines_carry_loads_and_temperatures(sim_root, monkeypatch):
    from jwb_agent import sampler as sampler_module

    monkeypatch.setattr(sampler_module, "LOADS_CPU_BUDGET", 1.0)  # however slow this machine: every line
    samples, sampler = sample_lines(sim_root, 0.6, between=lambda: proc_stat(sim_root, 160, 940))  # 60 of 100 jiffies busy
    assert len(samples) >= 4
    for line in samples:
        assert line["gpu_load"] == 95.0
        assert line["temps"] == {"cpu": 43.5, "gpu": 42.9, "soc0": 41.2, "tj": 43.5}
    assert [line.get("cpu_load") for line in samples].count(60.0) == 1  # a delta, once
    assert sampler.stats()["sampler_cpu_fraction"] < 0.2  # the 1 % budget is measured in docs/results


def test_loads_are_spaced_to_keep_within_their_cpu_budget(sim_root, monkeypatch):
    from jwb_agent import sampler as sampler_module

    monkeypatch.setattr(sampler_module, "LOADS_CPU_BUDGET", 1e-6)  # a ~50 µs read may come once in ~50 s
    samples, _ = sample_lines(sim_root, 0.5)
    assert len(samples) >= 3
    assert ["gpu_load" in line for line in samples] == [True] + [False] * (len(samples) - 1)
