import time

import pytest

from conftest import write
from jwb_agent import protocol
from jwb_agent.power_sources import HwmonSource, IioSource, open_source
from jwb_agent.protocol import AgentError
from jwb_agent.sampler import Sampler

HWMON = "sys/bus/i2c/devices/1-0040/hwmon/hwmon3/"


def hwmon_tree(root, with_vdd_in=True):
    write(root, "sys/bus/i2c/devices/1-0040/name", "ina3221\n")
    rails = [(1, "VDD_IN" if with_vdd_in else "VDD_GPU_SOC", 5000, 1200), (2, "VDD_CPU_GPU_CV", 5000, 400), (3, "NC", 5000, 999)]
    for number, label, millivolts, milliamps in rails:
        write(root, HWMON + "in%d_label" % number, label + "\n")
        write(root, HWMON + "in%d_input" % number, "%d\n" % millivolts)
        write(root, HWMON + "curr%d_input" % number, "%d\n" % milliamps)
    write(root, HWMON + "in7_label", "sum of shunt voltages\n")
    write(root, HWMON + "in7_input", "40\n")


def test_hwmon_skips_nc_and_channel_7_and_totals_vdd_in(sim_root):
    hwmon_tree(sim_root)
    source = HwmonSource()
    assert source.rails == ["VDD_IN", "VDD_CPU_GPU_CV"]
    total, rails = source.read()
    assert rails == [6000.0, 2000.0] and total == 6000.0


def test_hwmon_without_an_input_rail_sums_the_rails(sim_root):
    hwmon_tree(sim_root, with_vdd_in=False)
    total, _rails = HwmonSource().read()
    assert total == 8000.0


def test_hwmon_follows_changes_of_the_files(sim_root):
    hwmon_tree(sim_root)
    source = HwmonSource()
    write(sim_root, HWMON + "curr1_input", "2000\n")
    assert source.read()[0] == 10000.0


def test_iio_uses_in_power_or_volt_times_current(sim_root):
    folder = "sys/bus/i2c/devices/6-0040/iio:device0/"
    write(sim_root, "sys/bus/i2c/devices/6-0040/name", "ina3221x\n")
    write(sim_root, folder + "rail_name_0", "POM_5V_IN\n")
    write(sim_root, folder + "in_power0_input", "4520\n")
    write(sim_root, folder + "rail_name_1", "POM_5V_GPU\n")
    write(sim_root, folder + "in_voltage1_input", "5000\n")
    write(sim_root, folder + "in_current1_input", "100\n")
    source = IioSource()
    assert source.rails == ["POM_5V_IN", "POM_5V_GPU"]
    assert source.read() == (4520.0, [4520.0, 500.0])


def test_missing_sensors_are_a_clear_power_error(sim_root):
    with pytest.raises(AgentError) as caught:
        HwmonSource()
    assert caught.value.code == "power-unavailable" and str(sim_root) in caught.value.reason
    with pytest.raises(AgentError):
        IioSource()
    with pytest.raises(AgentError):
        open_source("no-such-source")


def test_auto_picks_hwmon_on_a_jetson_tree(sim_root):
    hwmon_tree(sim_root)
    assert open_source("auto").name == "hwmon"


class Collect(object):
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass


def test_sampler_batches_lines_with_sequence_numbers_and_reports_its_cost(sim_root):
    import json

    hwmon_tree(sim_root)
    stream = Collect()
    protocol.set_stream(stream)
    try:
        sampler = Sampler(HwmonSource(), hz=100)
        sampler.start()
        time.sleep(0.5)
        sampler.stop()
    finally:
        protocol.set_stream(__import__("sys").stdout)
    records = [json.loads(line) for line in stream.lines]
    samples = [r for r in records if r["type"] == "sample"]
    assert records[0]["type"] == "power" and "anchor_wall" in records[0]
    assert 3 <= len(samples) <= 8  # one line per ~100 ms
    expected = 0
    for line in samples:
        assert line["seq"] == expected
        assert len(line["t"]) == len(line["total_mw"]) == len(line["rails"]["VDD_IN"])
        expected += len(line["t"])
    stats = records[-1]
    assert stats["event"] == "stop" and stats["samples"] == expected
    assert 35 <= expected <= 55 and 80 <= stats["achieved_hz"] <= 105
    assert 0 <= stats["sampler_cpu_fraction"] < 0.2
    energy = sampler.energy(sampler.times[2], sampler.times[-3])
    assert energy["average_w"] == pytest.approx(6.0)


class Opened(object):
    def __init__(self, name):
        self.name = name
        self.rails = ["GPU"]
        self.closed = False

    def close(self):
        self.closed = True


def fake_factories(monkeypatch, available):
    """Replaces every opener: those in `available` open, the others fail; returns what was opened."""
    from jwb_agent import power_sources

    opened = []

    def opener(name):
        def open_it(hz):
            if name not in available:
                raise AgentError("power-unavailable", "%s: absent in this test" % name)
            opened.append(Opened(name))
            return opened[-1]

        return open_it

    monkeypatch.setattr(power_sources, "_FACTORIES", dict((name, opener(name)) for name in power_sources.PREFERENCE))
    return opened


def test_auto_and_preferred_follow_one_order(monkeypatch):
    from jwb_agent.power_sources import available_sources

    opened = fake_factories(monkeypatch, {"tegrastats", "nvml", "nvml-instant", "nvidia-smi"})
    assert open_source("auto").name == "nvml-instant"  # before nvml: NVML's default reading is averaged
    entries = available_sources()
    assert [entry["name"] for entry in entries] == ["hwmon", "iio", "nvml-instant", "nvml", "nvidia-smi", "tegrastats"]
    assert [entry["name"] for entry in entries if entry["preferred"]] == ["nvml-instant"]
    assert entries[0] == {"name": "hwmon", "available": False, "preferred": False, "reason": "hwmon: absent in this test"}
    assert all(source.closed for source in opened[1:])  # probe closes what it opened


def test_tegrastats_is_the_last_resort(monkeypatch):
    from jwb_agent.power_sources import available_sources

    fake_factories(monkeypatch, {"tegrastats"})
    assert open_source("auto").name == "tegrastats"
    assert [entry["name"] for entry in available_sources() if entry["preferred"]] == ["tegrastats"]
    fake_factories(monkeypatch, set())
    assert not any(entry["preferred"] for entry in available_sources())


class FakeNvml(object):
    instant_mw = 0

    def device(self, index):
        return index

    def power_instant_mw(self, device):
        return self.instant_mw

    def power_mw(self, device):
        return 71000

    def shutdown(self):
        pass


def test_nvml_instant_is_unavailable_where_the_field_reads_zero_and_auto_moves_on(monkeypatch, sim_root):
    from jwb_agent import power_sources

    monkeypatch.setattr(power_sources, "Nvml", FakeNvml)
    with pytest.raises(AgentError) as caught:
        power_sources.NvmlSource(instant=True)
    assert caught.value.code == "power-unavailable" and "0 mW" in caught.value.reason
    source = open_source("auto")
    assert source.name == "nvml" and source.read() == (71000, None)


def test_nvidia_smi_reads_power_load_and_temperature_in_one_call(tmp_path, monkeypatch):
    import os
    import stat
    import sys
    from jwb_agent.power_sources import NvidiaSmiSource

    script = "#!%s\nimport sys\nassert sys.argv[1] == '--query-gpu=power.draw,utilization.gpu,temperature.gpu'\nprint('%s')\n"
    path = write(tmp_path, "bin/nvidia-smi", script % (sys.executable, "123.45, 87, 55"))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    source = NvidiaSmiSource()
    assert source.read() == (123450.0, None)
    assert source.gpu_load() == 87.0 and source.gpu_temps() == {"GPU": 55.0}
    write(tmp_path, "bin/nvidia-smi", script % (sys.executable, "40.00, [N/A], [N/A]"))
    assert source.read()[0] == 40000.0 and source.gpu_load() is None and source.gpu_temps() == {}
