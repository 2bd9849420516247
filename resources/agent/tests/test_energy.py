import pytest

from jwb_agent.energy import integrate


def test_constant_power_over_a_window_cut_between_samples():
    times = [i * 0.1 for i in range(101)]  # 0..10 s
    result = integrate(times, [5.0] * 101, 2.05, 7.05)
    assert result["joules"] == pytest.approx(25.0)
    assert result["average_w"] == pytest.approx(5.0) and result["covered"]


def test_ramp_is_exact_under_the_trapezoid_rule():
    times = [i * 0.01 for i in range(1001)]
    watts = [10.0 * t for t in times]  # P = 10 t
    result = integrate(times, watts, 1.0, 9.0)
    assert result["joules"] == pytest.approx(5.0 * (81.0 - 1.0))  # ∫ 10 t dt = 5 t²


def test_step_counts_each_side_with_its_own_power():
    times = [i * 0.01 for i in range(201)]
    watts = [2.0 if t < 1.0 - 1e-9 else 12.0 for t in times]
    result = integrate(times, watts, 0.0, 2.0)
    # One sample period straddles the step: half of (12-2) W over 10 ms is the trapezoid's error.
    assert result["joules"] == pytest.approx(2.0 + 12.0 + 0.05, abs=1e-9)


def test_gaps_are_bridged_and_counted():
    times = [0.0, 0.1, 0.2, 2.2, 2.3]
    watts = [4.0, 4.0, 4.0, 8.0, 8.0]
    result = integrate(times, watts, 0.0, 2.3, max_gap=0.5)
    assert result["gaps"] == 1
    assert result["joules"] == pytest.approx(0.8 + 2.0 * 6.0 + 0.8)


def test_window_beyond_the_samples_holds_the_edge_power_and_says_so():
    result = integrate([1.0, 2.0], [3.0, 3.0], 0.0, 3.0)
    assert result["joules"] == pytest.approx(9.0) and not result["covered"]


def test_empty_and_invalid_inputs():
    assert integrate([], [], 0.0, 1.0)["joules"] == 0.0
    with pytest.raises(ValueError):
        integrate([0.0], [1.0, 2.0], 0.0, 1.0)
    with pytest.raises(ValueError):
        integrate([0.0], [1.0], 2.0, 1.0)


def square_wave(hz, seconds=20.0, period=2.0, duty=0.33, low=100.0, high=700.0, phase=0.123456):
    """Samples at `hz` of a load that is `high` for the first `duty` of each period, `low` after."""
    times = [i / float(hz) for i in range(int(seconds * hz) + 1)]
    return times, [high if ((t + phase) % period) < period * duty else low for t in times]


def test_halving_the_rate_shows_when_bursts_are_too_short_for_it():
    from jwb_agent.energy import half_rate_difference_pct

    truth = (100.0 + 0.33 * 600.0) * 16.0  # the square wave's mean power over 16 s
    for hz, off_by_more_than in ((1, 0.3), (10, 0.03)):
        times, watts = square_wave(hz)
        assert abs(integrate(times, watts, 2.0, 18.0)["joules"] - truth) / truth > off_by_more_than
        assert half_rate_difference_pct(times, watts, 2.0, 18.0) > 5.0
    times, watts = square_wave(100)
    assert integrate(times, watts, 2.0, 18.0)["joules"] == pytest.approx(truth, rel=0.002)
    assert half_rate_difference_pct(times, watts, 2.0, 18.0) < 1.0


def test_the_left_rectangle_rule_would_not_see_it():
    # Why quality does not compare the left-rectangle sum with the trapezoid: on evenly spaced
    # samples their difference telescopes to (last − first power) × period / 2, whatever happens between.
    times, watts = square_wave(1)
    rectangle = sum(watts[i] * (times[i + 1] - times[i]) for i in range(2, 18))
    trapezoid = integrate(times, watts, 2.0, 18.0)["joules"]
    assert abs(rectangle - trapezoid) == pytest.approx(abs(watts[18] - watts[2]) / 2.0)


def test_steady_power_is_ok_and_the_verdict_names_its_reason():
    from jwb_agent.energy import half_rate_difference_pct, quality

    times = [i * 0.01 for i in range(1001)]
    steady = half_rate_difference_pct(times, [50.0 + (i % 3) * 0.1 for i in range(1001)], 1.0, 9.0)
    assert steady < 0.01
    assert quality(800, steady) == {"ok": True, "reason": None, "samples": 800, "half_rate_pct": steady}
    assert quality(19, steady)["reason"] == "too-short"
    assert quality(800, 1.5) == {"ok": False, "reason": "too-bursty", "samples": 800, "half_rate_pct": 1.5}
