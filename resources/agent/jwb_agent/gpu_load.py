"""GPU-busy signal for the simulated board: its power model reads $JWB_SIM_GPU_LOAD_FILE (0..1)."""

import os


def write(fraction):
    target = os.environ.get("JWB_SIM_GPU_LOAD_FILE")
    if not target:
        return
    try:
        with open(target, "w") as handle:
            handle.write("%.3f" % max(0.0, min(1.0, float(fraction))))
    except (IOError, OSError):
        pass  # the signal is advisory; never fail a benchmark over it
