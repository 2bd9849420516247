"""Command line: python3 -m jwb_agent probe | power | bench (see ../README.md)."""

import argparse
import sys
import time
import traceback

from . import __version__
from .protocol import AgentError, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, emit, emit_error


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise AgentError("usage", message, EXIT_USAGE)


def build_parser():
    from .bench import FRAMEWORKS, SUITES
    from .power_sources import SOURCE_NAMES

    parser = _Parser(prog="python3 -m jwb_agent", description="Jetson Workbench on-board agent %s" % __version__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("probe", help="hardware, software, frameworks and power sources as one JSON line")
    power = commands.add_parser("power", help="stream power samples")
    power.add_argument("--source", default="auto", choices=SOURCE_NAMES)
    power.add_argument("--hz", type=float, default=100.0)
    power.add_argument("--seconds", type=float, default=0.0, help="0 = until interrupted")
    bench = commands.add_parser("bench", help="run one benchmark suite")
    bench.add_argument("--suite", required=True, choices=SUITES)
    bench.add_argument("--framework", required=True, choices=FRAMEWORKS)
    bench.add_argument("--device", choices=("cuda", "cpu"), default=None, help="default: cuda when available")
    bench.add_argument("--batch", type=int, default=None)
    bench.add_argument("--epochs", type=int, default=None)
    bench.add_argument("--seconds", type=float, default=5.0, help="measured phase of timed suites")
    bench.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds of timed suites")
    bench.add_argument("--model", default=None, help="cnn-infer model: resnet18, mobilenetv2, lenet5")
    bench.add_argument("--dtype", default=None, help="gemm/cnn-infer: float32, float16, bfloat16")
    bench.add_argument("--size", type=int, default=None, help="gemm N, or membw MiB")
    bench.add_argument("--data", default=None, help="folder of MNIST-format idx files")
    bench.add_argument("--train-limit", type=int, default=None)
    bench.add_argument("--test-limit", type=int, default=None)
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--power", default=None, choices=SOURCE_NAMES)
    bench.add_argument("--power-hz", type=float, default=100.0)
    return parser


def main(argv=None):
    try:
        options = build_parser().parse_args(argv)
        if options.command is None:
            raise AgentError("usage", "a command is needed: probe, power or bench", EXIT_USAGE)
        return dispatch(options)
    except AgentError as error:
        emit_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        emit("error", code="interrupted", reason="interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:
        emit("error", code="internal", reason="%s: %s" % (type(error).__name__, error), trace=traceback.format_exc())
        return EXIT_INTERNAL


def dispatch(options):
    if options.command == "probe":
        from .probe import probe

        emit("probe", **probe())
        return 0
    if options.command == "power":
        return stream_power(options)
    from . import bench

    return bench.run(options)


def stream_power(options):
    from .power_sources import open_source
    from .sampler import Sampler

    if options.hz <= 0 or options.hz > 100:
        raise AgentError("usage", "--hz must be in (0, 100]", EXIT_USAGE)
    sampler = Sampler(open_source(options.source, options.hz), hz=options.hz)
    sampler.start()
    try:
        if options.seconds > 0:
            time.sleep(options.seconds)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sampler.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
