"""A bursty GPU load measured the way `bench` measures a suite, for the energy validation.

For the first `duty` of each `period` the GPU runs bf16 8192³ matrix products back to back,
and it idles for the rest. Power is sampled by the agent's Sampler, the markers sit on NVML
energy-counter ticks (bench.Phase) and the result's `energy` is bench.energy_report's: the
same JSON lines as `python3 -m jwb_agent bench`, with `suite: square-wave`.

usage: python3 square_wave.py --power SOURCE --power-hz N --period S [--duty 0.5] [--seconds 8]
"""

import argparse
import os
import sys
import time

AGENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, AGENT_ROOT)

from jwb_agent.bench import Phase, energy_report  # noqa: E402
from jwb_agent.power_sources import open_source  # noqa: E402
from jwb_agent.protocol import emit  # noqa: E402
from jwb_agent.sampler import Sampler  # noqa: E402


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--power", required=True)
    parser.add_argument("--power-hz", type=float, required=True)
    parser.add_argument("--period", type=float, required=True)
    parser.add_argument("--duty", type=float, default=0.5)
    parser.add_argument("--seconds", type=float, default=8.0)
    return parser.parse_args()


def burst_unit():
    """One synchronised bf16 matrix product (~1.5 ms on an H100/H200)."""
    import torch

    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)

    def unit():
        torch.matmul(a, b)
        torch.cuda.synchronize()

    for _ in range(50):
        unit()
    return unit


def square_wave(unit, seconds, period, duty):
    """Runs the wave for `seconds`; returns how many units ran."""
    start = time.monotonic()
    units = 0
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= seconds:
            return units
        into = elapsed % period
        if into < duty * period:
            unit()
            units += 1
        else:
            time.sleep(min(period - into, seconds - elapsed))


def main():
    options = arguments()
    unit = burst_unit()
    sampler = Sampler(open_source(options.power, options.power_hz), hz=options.power_hz)
    sampler.start()
    time.sleep(1.0)  # the GPU idles first, so the wave starts from the low level
    phase = Phase(sampler, 0.0)
    phase.begin(unit)
    units = square_wave(unit, options.seconds, options.period, options.duty)
    phase.end(unit)
    time.sleep(2.0 / sampler.hz + 0.05)
    sampler.stop()
    emit(
        "result",
        status="ok",
        suite="square-wave",
        framework="torch",
        device="cuda",
        period=options.period,
        duty=options.duty,
        seconds=phase.end_time - phase.begin_time,
        samples_processed=units,
        energy=energy_report(sampler, phase, units),
    )


if __name__ == "__main__":
    main()
