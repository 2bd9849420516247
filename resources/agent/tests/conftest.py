"""Shared helpers: the agent package on sys.path, a fake sysfs tree under JWB_SIM_ROOT,
and a runner for `python3 -m jwb_agent` that parses its JSON lines."""

import json
import os
import subprocess
import sys

import pytest

AGENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if AGENT_ROOT not in sys.path:
    sys.path.insert(0, AGENT_ROOT)


def write(root, relative, text):
    path = os.path.join(str(root), relative)
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        os.makedirs(folder)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def run_agent(arguments, env=None, timeout=120):
    """Runs the agent; returns (exit code, [parsed lines], stderr). Fails on a non-JSON stdout line."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = AGENT_ROOT + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    process = subprocess.run(
        [sys.executable, "-m", "jwb_agent"] + list(arguments),
        cwd=AGENT_ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=timeout,
    )
    lines = []
    for text in process.stdout.splitlines():
        record = json.loads(text)  # every stdout line must be JSON
        assert "type" in record
        lines.append(record)
    return process.returncode, lines, process.stderr


@pytest.fixture
def sim_root(tmp_path, monkeypatch):
    monkeypatch.setenv("JWB_SIM_ROOT", str(tmp_path))
    return tmp_path
