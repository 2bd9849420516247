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
