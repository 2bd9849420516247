"""Writes the tables of docs/results/*-energy-counter.md from energy_counter_validation.py's lines.

usage: python3 summarize_energy_counter.py validation.jsonl > tables.md
The notes of the report are written by hand below the generated part.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from jwb_agent.energy import integrate, quality  # noqa: E402


def load(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle]


def key(run):
    return json.dumps(run, sort_keys=True)


def series(records, run):
    times, watts = [], []
    for record in records:
        if record["type"] == "sample" and record["run"] == run:
            times.extend(record["t"])
            watts.extend(value / 1000.0 for value in record["total_mw"])
    return times, watts


def rect_vs_trapezoid_pct(times, watts, start, end):
    """The left-rectangle sum against the trapezoid over the samples inside [start, end], in %."""
    inside = [(t, w) for t, w in zip(times, watts) if start <= t <= end]
    rectangle = sum(w0 * (t1 - t0) for (t0, w0), (t1, _w1) in zip(inside, inside[1:]))
    trapezoid = sum((w0 + w1) * (t1 - t0) / 2.0 for (t0, w0), (t1, w1) in zip(inside, inside[1:]))
    return 100.0 * (rectangle - trapezoid) / trapezoid


def describe(result):
    if result["suite"] == "square-wave":
        return "square wave, %g s period, %d %% duty" % (result["period"], round(100 * result["duty"]))
    if result["suite"] == "gemm":
        return "gemm %d³ %s" % (result["size"], result["dtype"])
    return "cnn-infer %s batch %d" % (result["model"], result["batch"])


def row(records, result):
    energy = result["energy"]
    counter = energy["counter"]
    times, watts = series(records, result["run"])
    begin = [r["t"] for r in records if r["type"] == "begin" and r["run"] == result["run"]][0]
    end = [r["t"] for r in records if r["type"] == "end" and r["run"] == result["run"]][0]
    # The sample lines hold the run (rounded to 0.1 mW and 1 µs).
    assert abs(integrate(times, watts, begin, end)["joules"] / energy["integral_joules"] - 1) < 1e-4
    # What the half-rate test says of the integral, had it been the headline (the counter's never is "too bursty").
    judged = quality(energy["samples_in_window"], energy["quality"]["half_rate_pct"])
    cells = [
        describe(result),
        energy["source"],
        "%g Hz" % result["run"]["hz"],
        "%.1f" % energy["hz"],
        energy["method"],
        "%.1f" % energy["joules"],
        "%.1f" % energy["integral_joules"],
        "%.1f" % counter["counter_joules"],
        "%.1f" % counter["sampler_joules"],
        "%+.2f %%" % counter["difference_pct"],
        "%.3f %%" % judged["half_rate_pct"],
        "%+.3f %%" % rect_vs_trapezoid_pct(times, watts, begin, end),
        judged["reason"] or "ok",
        "%.2f %%" % (100 * energy["sampler_cpu_fraction"]),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = [
    "load",
    "source",
    "rate",
    "achieved Hz",
    "method",
    "`joules`",
    "`integral_joules`",
    "counter J (tick window)",
    "integral J (tick window)",
    "`difference_pct`",
    "`half_rate_pct`",
    "rect − trapezoid",
    "integral's verdict",
    "sampler CPU",
]


def main():
    records = load(sys.argv[1])
    results = [r for r in records if r["type"] == "result" and r.get("status") == "ok" and not r["run"].get("costs")]
    print("| " + " | ".join(HEADER) + " |")
    print("| " + " | ".join("---" for _ in HEADER) + " |")
    for result in results:
        print(row(records, result))
    for record in records:
        if record["type"] == "power" and record.get("event") == "stop" and record["run"]["name"] == "idle-sampler":
            print("\nidle `power --source %s --hz 100`: sampler CPU %.2f %% of a core" % (record["source"], 100 * record["sampler_cpu_fraction"]))


if __name__ == "__main__":
    main()
