"""Resolves board paths under $JWB_SIM_ROOT (the simulator's board folder; `/` on a real board)."""

import os


def root():
    return os.environ.get("JWB_SIM_ROOT") or "/"


def path(board_path):
    return os.path.join(root(), board_path.lstrip("/"))


def read_text(board_path, default=None):
    try:
        with open(path(board_path), "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except (IOError, OSError):
        return default
