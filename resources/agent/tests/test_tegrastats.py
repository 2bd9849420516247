"""The tegrastats source: rail parsing on real lines, and the source against a stand-in
`tegrastats` program on PATH that prints real lines at the asked interval."""

import os
import stat
import sys
import time

import pytest

from conftest import run_agent, write
from jwb_agent.protocol import AgentError
from jwb_agent.rails import input_or_sum
from jwb_agent.sampler import Sampler
from jwb_agent.tegrastats import TegrastatsSource, interval_ms, parse_rails

# Real lines, from shared/reference/tegrastats-real.jsonl (sources there), cut to their rails.
TX2_JP4 = (
    "RAM 2020/7852MB (lfb 1164x4MB) CPU [9%@345,21%@345] EMC_FREQ 0% GR3D_FREQ 0% PLL@42.5C PMIC@100C "
    "VDD_SYS_GPU 153/158 VDD_SYS_SOC 536/547 VDD_4V0_WIFI 633/527 VDD_IN 3140/3208 VDD_SYS_CPU 536/590 VDD_SYS_DDR 557/601"
)
NANO_JP4 = (
    "RAM 1923/3964MB (lfb 2x2MB) SWAP 191/1982MB (cached 6MB) IRAM 0/252kB(lfb 252kB) CPU [5%@1224,4%@1224] "
    "EMC_FREQ 0%@1600 GR3D_FREQ 0%@76 APE 25 PLL@37C POM_5V_IN 1750/1628 POM_5V_GPU 0/0 POM_5V_CPU 366/406"
)
XAVIER_NX_JP5 = (
    "07-09-2024 13:31:31 RAM 3168/6851MB (lfb 2x4MB) SWAP 161/3426MB (cached 0MB) CPU [23%@1397,17%@1192] "
    "EMC_FREQ 2%@204 GR3D_FREQ 0%@[114] VIC_FREQ 115 APE 150 AUX@45C PMIC@50C "
    "VDD_IN 2763mW/2846mW VDD_CPU_GPU_CV 650mW/670mW VDD_SOC 650mW/711mW"
)
AGX_ORIN_JP5 = (
    "04-11-2025 10:36:27 RAM 4321/62801MB (lfb 1759x4MB) SWAP 19/31400MB (cached 0MB) GR3D_FREQ 0%@[0,0] "
    "CV0@-256C tj@44.343C VDD_GPU_SOC 2340mW/2340mW VDD_CPU_CV 390mW/390mW VIN_SYS_5V0 4025mW/4025mW "
    "NC 0mW/0mW VDDQ_VDD2_1V8AO 301mW/301mW NC 0mW/0mW"
)
AGX_ORIN_JP7 = (
    "VA0_FREQ off APE 174 cpu@52.968C/52.968C soc2@48.406C/48.406C "
    "VDD_GPU_SOC 5139mW/5139mW/5139mW VDD_CPU_CV 3268mW/3268mW/3268mW VIN_SYS_5V0 5500mW/5500mW/5500mW"
)
AGX_XAVIER = "EMC_FREQ 0% GR3D_FREQ 0% AO@30C PMIC@100C GPU 463/463 CPU 618/618 SOC 2936/2936 CV 0/0 VDDRQ 309/309 SYS5V 3306/3306"
TX1_L4T28 = "RAM 3691/3983MB (lfb 3x2MB) SWAP 2780/8192MB (cached 284MB) cpu [0%,0%,0%,0%]@1734 EMC 0%@1600 APE 25 GR3D 0%@998"


def test_rails_in_every_format_and_the_input_rail_as_total():
    rails = parse_rails(TX2_JP4)
    assert [name for name, _ in rails] == ["VDD_SYS_GPU", "VDD_SYS_SOC", "VDD_4V0_WIFI", "VDD_IN", "VDD_SYS_CPU", "VDD_SYS_DDR"]
    assert input_or_sum(*zip(*rails)) == 3140.0  # current value, not the average
    assert parse_rails(NANO_JP4) == [("POM_5V_IN", 1750.0), ("POM_5V_GPU", 0.0), ("POM_5V_CPU", 366.0)]
    assert parse_rails(XAVIER_NX_JP5) == [("VDD_IN", 2763.0), ("VDD_CPU_GPU_CV", 650.0), ("VDD_SOC", 650.0)]
    assert parse_rails(AGX_ORIN_JP7) == [("VDD_GPU_SOC", 5139.0), ("VDD_CPU_CV", 3268.0), ("VIN_SYS_5V0", 5500.0)]


def test_nc_rails_are_skipped_and_boards_without_an_input_rail_sum():
    names, values = zip(*parse_rails(AGX_ORIN_JP5))
    assert names == ("VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO")
    assert input_or_sum(list(names), list(values)) == 2340.0 + 390.0 + 4025.0 + 301.0
    assert [name for name, _ in parse_rails(AGX_XAVIER)] == ["GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V"]


def test_memory_and_clock_fields_are_not_rails():
    assert parse_rails(TX1_L4T28) == []  # RAM 3691/3983MB, SWAP …MB, IRAM …kB have units


def test_interval_follows_the_rate_with_a_100_ms_floor():
    assert [interval_ms(hz) for hz in (100, 10, 4, 0.5)] == [100, 100, 250, 2000]


def fake_tegrastats(folder, lines):
    """A `tegrastats` that checks its arguments, records its pid and prints `lines` in turn
    (VDD_IN rising by 1 mW a line) at the asked interval, as the real one does."""
    script = (
        "#!%s\n"
        "import os, sys, time\n"
        "assert sys.argv[1] == '--interval', sys.argv\n"
        "open(os.path.join(%r, 'pid'), 'w').write('%%d %%s' %% (os.getpid(), sys.argv[2]))\n"
        "lines = %r\n"
        "for n in range(100000):\n"
        "    print(lines[n %% len(lines)].replace('VDD_IN 2763mW', 'VDD_IN %%dmW' %% (2763 + n)), flush=True)\n"
        "    time.sleep(int(sys.argv[2]) / 1000.0)\n"
    ) % (sys.executable, str(folder), lines)
    path = write(folder, "bin/tegrastats", script)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return os.path.join(str(folder), "bin")


@pytest.fixture
def tegrastats_on_path(tmp_path, monkeypatch):
    folder = fake_tegrastats(tmp_path, [XAVIER_NX_JP5])
    monkeypatch.setenv("PATH", folder + os.pathsep + os.environ["PATH"])
    return tmp_path


def test_the_source_reads_the_newest_line_and_stops_tegrastats(tegrastats_on_path):
    source = TegrastatsSource(hz=100)  # asks for 100 Hz, gets tegrastats' fastest: 100 ms
    try:
        assert source.rails == ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"] and source.max_hz == 10.0
        first, _ = source.read()
        time.sleep(0.35)  # three more lines arrive meanwhile: read() returns the newest
        total, rails = source.read()
        assert total - first >= 3 and rails[1:] == [650.0, 650.0]
    finally:
        source.close()
    pid, interval = open(str(tegrastats_on_path / "pid")).read().split()
    assert interval == "100"
    assert not _alive(int(pid))


def test_the_sampler_runs_at_the_line_rate_and_stamps_each_line(tegrastats_on_path):
    from jwb_agent import protocol
    import io

    protocol.set_stream(io.StringIO())
    try:
        sampler = Sampler(TegrastatsSource(hz=100), hz=100)
        sampler.start()
        time.sleep(1.05)
        sampler.stop()
    finally:
        protocol.set_stream(sys.stdout)
    assert sampler.hz == 10.0
    stats = sampler.stats()
    assert 8 <= stats["samples"] <= 12 and 8 <= stats["achieved_hz"] <= 11
    steps = [b - a for a, b in zip(sampler.times, sampler.times[1:])]
    assert all(0.07 < step < 0.15 for step in steps)  # one reading a line, none repeated
    assert all(b - a == 1 for a, b in zip(sampler.total_mw, sampler.total_mw[1:]))


def test_a_tegrastats_without_rails_is_unavailable_and_says_what_it_printed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", fake_tegrastats(tmp_path, [TX1_L4T28]) + os.pathsep + os.environ["PATH"])
    started = time.monotonic()
    with pytest.raises(AgentError) as caught:
        TegrastatsSource(hz=10)
    assert caught.value.code == "power-unavailable" and "GR3D 0%@998" in caught.value.reason
    assert time.monotonic() - started < 1.5  # probe stays fast
    pid = int(open(str(tmp_path / "pid")).read().split()[0])
    assert not _alive(pid)


def test_power_streams_tegrastats_at_its_real_rate(tegrastats_on_path):
    env = {"PATH": os.environ["PATH"]}
    code, lines, _ = run_agent(["power", "--source", "tegrastats", "--hz", "100", "--seconds", "1"], env)
    assert code == 0
    start = lines[0]
    assert start["source"] == "tegrastats" and start["hz"] == 10.0 and start["rails"] == ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"]
    samples = [line for line in lines if line["type"] == "sample"]
    assert sum(len(line["t"]) for line in samples) >= 8
    assert 8 <= lines[-1]["achieved_hz"] <= 11
    assert not _alive(int(open(str(tegrastats_on_path / "pid")).read().split()[0]))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie (exited, not yet reaped by a parent that is gone) counts as stopped.
    with open("/proc/%d/stat" % pid) as handle:
        return handle.read().split(")")[-1].split()[0] != "Z"
