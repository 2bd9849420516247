"""JSON-lines protocol: one JSON object per stdout line, written atomically.

Line types: probe, progress, begin, end, result, sample, power, error.
The sampler thread and the main thread both write, hence the lock.
"""

import json
import sys
import threading

# Exit codes (documented in ../README.md).
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NOT_INSTALLED = 3
EXIT_UNSUPPORTED = 4
EXIT_DATA = 5
EXIT_POWER = 6
EXIT_INTERRUPTED = 130

_lock = threading.Lock()
_stream = [sys.stdout]


def set_stream(stream):
    """Redirects output (tests)."""
    _stream[0] = stream


def emit(kind, **fields):
    """Writes one line `{"type": kind, ...fields}` and flushes it."""
    record = {"type": kind}
    record.update(fields)
    line = json.dumps(record, separators=(",", ":"), sort_keys=False, default=_fallback)
    with _lock:
        stream = _stream[0]
        stream.write(line + "\n")
        stream.flush()


def emit_raw(line):
    """Writes a line already formatted as JSON (the sampler's hot path)."""
    with _lock:
        stream = _stream[0]
        stream.write(line + "\n")
        stream.flush()


def _fallback(value):
    # numpy scalars and similar: keep the number, never fail the line.
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


class AgentError(Exception):
    """An error with a stable code and a human reason; becomes one `error` line."""

    def __init__(self, code, reason, exit_code=EXIT_INTERNAL):
        Exception.__init__(self, reason)
        self.code = code
        self.reason = reason
        self.exit_code = exit_code


def emit_error(error):
    emit("error", code=error.code, reason=error.reason)
