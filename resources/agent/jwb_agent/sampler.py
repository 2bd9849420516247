"""Power sampling thread: reads a source at up to 100 Hz on an absolute schedule,
keeps every sample for energy integration, and emits one batched `sample` line
per `batch_s` (arrays, not one line per reading, to keep the stream and its cost small).

Timestamps are time.monotonic(); the `power` start line carries a wall-clock anchor
(`anchor_wall` ~ `anchor_monotonic`) so readers can place samples on the wall clock.
The thread measures its own CPU time (CLOCK_THREAD_CPUTIME_ID) so its cost is reported.
"""

import json
import threading
import time

from . import energy
from .protocol import emit, emit_raw

MAX_HZ = 100.0


def _thread_cpu():
    # The thread_time() helper is 3.7+; clock_gettime exists from 3.3 on Unix.
    return time.clock_gettime(time.CLOCK_THREAD_CPUTIME_ID)


class Sampler(object):
    def __init__(self, source, hz=100.0, batch_s=0.1, emit_lines=True):
        if hz <= 0 or hz > MAX_HZ:
            raise ValueError("hz must be in (0, %g]" % MAX_HZ)
        self.source = source
        self.hz = float(hz)
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

    def start(self):
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
        cpu_start = _thread_cpu()
        wall_start = monotonic()
        next_read = wall_start
        next_batch = wall_start + batch_s
        while not self._stopping:
            now = monotonic()
            try:
                total, rails = read()
                # Stamp the reading at the middle of the read (an nvidia-smi call lasts tens of ms).
                add_time((now + monotonic()) * 0.5)
                add_total(total)
                if rail_lists is not None:
                    for index in range(len(rail_lists)):
                        rail_lists[index].append(rails[index])
            except Exception as error:  # a flaky sensor read must not end the run
                self.errors += 1
                self.last_error = str(error)
            if emit_lines and now >= next_batch:
                self._flush()
                next_batch = now + batch_s
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
        parts.append("}")
        emit_raw("".join(parts))

    def energy(self, start, end):
        """Energy in [start, end] (monotonic seconds) from the samples taken so far."""
        watts = [value / 1000.0 for value in self.total_mw[: len(self.times)]]
        return energy.integrate(self.times[: len(watts)], watts, start, end, max_gap=max(0.5, 5.0 / self.hz))

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
