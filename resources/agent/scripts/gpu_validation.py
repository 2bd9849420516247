"""Real-GPU validation driver (run on a machine with an NVIDIA GPU and NVML).

Runs `python3 -m jwb_agent bench` for each framework x suite x sampling rate with
`--power nvml`, tags every JSON line the agent prints with the run it belongs to,
and appends them to OUT/validation.jsonl. Also records `probe`, nvidia-smi's view,
how often NVML's energy counter and power reading change, and the sampler's CPU
cost while idle. docs/results/ is written from that file by summarize_results.py.

usage: python3 gpu_validation.py OUT_DIR DATA_DIR [--hz 100,10] [--only torch:gemm,...] [--sweep] [--extras]
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_ROOT = os.path.dirname(HERE)
sys.path.insert(0, AGENT_ROOT)

MATRIX = [
    ("torch", "mnist-train", ["--epochs", "15", "--batch", "128", "--warmup", "3"]),
    ("torch", "cnn-infer", ["--model", "resnet18", "--batch", "64", "--seconds", "12", "--warmup", "3"]),
    ("torch", "gemm", ["--dtype", "float16", "--size", "8192", "--seconds", "12", "--warmup", "3"]),
    ("jax", "mnist-train", ["--epochs", "15", "--batch", "128", "--warmup", "3"]),
    ("jax", "cnn-infer", ["--model", "resnet18", "--batch", "64", "--seconds", "12", "--warmup", "3"]),
    ("jax", "gemm", ["--dtype", "float16", "--size", "8192", "--seconds", "12", "--warmup", "3"]),
    # The device's onnxruntime 1.30.0 wheel has no CUDAExecutionProvider: CPU runs (GPU idle).
    ("onnxruntime", "cnn-infer", ["--device", "cpu", "--model", "resnet18", "--batch", "8", "--seconds", "12", "--warmup", "3"]),
    ("onnxruntime", "gemm", ["--device", "cpu", "--dtype", "float32", "--size", "2048", "--seconds", "12", "--warmup", "3"]),
]

# `--sweep`: what the first validation left out. Batch sizes of ResNet-18 (latency against
# throughput), MobileNetV2, and memory bandwidth, at 100 Hz only.
SWEEP = [
    ("torch", "cnn-infer", ["--model", "resnet18", "--batch", "1", "--seconds", "12", "--warmup", "3"]),
    ("torch", "cnn-infer", ["--model", "resnet18", "--batch", "8", "--seconds", "12", "--warmup", "3"]),
    ("torch", "cnn-infer", ["--model", "resnet18", "--batch", "256", "--seconds", "12", "--warmup", "3"]),
    ("torch", "cnn-infer", ["--model", "mobilenetv2", "--batch", "64", "--seconds", "12", "--warmup", "3"]),
    ("torch", "cnn-infer", ["--model", "resnet18", "--batch", "64", "--dtype", "float16", "--seconds", "12", "--warmup", "3"]),
    ("jax", "cnn-infer", ["--model", "resnet18", "--batch", "1", "--seconds", "12", "--warmup", "3"]),
    ("jax", "cnn-infer", ["--model", "resnet18", "--batch", "256", "--seconds", "12", "--warmup", "3"]),
    ("torch", "membw", ["--seconds", "12", "--warmup", "3"]),
    ("jax", "membw", ["--seconds", "12", "--warmup", "3"]),
]


def write(handle, record):
    handle.write(json.dumps(record) + "\n")
    handle.flush()


def agent(arguments, tag, handle):
    command = [sys.executable, "-m", "jwb_agent"] + arguments
    started = time.time()
    process = subprocess.Popen(command, cwd=AGENT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    out, err = process.communicate()
    for line in out.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = {"type": "unparsed", "text": line}
        record["run"] = tag
        write(handle, record)
    write(handle, {"type": "run", "run": tag, "command": command, "exit_code": process.returncode, "wall_s": time.time() - started, "stderr_tail": err[-2000:]})
    return process.returncode


def counter_cadence(handle):
    """How often NVML's energy counter and power reading take a new value (polled at ~1 kHz for 2 s)."""
    from jwb_agent.nvml import Nvml

    nvml = Nvml()
    device = nvml.device(0)
    energy_changes, power_changes = [], []
    last_energy, last_power = None, None
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        now = time.monotonic()
        energy, power = nvml.total_energy_mj(device), nvml.power_mw(device)
        if energy != last_energy:
            energy_changes.append(now)
            last_energy = energy
        if power != last_power:
            power_changes.append(now)
            last_power = power
        time.sleep(0.001)

    def intervals(stamps):
        gaps = sorted(b - a for a, b in zip(stamps[1:], stamps[2:]))
        return {"changes": len(stamps), "median_interval_ms": 1000 * gaps[len(gaps) // 2] if gaps else None}

    write(handle, {"type": "nvml-cadence", "energy_counter": intervals(energy_changes), "power_usage": intervals(power_changes)})
    nvml.shutdown()


def call_costs(handle):
    """Thread CPU time of one NVML call and of one 10 ms sleep (the sampler's two costs)."""
    from jwb_agent.nvml import Nvml

    clock = time.CLOCK_THREAD_CPUTIME_ID
    nvml = Nvml()
    device = nvml.device(0)
    costs = {}
    calls = [("power_usage", lambda: nvml.power_mw(device)), ("total_energy", lambda: nvml.total_energy_mj(device))]
    calls.append(("power_instant", lambda: nvml.power_instant_mw(device)))
    for name, call in calls:
        try:
            started = time.clock_gettime(clock)
            for _ in range(1000):
                call()
            costs[name + "_us"] = (time.clock_gettime(clock) - started) * 1000.0
        except Exception as error:
            costs[name + "_error"] = str(error)
    started = time.clock_gettime(clock)
    for _ in range(100):
        time.sleep(0.01)
    costs["sleep_10ms_wakeup_us"] = (time.clock_gettime(clock) - started) * 10000.0
    write(handle, {"type": "call-costs", "costs": costs})
    nvml.shutdown()


def main():
    out_dir, data_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    source = "nvml"
    if "--source" in sys.argv:
        source = sys.argv[sys.argv.index("--source") + 1]
    rates = ["100", "10"]
    only = None
    if "--hz" in sys.argv:
        rates = sys.argv[sys.argv.index("--hz") + 1].split(",")
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    extras = "--extras" in sys.argv
    path = os.path.join(out_dir, "validation.jsonl")
    with open(path, "a") as handle:
        if extras:
            smi = subprocess.check_output(["nvidia-smi", "--query-gpu=name,driver_version,power.limit,memory.total", "--format=csv,noheader"], universal_newlines=True)
            write(handle, {"type": "nvidia-smi", "text": smi.strip()})
            agent(["probe"], {"name": "probe"}, handle)
            counter_cadence(handle)
            call_costs(handle)
            for hz in ("100", "10"):
                agent(["power", "--source", "nvml", "--hz", hz, "--seconds", "10"], {"name": "idle-sampler", "hz": float(hz)}, handle)
        matrix = SWEEP if "--sweep" in sys.argv else MATRIX
        for hz in rates:
            for framework, suite, arguments in matrix:
                if only and "%s:%s" % (framework, suite) not in only:
                    continue
                tag = {"name": "bench", "framework": framework, "suite": suite, "hz": float(hz), "source": source}
                device = [] if "--device" in arguments else ["--device", "cuda"]
                print("running %s %s %s Hz %s" % (framework, suite, hz, source), flush=True)
                agent(
                    ["bench", "--framework", framework, "--suite", suite, "--data", data_dir, "--power", source, "--power-hz", hz] + device + arguments,
                    tag,
                    handle,
                )


if __name__ == "__main__":
    main()
