"""Loops shared by the adapters: warm-up then a timed measured phase."""

import time

from ..stats import latency_summary


def timed_calls(call, sync, phase, seconds, warmup_seconds, items_per_call, min_iterations=5):
    """Warm-up for `warmup_seconds`, then `begin`, call repeatedly for `seconds`, `end`.

    `sync()` waits for the device so each latency covers finished work.
    """
    phase.warmup_started()
    call()
    sync()
    # The first call may compile (JAX, ONNX Runtime): time the warm-up from after it, so the
    # device has run the workload for `warmup_seconds` (NVML's power is a 1 s average on Ampere+).
    started = time.monotonic()
    while time.monotonic() - started < warmup_seconds:
        call()
        sync()
    latencies = []

    def work():
        call()
        sync()

    phase.begin(work)
    measured = time.monotonic()
    while True:
        before = time.monotonic()
        call()
        sync()
        after = time.monotonic()
        latencies.append(after - before)
        if after - measured >= seconds and len(latencies) >= min_iterations:
            break
    phase.end(work)
    return latency_summary(latencies, items_per_call)


def no_sync():
    return None


def gemm_metrics(summary, size):
    flops = 2.0 * size * size * size
    mean_s = summary["latency_ms"]["mean"] / 1000.0
    summary["tflops"] = flops / mean_s / 1e12
    summary["size"] = size
    summary["throughput_unit"] = "matmul/s"
    return summary


def membw_metrics(summary, nbytes):
    # Bytes read plus bytes written, the usual STREAM-copy convention.
    mean_s = summary["latency_ms"]["mean"] / 1000.0
    summary["gb_per_s"] = 2.0 * nbytes / mean_s / 1e9
    summary["bytes"] = nbytes
    summary["throughput_unit"] = "copies/s"
    return summary


def train_epochs(phase, epochs, run_epoch, step, warmup_seconds):
    """Warm-up (`step` repeated for `warmup_seconds`, at least 5 times), `begin`, `epochs`
    calls of run_epoch(index) -> loss, `end`.

    `step` is one synchronised training step; it also keeps the device busy while the
    phase aligns with the hardware energy counter. Warm-up steps train the model too."""
    phase.warmup_started()
    step()
    started = time.monotonic()
    count = 1
    while count < 5 or time.monotonic() - started < warmup_seconds:
        step()
        count += 1
    phase.begin(step)
    times = []
    losses = []
    for index in range(epochs):
        started = time.monotonic()
        loss = run_epoch(index)
        times.append(time.monotonic() - started)
        losses.append(loss)
        phase.progress(stage="epoch", epoch=index + 1, epochs=epochs, seconds=times[-1], loss=loss)
    phase.end(step)
    return times, losses
