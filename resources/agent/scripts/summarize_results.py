"""Writes the Markdown report of a real-GPU validation from gpu_validation.py's JSON lines.

usage: python3 summarize_results.py validation.jsonl report.md
The notes at the end of the report are written by hand below the generated part.
"""

import json
import sys


def load(path):
    records = []
    with open(path) as handle:
        for line in handle:
            records.append(json.loads(line))
    return records


def fmt(value, digits=1):
    if value is None:
        return "—"
    if abs(value) >= 100:
        return "{:,.0f}".format(value)
    return ("{:.%df}" % digits).format(value)


def describe_workload(result):
    suite = result["suite"]
    if suite == "mnist-train":
        return "%s, batch %d, %d epochs on %d images" % (result["model"], result["batch"], result["epochs"], result["train_samples"])
    if suite == "cnn-infer":
        return "%s, batch %d, %s" % (result["model"], result["batch"], result["dtype"])
    if suite == "gemm":
        return "%d×%d×%d, %s" % (result["size"], result["size"], result["size"], result["dtype"])
    if suite == "membw":
        return "copy of %d MiB on the device" % (result["bytes"] // (1024 * 1024))
    return ""


def quality(result):
    suite = result["suite"]
    if suite == "mnist-train":
        return "test accuracy %.1f %%, %.2f s/epoch" % (100 * result["accuracy"], sum(result["epoch_seconds"]) / len(result["epoch_seconds"]))
    if suite == "cnn-infer":
        latency = result["latency_ms"]
        return "latency p50 %.2f / p90 %.2f / p99 %.2f ms" % (latency["p50"], latency["p90"], latency["p99"])
    if suite == "gemm":
        return "%.1f TFLOP/s" % result["tflops"]
    if suite == "membw":
        return "%.0f GB/s (read + write)" % result["gb_per_s"]
    return ""


def main():
    records = load(sys.argv[1])
    results = [r for r in records if r["type"] == "result" and r.get("status") == "ok"]
    probe = [r for r in records if r["type"] == "probe"][0]
    smi = [r for r in records if r["type"] == "nvidia-smi"][0]["text"]
    cadence = [r for r in records if r["type"] == "nvml-cadence"][0]
    costs = [r for r in records if r["type"] == "call-costs"][0]["costs"]
    idle = [r for r in records if r["type"] == "power" and r.get("event") == "stop" and r["run"]["name"] == "idle-sampler"]
    frameworks = probe["software"]["frameworks"]
    out = []
    add = out.append
    add("## Environment\n")
    add("- GPU and driver (nvidia-smi: name, driver, power limit, memory): `%s`" % smi)
    add("- Host: %d CPU cores, %.0f GiB RAM, kernel %s, Python %s" % (
        probe["hardware"]["cpu_count"], probe["hardware"]["ram_kib"] / 1048576.0, probe["hardware"]["kernel"], probe["software"]["python"]))
    versions = []
    for name in ("torch", "jax", "onnxruntime", "onnx", "numpy", "tensorflow", "tensorrt"):
        entry = frameworks.get(name, {})
        if entry.get("installed"):
            extra = ""
            if "cuda" in entry:
                extra = ", CUDA %s" % ("yes" if entry["cuda"] else "NO")
            if entry.get("providers"):
                extra += " (providers: %s)" % ", ".join(entry["providers"])
            versions.append("%s %s%s" % (name, entry["version"], extra))
        else:
            versions.append("%s not installed" % name)
    add("- Frameworks (agent `probe`): " + "; ".join(versions))
    add("- Power source: NVML through ctypes, `nvmlDeviceGetPowerUsage` (mW); reference: `nvmlDeviceGetTotalEnergyConsumption` (mJ).")
    add("- NVML cadence (polled at ~1 kHz for 2 s, idle): energy counter changes every %.0f ms, power reading every %.0f ms." % (
        cadence["energy_counter"]["median_interval_ms"], cadence["power_usage"]["median_interval_ms"]))
    add("- CPU time per call (thread CPU clock, 1000 calls): nvmlDeviceGetPowerUsage %.1f µs, NVML_FI_DEV_POWER_INSTANT field %.1f µs, "
        "nvmlDeviceGetTotalEnergyConsumption %.0f µs; one 10 ms sleep's wake-up %.0f µs.\n" % (
            costs.get("power_usage_us", 0), costs.get("power_instant_us", 0), costs.get("total_energy_us", 0), costs.get("sleep_10ms_wakeup_us", 0)))

    add("## Results (power from NVML at 100 Hz; energy between the agent's `begin`/`end` markers)\n")
    add("| framework | device | suite | workload | throughput | avg W | J/sample | measured s | quality |")
    add("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
    for result in results:
        energy = result["energy"]
        if energy["source"] != "nvml" or energy["hz"] != 100.0:
            continue
        add("| %s %s | %s | %s | %s | %s %s | %s | %s | %.1f | %s |" % (
            result["framework"], result["framework_version"], result["device"], result["suite"], describe_workload(result),
            fmt(result["throughput"]), result["throughput_unit"], fmt(energy["average_w"]),
            "%.4g" % energy["j_per_sample"], result["seconds"], quality(result)))
    add("")
    add("## Energy: our sampler against NVML's hardware counter\n")
    add("Same run, same window: the window starts and ends at ticks of the energy counter found next to the markers "
        "(the workload keeps running while the agent waits for the tick), and our trapezoid integral of the power samples "
        "is taken over exactly that window. Difference = (ours − counter) / counter.\n")
    add("| framework | suite | source | rate | samples/s achieved | counter J | ours J | difference | sampler CPU (one core) |")
    add("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = {}
    for result in results:
        energy = result["energy"]
        counter = energy["counter"]
        key = (energy["source"], energy["hz"])
        worst[key] = max(worst.get(key, 0.0), abs(counter["difference_pct"]))
        add("| %s | %s | %s | %g Hz | %.1f | %.1f | %.1f | %+.3f %% | %.2f %% |" % (
            result["framework"], result["suite"], energy["source"], energy["hz"], energy["achieved_hz"],
            counter["counter_joules"], counter["sampler_joules"], counter["difference_pct"], 100 * energy["sampler_cpu_fraction"]))
    add("")
    for (source, hz), value in sorted(worst.items()):
        add("- Largest |difference| with %s at %g Hz: **%.3f %%** (limit 1.5 %% at 100 Hz)." % (source, hz, value))
    add("")
    add("## Sampler overhead\n")
    add("CPU time of the sampler thread (CLOCK_THREAD_CPUTIME_ID) divided by its wall time, reading, storing and "
        "emitting one JSON line per 100 ms included.\n")
    add("| situation | rate | CPU of one core |")
    add("| --- | ---: | ---: |")
    for record in idle:
        add("| idle GPU, `power --source nvml` for 10 s | %g Hz | %.2f %% |" % (record["run"]["hz"], 100 * record["sampler_cpu_fraction"]))
    for hz in (100.0, 10.0):
        fractions = [r["energy"]["sampler_cpu_fraction"] for r in results if r["energy"]["hz"] == hz]
        if fractions:
            add("| during the benchmark runs above (max of %d) | %g Hz | %.2f %% |" % (len(fractions), hz, 100 * max(fractions)))
    add("")
    with open(sys.argv[2], "w") as handle:
        handle.write("\n".join(out))


if __name__ == "__main__":
    main()
