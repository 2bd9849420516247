"""The agent must run on Python 3.6 (JetPack 4): every file parses with 3.6 grammar."""

import ast
import os
import sys

from conftest import AGENT_ROOT


def agent_files():
    found = []
    for folder, _dirs, files in os.walk(os.path.join(AGENT_ROOT, "jwb_agent")):
        found.extend(os.path.join(folder, name) for name in files if name.endswith(".py"))
    return sorted(found)


def test_every_agent_file_parses_with_python_3_6_grammar():
    files = agent_files()
    assert len(files) >= 15
    # Python 3.13 dropped feature versions below 3.7; use the oldest it accepts there.
    version = (3, 6) if sys.version_info < (3, 13) else (3, 7)
    for path in files:
        with open(path) as handle:
            source = handle.read()
        ast.parse(source, filename=path, feature_version=version)


def test_the_grammar_check_rejects_newer_syntax():
    # Guards the test above: a walrus must fail under feature_version (3, 6)/(3, 7).
    version = (3, 6) if sys.version_info < (3, 13) else (3, 7)
    try:
        ast.parse("if (x := 1):\n    pass\n", feature_version=version)
    except SyntaxError:
        return
    raise AssertionError("walrus accepted by a 3.6 grammar check")


def test_no_3_7_only_library_calls():
    # ast cannot see library APIs newer than 3.6; these are the ones easy to slip in.
    forbidden = ("time.thread_time", "capture_output=", "text=True", "from __future__ import annotations", "dataclasses", "math.prod", "nullcontext")
    for path in agent_files():
        with open(path) as handle:
            source = handle.read()
        for word in forbidden:
            assert word not in source, "%s uses %s (not in Python 3.6)" % (path, word)
