"""The `tegrastats` power source: NVIDIA's own monitor, for boards where the INA3221 files
cannot be read. It is a slow source (one line per interval, 100 ms at the fastest), so the
sampler runs at the line rate and stamps each reading when its line arrives.

Rail formats in real lines (shared/reference/tegrastats-real.jsonl):
- JetPack 4 and older: bare milliwatts, `VDD_IN 3140/3208` (current/average);
- JetPack 5 and 6: `VDD_IN 4824mW/4824mW`;
- JetPack 7: three values, `VIN_SYS_5V0 5500mW/5500mW/5500mW`.
The first value is the current reading. `NC` rails (not connected, Orin) are skipped.
"""

import os
import re
import select
import subprocess
import time

from .protocol import AgentError, EXIT_POWER
from .rails import input_or_sum

# NAME value[mW]/value[mW][/value[mW]], each value bare or in mW and followed by a space or the
# end: `RAM 2020/7852MB` and `IRAM 0/252kB(…` are not rails because of their units.
_RAIL = re.compile(r"(?:^|\s)([A-Za-z][A-Za-z0-9_]*) (\d+)(?:mW)?/\d+(?:mW)?(?:/\d+(?:mW)?)?(?=\s|$)")

MIN_INTERVAL_MS = 100


def parse_rails(line):
    """[(rail, mW)] of one tegrastats line, in the order printed, `NC` rails left out."""
    return [(name, float(value)) for name, value in _RAIL.findall(line) if name != "NC"]


def interval_ms(hz):
    """tegrastats' --interval for a requested rate: the period in ms, at least 100 ms."""
    return max(MIN_INTERVAL_MS, int(round(1000.0 / hz)))


class TegrastatsSource(object):
    name = "tegrastats"
    # read() waits for the next line: the sampler stamps the reading when read() returns.
    blocking = True

    def __init__(self, hz=10.0, program="tegrastats"):
        self.interval_ms = interval_ms(hz)
        self.max_hz = 1000.0 / self.interval_ms
        self._timeout = max(1.0, 3.0 * self.interval_ms / 1000.0)
        self._buffer = b""
        self._last_text = ""
        try:
            self._process = subprocess.Popen(
                [program, "--interval", str(self.interval_ms)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except OSError as error:
            raise AgentError("power-unavailable", "tegrastats: %s" % error, EXIT_POWER)
        self._fd = self._process.stdout.fileno()
        try:
            rails = self._next_rails()
        except AgentError:
            self.close()
            raise
        self.rails = [name for name, _value in rails]

    def read(self):
        rails = dict(self._next_rails())
        values = [rails[name] for name in self.rails]  # a rail gone from the line is a read error
        return input_or_sum(self.rails, values), values

    def _next_rails(self):
        """The rails of the newest line that has any, waiting (up to the timeout) for one to arrive."""
        deadline = time.monotonic() + self._timeout
        while True:
            lines = self._complete_lines(deadline)
            for text in reversed(lines):
                rails = parse_rails(text)
                if rails:
                    return rails
            if lines:
                self._last_text = lines[-1]

    def _complete_lines(self, deadline):
        """Every complete line received so far, waiting until `deadline` when there is none."""
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AgentError("power-unavailable", "tegrastats printed no power rails for %.1f s%s" % (self._timeout, self._said()), EXIT_POWER)
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AgentError("power-unavailable", "tegrastats exited%s" % self._said(), EXIT_POWER)
            self._buffer += chunk
        # Take whatever else has already arrived too, so the newest line wins.
        while select.select([self._fd], [], [], 0)[0]:
            chunk = os.read(self._fd, 65536)
            if not chunk:
                break
            self._buffer += chunk
        complete, _, self._buffer = self._buffer.rpartition(b"\n")
        return [line for line in complete.decode("utf-8", "replace").split("\n") if line.strip()]

    def _said(self):
        return " (last line: %r)" % self._last_text[:120] if self._last_text else ""

    def close(self):
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()
