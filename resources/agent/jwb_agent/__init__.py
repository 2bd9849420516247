"""Jetson Workbench on-board agent.

Runs on the board (Python 3.6 of JetPack 4 up to 3.12), standard library only in
its core; framework adapters import their framework lazily. Every command speaks
JSON lines on stdout (see protocol.py and ../README.md).
"""

__version__ = "0.2.0"
