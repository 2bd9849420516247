"""NumPy reference adapter: runs anywhere numpy does (CPU only).

mnist-train is a 784-256-10 MLP (ReLU, softmax cross-entropy, SGD with momentum)
trained on MNIST-format idx files; cnn-infer is a LeNet-5 forward pass (im2col);
gemm is float32 matmul; membw is a large array copy.
"""

from ..bench import NotInstalled, Unsupported, data_dir, import_framework
from ..idx import load_mnist
from . import common

SUITES = ("mnist-train", "cnn-infer", "gemm", "membw")


def check(options):
    numpy = import_framework("numpy")
    if options.device == "cuda":
        raise Unsupported("the NumPy reference runs on the CPU only (use --device cpu)")
    return {"framework_version": numpy.__version__, "device": "cpu"}


def run(suite, options, phase):
    numpy = import_framework("numpy")
    if suite == "mnist-train":
        return mnist_train(numpy, options, phase)
    if suite == "cnn-infer":
        return cnn_infer(numpy, options, phase)
    if suite == "gemm":
        size = options.size or 1024
        rng = numpy.random.RandomState(0)
        a = rng.standard_normal((size, size)).astype(numpy.float32)
        b = rng.standard_normal((size, size)).astype(numpy.float32)
        out = numpy.empty_like(a)
        summary = common.timed_calls(lambda: numpy.matmul(a, b, out=out), common.no_sync, phase, options.seconds, options.warmup, 1)
        summary["dtype"] = "float32"
        return common.gemm_metrics(summary, size)
    if suite == "membw":
        nbytes = (options.size or 64) * 1024 * 1024
        source = numpy.ones(nbytes // 4, dtype=numpy.float32)
        target = numpy.empty_like(source)
        summary = common.timed_calls(lambda: numpy.copyto(target, source), common.no_sync, phase, options.seconds, options.warmup, 1)
        return common.membw_metrics(summary, nbytes)
    raise Unsupported("numpy has no suite %s" % suite)


def prepare_mnist(numpy, options):
    train_x, train_y, test_x, test_y = load_mnist(data_dir(options), options.train_limit, options.test_limit)
    train_x = train_x.reshape(train_x.shape[0], -1).astype(numpy.float32) / 255.0
    test_x = test_x.reshape(test_x.shape[0], -1).astype(numpy.float32) / 255.0
    return train_x, train_y.astype(numpy.int64), test_x, test_y.astype(numpy.int64)


def mnist_train(numpy, options, phase):
    train_x, train_y, test_x, test_y = prepare_mnist(numpy, options)
    rng = numpy.random.RandomState(options.seed)
    hidden = 256
    params = {
        "w1": (rng.standard_normal((784, hidden)) * numpy.sqrt(2.0 / 784)).astype(numpy.float32),
        "b1": numpy.zeros(hidden, numpy.float32),
        "w2": (rng.standard_normal((hidden, 10)) * numpy.sqrt(1.0 / hidden)).astype(numpy.float32),
        "b2": numpy.zeros(10, numpy.float32),
    }
    velocity = dict((key, numpy.zeros_like(value)) for key, value in params.items())
    batch = options.batch or 64
    rate, momentum = 0.05, 0.9

    def step(x, y):
        hidden_pre = x.dot(params["w1"]) + params["b1"]
        hidden_out = numpy.maximum(hidden_pre, 0)
        logits = hidden_out.dot(params["w2"]) + params["b2"]
        logits -= logits.max(axis=1, keepdims=True)
        exp = numpy.exp(logits)
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -numpy.log(probs[numpy.arange(len(y)), y] + 1e-9).mean()
        grad = probs
        grad[numpy.arange(len(y)), y] -= 1
        grad /= len(y)
        grads = {"w2": hidden_out.T.dot(grad), "b2": grad.sum(axis=0)}
        back = grad.dot(params["w2"].T) * (hidden_pre > 0)
        grads["w1"] = x.T.dot(back)
        grads["b1"] = back.sum(axis=0)
        for key in params:
            velocity[key] = momentum * velocity[key] - rate * grads[key]
            params[key] += velocity[key]
        return float(loss)

    def run_epoch(index):
        order = rng.permutation(len(train_x))
        total, count = 0.0, 0
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            total += step(train_x[chosen], train_y[chosen])
            count += 1
        return total / max(count, 1)

    warm = {"next": 0}

    def one_step():
        start = warm["next"] % max(len(train_x) - batch, 1)
        warm["next"] += batch
        step(train_x[start : start + batch], train_y[start : start + batch])

    epochs = options.epochs or 1
    times, losses = common.train_epochs(phase, epochs, run_epoch, one_step, options.warmup)
    hidden_out = numpy.maximum(test_x.dot(params["w1"]) + params["b1"], 0)
    predicted = (hidden_out.dot(params["w2"]) + params["b2"]).argmax(axis=1)
    accuracy = float((predicted == test_y).mean())
    processed = epochs * len(train_x)
    return {
        "model": "mlp-784-256-10",
        "batch": batch,
        "epochs": epochs,
        "epoch_seconds": times,
        "losses": losses,
        "train_samples": len(train_x),
        "test_samples": len(test_x),
        "accuracy": accuracy,
        "samples_processed": processed,
        "throughput": processed / sum(times),
        "throughput_unit": "samples/s",
    }


def _conv(numpy, x, weight, bias):
    """Valid 2-D convolution through im2col; x N×C×H×W, weight O×C×K×K."""
    n, c, h, w = x.shape
    o, _c, k, _k = weight.shape
    oh, ow = h - k + 1, w - k + 1
    columns = numpy.empty((n, c, k, k, oh, ow), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            columns[:, :, i, j] = x[:, :, i : i + oh, j : j + ow]
    columns = columns.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, c * k * k)
    out = columns.dot(weight.reshape(o, -1).T) + bias
    return out.reshape(n, oh, ow, o).transpose(0, 3, 1, 2)


def _pool(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def cnn_infer(numpy, options, phase):
    if options.model not in (None, "lenet5"):
        raise Unsupported("the NumPy reference only has lenet5 for cnn-infer")
    rng = numpy.random.RandomState(options.seed)
    batch = options.batch or 32
    weights = {
        "c1": rng.standard_normal((6, 1, 5, 5)).astype(numpy.float32) * 0.2,
        "c2": rng.standard_normal((16, 6, 5, 5)).astype(numpy.float32) * 0.1,
        "f1": rng.standard_normal((400, 120)).astype(numpy.float32) * 0.05,
        "f2": rng.standard_normal((120, 84)).astype(numpy.float32) * 0.1,
        "f3": rng.standard_normal((84, 10)).astype(numpy.float32) * 0.1,
    }
    images = rng.random_sample((batch, 1, 32, 32)).astype(numpy.float32)

    def forward():
        x = _pool(numpy.maximum(_conv(numpy, images, weights["c1"], 0.0), 0))
        x = _pool(numpy.maximum(_conv(numpy, x, weights["c2"], 0.0), 0))
        x = numpy.maximum(x.reshape(batch, -1).dot(weights["f1"]), 0)
        x = numpy.maximum(x.dot(weights["f2"]), 0)
        return x.dot(weights["f3"])

    summary = common.timed_calls(forward, common.no_sync, phase, options.seconds, options.warmup, batch)
    summary.update({"model": "lenet5", "batch": batch, "throughput_unit": "images/s", "dtype": "float32"})
    return summary
