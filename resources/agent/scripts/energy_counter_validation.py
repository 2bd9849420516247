"""Energy-counter validation on an NVIDIA GPU (issue 11): which figure is the headline
(`energy.method`), how far the sampled integral is from NVML's hardware counter, and what
`energy.quality` says, for steady suites and for a bursty square wave, with both NVML sources.

Appends every agent line, tagged with its run, to OUT/validation.jsonl (gpu_validation.py's
format); summarize_energy_counter.py writes the tables in docs/results/ from it.

With --costs it measures the sampler's cost instead: the thread CPU time of each call the
sampler makes (NVML reads, the per-line loads and temperatures), `power` idle at 100 Hz with
both sources, and one 100 Hz bench.

usage: python3 energy_counter_validation.py OUT_DIR [--seconds S] [--costs]
"""

import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from gpu_validation import agent, write  # noqa: E402

SOURCES = ("nvml-instant", "nvml")
RATES = ("100", "10")
PERIODS = ("0.5", "2")


def facts(handle):
    smi = subprocess.check_output(
        ["nvidia-smi", "--query-gpu=name,driver_version,power.limit,memory.total", "--format=csv,noheader"], universal_newlines=True
    )
    torch_version = subprocess.check_output([sys.executable, "-c", "import torch; print(torch.__version__, torch.version.cuda)"], universal_newlines=True)
    write(
        handle,
        {
            "type": "machine",
            "nvidia_smi": smi.strip(),
            "torch": torch_version.strip(),
            "python": platform.python_version(),
            "kernel": platform.release(),
            "cpu_count": os.cpu_count(),
        },
    )


def cadence(handle, seconds=2.0):
    """How often NVML's energy counter, averaged power and instant power take a new value."""
    from jwb_agent.nvml import Nvml  # gpu_validation put the agent on sys.path

    nvml = Nvml()
    device = nvml.device(0)
    reads = {"energy": lambda: nvml.total_energy_mj(device), "power": lambda: nvml.power_mw(device), "instant": lambda: nvml.power_instant_mw(device)}
    changes = dict((name, []) for name in reads)
    last = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for name, read in reads.items():
            value = read()
            if value != last.get(name):
                changes[name].append(time.monotonic())
                last[name] = value
        time.sleep(0.001)
    nvml.shutdown()
    record = {"type": "nvml-cadence"}
    for name, stamps in changes.items():
        gaps = sorted(b - a for a, b in zip(stamps[1:], stamps[2:]))
        record[name] = {"changes": len(stamps), "median_interval_ms": 1000 * gaps[len(gaps) // 2] if gaps else None}
    write(handle, record)


def call_costs(handle, calls=1000):
    """Thread CPU time of one call of each thing the sampler does, in µs."""
    from jwb_agent.loads import Loads
    from jwb_agent.power_sources import NvmlSource

    clock = time.CLOCK_THREAD_CPUTIME_ID
    source = NvmlSource(instant=True)
    loads = Loads(source)
    nvml, device = source._nvml, source._device
    measured = {
        "power_usage": lambda: nvml.power_mw(device),
        "power_instant": lambda: nvml.power_instant_mw(device),
        "utilization": lambda: nvml.utilization_gpu(device),
        "temperature": lambda: nvml.temperature_gpu(device),
        "loads_fields": loads.fields,
        "sleep_10ms_wakeup": lambda: time.sleep(0.01),
    }
    costs = {}
    for name, call in measured.items():
        count = 100 if name == "sleep_10ms_wakeup" else calls
        started = time.clock_gettime(clock)
        for _ in range(count):
            call()
        costs[name + "_us"] = (time.clock_gettime(clock) - started) * 1e6 / count
    source.close()
    write(handle, {"type": "call-costs", "costs": costs, "loads_example": loads.fields()})


def cost_runs(handle, seconds):
    call_costs(handle)
    for source in SOURCES:
        agent(["power", "--source", source, "--hz", "100", "--seconds", "5"], {"name": "idle-sampler", "source": source, "hz": 100.0}, handle)
    tag = {"name": "bench", "suite": "gemm", "source": "nvml-instant", "hz": 100.0, "costs": True}
    arguments = ["bench", "--framework", "torch", "--suite", "gemm", "--device", "cuda", "--seconds", seconds, "--warmup", "2"]
    agent(arguments + ["--dtype", "float16", "--size", "8192", "--power", "nvml-instant", "--power-hz", "100"], tag, handle)


def bench_runs(handle, seconds):
    suites = [
        ("gemm", ["--dtype", "float16", "--size", "8192"]),
        ("cnn-infer", ["--model", "resnet18", "--batch", "64"]),
    ]
    for source in SOURCES:
        for hz in RATES:
            for suite, extra in suites:
                tag = {"name": "bench", "suite": suite, "source": source, "hz": float(hz)}
                print("bench %s %s %s Hz" % (suite, source, hz), flush=True)
                arguments = ["bench", "--framework", "torch", "--suite", suite, "--device", "cuda", "--seconds", seconds, "--warmup", "2"]
                agent(arguments + extra + ["--power", source, "--power-hz", hz], tag, handle)


def square_wave_runs(handle, seconds):
    script = os.path.join(HERE, "square_wave.py")
    for source in SOURCES:
        for hz in RATES:
            for period in PERIODS:
                tag = {"name": "square-wave", "suite": "square-wave", "source": source, "hz": float(hz), "period": float(period)}
                print("square wave %s s %s %s Hz" % (period, source, hz), flush=True)
                arguments = ["--power", source, "--power-hz", hz, "--period", period, "--seconds", seconds]
                run_script(script, arguments, tag, handle)


def run_script(script, arguments, tag, handle):
    """Like gpu_validation.agent, for a script that prints the agent's lines."""
    started = time.time()
    process = subprocess.run([sys.executable, script] + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    for line in process.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = {"type": "unparsed", "text": line}
        record["run"] = tag
        write(handle, record)
    write(handle, {"type": "run", "run": tag, "exit_code": process.returncode, "wall_s": time.time() - started, "stderr_tail": process.stderr[-2000:]})


def main():
    out_dir = sys.argv[1]
    seconds = sys.argv[sys.argv.index("--seconds") + 1] if "--seconds" in sys.argv else "8"
    with open(os.path.join(out_dir, "validation.jsonl"), "a") as handle:
        if "--costs" in sys.argv:
            return cost_runs(handle, seconds)
        facts(handle)
        agent(["probe"], {"name": "probe"}, handle)
        cadence(handle)
        square_wave_runs(handle, seconds)
        bench_runs(handle, seconds)


if __name__ == "__main__":
    main()
