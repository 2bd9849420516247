"""The `energy` object of a bench result: which figure is the headline (`method`), and the
verdict on the sampling (`quality`)."""

import pytest

from jwb_agent.bench import Phase, energy_report
from jwb_agent.sampler import Sampler


class Source(object):
    name = "nvml"
    rails = ["GPU"]


def sampled(hz, seconds, watts):
    """A sampler that has already taken `watts(t)` at `hz` for `seconds` (no thread, no lines)."""
    sampler = Sampler(Source(), hz=hz, emit_lines=False)
    for index in range(int(seconds * hz) + 1):
        t = index / float(hz)
        sampler.times.append(t)
        sampler.total_mw.append(watts(t) * 1000.0)
    return sampler


def phase(begin, end, counter=None):
    marks = Phase(None, 0.0)
    marks.begin_time, marks.end_time = begin, end
    if counter is not None:
        (start, first, ticked_begin), (stop, last, ticked_end) = counter
        marks.counter_begin = (start, first, ticked_begin)
        marks.counter_end = (stop, last, ticked_end)
    return marks


def test_the_counter_is_the_headline_over_the_marker_window():
    sampler = sampled(100, 12.0, lambda t: 500.0)
    # The counter ticked 40 ms before `begin` and 70 ms after `end`, and counted 515 W meanwhile.
    counter = ((0.96, 1000000, True), (11.07, 1000000 + int(515.0 * 10.11 * 1000), True))
    report = energy_report(sampler, phase(1.0, 11.0, counter), samples_processed=1000)
    assert report["method"] == "counter"
    # The counter's 10.11 s, less the 40 + 70 ms outside the markers as our samples measured them.
    assert report["joules"] == pytest.approx(515.0 * 10.11 - 500.0 * 0.11, abs=0.01)
    assert report["average_w"] == pytest.approx(report["joules"] / 10.0)
    assert report["integral_joules"] == pytest.approx(5000.0)
    assert report["difference_pct"] == pytest.approx(100.0 * (500.0 - 515.0) / 515.0, abs=1e-3)
    assert report["j_per_sample"] == pytest.approx(report["joules"] / 1000)
    assert report["counter"]["counter_joules"] == pytest.approx(515.0 * 10.11, abs=0.01)
    assert report["source"] == "nvml" and report["hz"] == pytest.approx(100.0, rel=0.02)
    assert report["quality"] == {"ok": True, "reason": None, "samples": 999, "half_rate_pct": pytest.approx(0.0, abs=1e-9)}


def test_without_a_usable_counter_the_integral_is_the_headline():
    sampler = sampled(100, 12.0, lambda t: 500.0)
    stale = ((0.5, 1000, False), (11.5, 2000, True))  # no tick before `begin` within the deadline
    for marks in (phase(1.0, 11.0), phase(1.0, 11.0, stale)):
        report = energy_report(sampler, marks, samples_processed=None)
        assert report["method"] == "integral" and "difference_pct" not in report
        assert report["joules"] == report["integral_joules"] == pytest.approx(5000.0)
        assert "j_per_sample" not in report
    assert report["counter"]["aligned_to_ticks"] is False


def test_a_short_run_and_a_bursty_one_are_flagged():
    short = energy_report(sampled(10, 3.0, lambda t: 5.0), phase(0.5, 2.0), None)
    assert short["quality"]["ok"] is False and short["quality"]["reason"] == "too-short"
    assert short["samples_in_window"] == 14 and short["hz"] == pytest.approx(14 / 1.5)
    bursty = energy_report(sampled(10, 30.0, lambda t: 700.0 if (t + 0.123456) % 2.0 < 0.66 else 100.0), phase(2.0, 28.0), None)
    assert bursty["quality"]["reason"] == "too-bursty" and bursty["quality"]["half_rate_pct"] > 1.0


def test_a_counted_figure_is_not_judged_by_the_sampling():
    # A square wave sampled at 1 Hz: the samples are far off, the hardware counter is not.
    sampler = sampled(1, 30.0, lambda t: 700.0 if (t + 0.123456) % 2.0 < 0.66 else 100.0)
    counter = ((1.9, 0, True), (28.1, int(298.0 * 26.2 * 1000), True))
    report = energy_report(sampler, phase(2.0, 28.0, counter), None)
    assert report["method"] == "counter" and report["quality"]["half_rate_pct"] > 1.0
    assert report["quality"]["ok"] is True
