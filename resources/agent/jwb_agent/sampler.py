"""Power sampling thread: reads a source at up to 100 Hz on an absolute schedule,
keeps every sample for energy integration, and emits one batched `sample` line
per `batch_s` (arrays, not one line per reading, to keep the stream and its cost small).

Timestamps are time.monotonic(); the `power` start line carries a wall-clock anchor
(`anchor_wall` ~ `anchor_monotonic`) so readers can place samples on the wall clock.
The thread measures its own CPU time (CLOCK_THREAD_CPUTIME_ID) so its cost is reported.
"""

import threading
import time

from . import energy
from .protocol import emit

MAX_HZ = 100.0


def _thread_cpu():
    # time.thread_time is 3.7+; clock_gettime exists from 3.3 on Unix.
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
        period = 1.0 / self.hz
        cpu_start = _thread_cpu()
        wall_start = time.monotonic()
        next_read = wall_start
        next_batch = wall_start + self.batch_s
        while not self._stopping:
            now = time.monotonic()
            try:
                total, rails = self.source.read()
                stamp = time.monotonic()
                # Stamp the reading at the middle of the read (a slow nvidia-smi call lasts tens of ms).
                self.times.append((now + stamp) / 2.0)
                self.total_mw.append(total)
                for index, value in enumerate(rails):
                    self.rail_mw[index].append(value)
            except Exception as error:  # a flaky sensor read must not end the run
                self.errors += 1
                self.last_error = str(error)
            if self.emit_lines and now >= next_batch:
                self._flush()
                next_batch = now + self.batch_s
            next_read += period
            delay = next_read - time.monotonic()
            if delay < 0:
                # Fell behind (GIL, slow sensor): skip the missed slots rather than bursting.
                next_read = time.monotonic()
                delay = 0
            if delay > 0:
                time.sleep(delay)
        if self.emit_lines:
            self._flush()
        self.cpu_seconds = _thread_cpu() - cpu_start
        self.wall_seconds = time.monotonic() - wall_start

    def _flush(self):
        end = len(self.times)
        if end <= self._sent:
            return
        start = self._sent
        self._sent = end
        line = {
            "source": self.source.name,
            "seq": start,
            "t": [round(value, 6) for value in self.times[start:end]],
            "total_mw": [round(value, 1) for value in self.total_mw[start:end]],
        }
        if len(self.source.rails) > 1:
            line["rails"] = dict(
                (name, [round(value, 1) for value in self.rail_mw[index][start:end]])
                for index, name in enumerate(self.source.rails)
            )
        emit("sample", **line)

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
