"""TensorFlow adapter: matmul and a tensor copy (tf.function); training and CNN
inference are not implemented yet and answer `unsupported`."""

from ..bench import Unsupported, import_framework
from . import common, simulated

SUITES = ("gemm", "membw")


def check(options):
    tf = import_framework("tensorflow")
    if simulated.is_simulated(tf):
        return simulated.info(tf)
    gpus = tf.config.list_physical_devices("GPU")
    if options.device is None:
        options.device = "cuda" if gpus else "cpu"
    if options.device == "cuda" and not gpus:
        raise Unsupported("tensorflow %s sees no GPU" % tf.__version__)
    return {"framework_version": tf.__version__, "device": options.device}


def run(suite, options, phase):
    tf = import_framework("tensorflow")
    if simulated.is_simulated(tf):
        return simulated.run(suite, options, phase)
    name = "/GPU:0" if options.device == "cuda" else "/CPU:0"
    holder = [None]
    with tf.device(name):
        if suite == "gemm":
            size = options.size or (8192 if options.device == "cuda" else 1024)
            a = tf.random.normal((size, size))
            b = tf.random.normal((size, size))
            matmul = tf.function(lambda: tf.matmul(a, b))

            def call():
                holder[0] = matmul()

            summary = common.timed_calls(call, lambda: holder[0].numpy()[0, 0], phase, options.seconds, options.warmup, 1)
            summary["dtype"] = "float32"
            return common.gemm_metrics(summary, size)
        nbytes = (options.size or 256) * 1024 * 1024
        source = tf.ones(nbytes // 4)
        add = tf.function(lambda: source + 1.0)

        def call():
            holder[0] = add()

        summary = common.timed_calls(call, lambda: holder[0][0].numpy(), phase, options.seconds, options.warmup, 1)
        return common.membw_metrics(summary, nbytes)
