"""Power sampling thread: reads a source at up to 100 Hz on an absolute schedule,
keeps every sample for energy integration, and emits one batched `sample` line
per `batch_s` (arrays, not one line per reading, to keep the stream and its cost small),
with the board's loads and temperatures at that moment (loads.py) as often as their cost allows.

Timestamps are time.monotonic(); the `power` start line carries a wall-clock anchor
(`anchor_wall` ~ `anchor_monotonic`) so readers can place samples on the wall clock.
The thread measures its own CPU time (CLOCK_THREAD_CPUTIME_ID) so its cost is reported.
"""

import json
import threading
import time

from . import energy
from .loads import Loads
from .protocol import emit, emit_raw

MAX_HZ = 100.0
# The loads and temperatures cost far more than a power reading (~0.25 ms of the sampler thread
# a line on an H200, 40 µs in a tight loop; thermal zones can be slow on a board): they are added
# to a line only as often as keeps them under this share of a core.
LOADS_CPU_BUDGET = 0.001


def _thread_cpu():
    # The thread_time() helper is 3.7+; clock_gettime exists from 3.3 on Unix.
    return time.clock_gettime(time.CLOCK_THREAD_CPUTIME_ID)


class Sampler(object):
    def __init__(self, source, hz=100.0, batch_s=0.1, emit_lines=True):
        if hz <= 0 or hz > MAX_HZ:
            raise ValueError("hz must be in (0, %g]" % MAX_HZ)
        self.source = source
        # A slow source (tegrastats) sets the pace: sampling it faster would only repeat its values.
        self.hz = min(float(hz), getattr(source, "max_hz", MAX_HZ))
        self.batch_s = batch_s
        self.emit_lines = emit_lines
        self.times = []
        self.total_mw = []
        self.rail_mw = [[] for _ in source.rails]
        self.errors = 0
        self.last_error = None
        self.cpu_seconds = 0.0
        self.wall_seconds = 0.0
        # A plain flag plus time.sleep: Event.wait(timeout) costs more CPU per wake-up.
        self._stopping = False
        self._thread = None
        self._sent = 0
        self._loads = None
        self._loads_due = 0.0

    def start(self):
        if self.emit_lines:
            self._loads = Loads(self.source)
            # The first call pays one-off costs (on an H200, NVML's first utilisation query: ~4 ms) that
            # would space the next ones seconds apart; from here on, CPU load is measured against now.
            self._loads.fields()
        emit(
            "power",
            event="start",
            source=self.source.name,
            rails=self.source.rails,
            hz=self.hz,
            anchor_monotonic=time.monotonic(),
            anchor_wall=time.time(),
        )
        self._thread = threading.Thread(target=self._run, name="jwb-power")
        self._thread.daemon = True
        self._thread.start()

    def stop(self):
        self._stopping = True
        if self._thread is not None:
            self._thread.join()
        self.source.close()
        emit("power", event="stop", source=self.source.name, **self.stats())

    def _run(self):
        # Hot loop: everything bound to locals, one reading per wake-up, no allocation beyond
        # the appends; the thread's CPU time is reported, and must stay under 1 % of a core at 100 Hz.
        monotonic = time.monotonic
        sleep = time.sleep
        read = self.source.read
        add_time = self.times.append
        add_total = self.total_mw.append
        rail_lists = self.rail_mw if len(self.rail_mw) > 1 else None
        period = 1.0 / self.hz
        batch_s = self.batch_s
        emit_lines = self.emit_lines
        # A blocking read returns when the source's reading arrives: stamp it then, not mid-call,
        # and let the source set the pace (a sleep could only make the next stamp late).
        blocking = bool(getattr(self.source, "blocking", False))
        cpu_start = _thread_cpu()
        wall_start = monotonic()
        next_read = wall_start
        next_batch = wall_start + batch_s
        while not self._stopping:
            now = monotonic()
            try:
                total, rails = read()
                # Stamped when a blocking read returns, any other at the middle of the read (an
                # nvidia-smi call lasts tens of ms).
                after = monotonic()
                add_time(after if blocking else (now + after) * 0.5)
                add_total(total)
                if rail_lists is not None:
                    for index in range(len(rail_lists)):
                        rail_lists[index].append(rails[index])
            except Exception as error:  # a flaky sensor read must not end the run
                self.errors += 1
                self.last_error = str(error)
                if blocking:
                    sleep(period)  # a dead source fails at once: do not spin on it
            if emit_lines and now >= next_batch:
                self._flush()
                next_batch = now + batch_s
            if blocking:
                continue
            next_read += period
            delay = next_read - monotonic()
            if delay > 0:
                sleep(delay)
            elif delay < -period:
                # Fell far behind (GIL, slow sensor): skip the missed slots rather than bursting.
                next_read = monotonic()
        if emit_lines:
            self._flush()
        self.cpu_seconds = _thread_cpu() - cpu_start
        self.wall_seconds = monotonic() - wall_start

    def _flush(self):
        end = len(self.times)
        if end <= self._sent:
            return
        start = self._sent
        self._sent = end
        # Formatted by hand: json.dumps of the same dict costs several times more CPU,
        # and this runs in the sampler thread whose cost we promise to keep tiny.
        parts = [
            '{"type":"sample","source":"%s","seq":%d,"t":[' % (self.source.name, start),
            ",".join(["%.6f" % value for value in self.times[start:end]]),
            '],"total_mw":[',
            ",".join(["%.1f" % value for value in self.total_mw[start:end]]),
            "]",
        ]
        if len(self.rail_mw) > 1:
            rails = []
            for index, name in enumerate(self.source.rails):
                rails.append('%s:[%s]' % (json.dumps(name), ",".join(["%.1f" % value for value in self.rail_mw[index][start:end]])))
            parts.append(',"rails":{' + ",".join(rails) + "}")
        loads = self._due_loads()
        if loads:
            parts.append("," + json.dumps(loads, separators=(",", ":"))[1:-1])
        parts.append("}")
        emit_raw("".join(parts))

    def _due_loads(self):
        """The loads when their turn has come (see LOADS_CPU_BUDGET), else None."""
        now = time.monotonic()
        if now < self._loads_due:
            return None
        cpu = _thread_cpu()
        loads = self._loads.fields()
        self._loads_due = now + (_thread_cpu() - cpu) / LOADS_CPU_BUDGET
        return loads

    def energy(self, start, end):
        """Energy in [start, end] (monotonic seconds) from the samples taken so far."""
        times, watts = self._series()
        return energy.integrate(times, watts, start, end, max_gap=max(0.5, 5.0 / self.hz))

    def half_rate_pct(self, start, end):
        """How much the energy in [start, end] changes when every other sample is dropped (energy.py)."""
        times, watts = self._series()
        return energy.half_rate_difference_pct(times, watts, start, end)

    def _series(self):
        count = len(self.times)
        return self.times[:count], [value / 1000.0 for value in self.total_mw[:count]]

    def stats(self):
        count = len(self.times)
        achieved = None
        if count > 1:
            achieved = (count - 1) / (self.times[-1] - self.times[0])
        cpu_fraction = self.cpu_seconds / self.wall_seconds if self.wall_seconds > 0 else None
        return {
            "samples": count,
            "errors": self.errors,
            "last_error": self.last_error,
            "achieved_hz": achieved,
            "sampler_cpu_s": self.cpu_seconds,
            "sampler_wall_s": self.wall_seconds,
            "sampler_cpu_fraction": cpu_fraction,
        }
