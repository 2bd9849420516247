"""Energy between two instants from timestamped power samples (trapezoid rule).

Samples are (t seconds, watts) in increasing t. The window [start, end] is cut
exactly: the power at a cut is linearly interpolated between its neighbours, so
a run's energy does not depend on where the samples fall. A gap longer than
`max_gap` seconds is still bridged linearly but counted in `gaps` so callers can
flag the figure.
"""


def _interpolate(t0, p0, t1, p1, t):
    if t1 == t0:
        return p0
    return p0 + (p1 - p0) * (t - t0) / (t1 - t0)


def integrate(times, watts, start, end, max_gap=None):
    """Returns dict(joules, seconds, average_w, samples, gaps, covered).

    `covered` is False when the samples do not reach both ends of the window
    (then the missing edge is held at the nearest sample's power).
    """
    count = len(times)
    if count != len(watts):
        raise ValueError("times and watts differ in length")
    if end < start:
        raise ValueError("end before start")
    if count == 0:
        return {"joules": 0.0, "seconds": end - start, "average_w": None, "samples": 0, "gaps": 0, "covered": False}
    covered = times[0] <= start and times[-1] >= end
    # Points inside the window, plus the two cut points.
    points = []
    points.append((start, _power_at(times, watts, start)))
    inside = 0
    for index in range(count):
        if start < times[index] < end:
            points.append((times[index], watts[index]))
            inside += 1
    points.append((end, _power_at(times, watts, end)))
    joules = 0.0
    gaps = 0
    for index in range(1, len(points)):
        t0, p0 = points[index - 1]
        t1, p1 = points[index]
        joules += (t1 - t0) * (p0 + p1) / 2.0
    if max_gap is not None:
        for index in range(1, count):
            if times[index] > start and times[index - 1] < end and times[index] - times[index - 1] > max_gap:
                gaps += 1
    seconds = end - start
    average = joules / seconds if seconds > 0 else None
    return {"joules": joules, "seconds": seconds, "average_w": average, "samples": inside, "gaps": gaps, "covered": covered}


def _power_at(times, watts, t):
    """Power at t: linear between the samples around t, the edge sample outside them."""
    if t <= times[0]:
        return watts[0]
    if t >= times[-1]:
        return watts[-1]
    low, high = 0, len(times) - 1
    while high - low > 1:
        middle = (low + high) // 2
        if times[middle] <= t:
            low = middle
        else:
            high = middle
    return _interpolate(times[low], watts[low], times[high], watts[high], t)


def half_rate_difference_pct(times, watts, start, end):
    """How far the energy in [start, end] moves when every other sample is dropped, in % of it:
    the larger change of the even-indexed and the odd-indexed half series.

    A cheap estimate of the discretisation error (step halving): where the samples are dense
    enough for the load, dropping half of them hardly changes the integral; where the load
    changes between samples (bursts shorter than a few periods), it changes a lot. None when
    there are too few samples or no energy.
    """
    full = integrate(times, watts, start, end)["joules"]
    if len(times) < 4 or full <= 0:
        return None
    worst = 0.0
    for offset in (0, 1):
        half = integrate(times[offset::2], watts[offset::2], start, end)["joules"]
        worst = max(worst, abs(half - full))
    return 100.0 * worst / full


MIN_SAMPLES = 20
MAX_HALF_RATE_PCT = 1.0


def quality(samples, half_rate_pct, counter=False):
    """The verdict on a run's energy figure: `too-short` (fewer than MIN_SAMPLES in the window)
    or `too-bursty` (the half-rate test moves the integral by more than MAX_HALF_RATE_PCT). A
    figure from a hardware counter is never too bursty: the counter integrates in hardware."""
    reason = None
    if samples < MIN_SAMPLES:
        reason = "too-short"
    elif not counter and half_rate_pct is not None and half_rate_pct > MAX_HALF_RATE_PCT:
        reason = "too-bursty"
    return {"ok": reason is None, "reason": reason, "samples": samples, "half_rate_pct": half_rate_pct}
