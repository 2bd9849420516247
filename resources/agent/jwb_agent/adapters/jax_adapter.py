"""JAX adapter: LeNet-5 training (jax.grad + SGD), ResNet-18 inference (NHWC,
batch-norm folded into scale/shift, random weights), matmul and an array copy."""

from ..bench import NotInstalled, Unsupported, data_dir, import_framework
from ..idx import load_mnist
from . import common, simulated

SUITES = ("mnist-train", "cnn-infer", "gemm", "membw")


def check(options):
    jax = import_framework("jax")
    if simulated.is_simulated(jax):
        return simulated.info(jax)
    try:
        gpus = [d for d in jax.devices() if d.platform == "gpu"]
    except RuntimeError:
        gpus = []
    if options.device is None:
        options.device = "cuda" if gpus else "cpu"
    if options.device == "cuda" and not gpus:
        raise Unsupported("jax %s sees no GPU" % jax.__version__)
    info = {"framework_version": jax.__version__, "device": options.device}
    if gpus:
        info["device_name"] = getattr(gpus[0], "device_kind", str(gpus[0]))
    return info


def _target(jax, options):
    return [d for d in jax.devices() if d.platform == ("gpu" if options.device == "cuda" else "cpu")][0] if options.device == "cuda" else jax.devices("cpu")[0]


def run(suite, options, phase):
    jax = import_framework("jax")
    if simulated.is_simulated(jax):
        return simulated.run(suite, options, phase)
    import jax.numpy as jnp

    device = _target(jax, options)
    key = jax.random.PRNGKey(options.seed)
    if suite == "gemm":
        size = options.size or (8192 if options.device == "cuda" else 1024)
        dtype = {None: jnp.float32, "float32": jnp.float32, "float16": jnp.float16, "bfloat16": jnp.bfloat16}[options.dtype]
        a = jax.device_put(jax.random.normal(key, (size, size), dtype), device)
        b = jax.device_put(jax.random.normal(jax.random.split(key)[0], (size, size), dtype), device)
        matmul = jax.jit(jnp.matmul)
        holder = [None]

        def call():
            holder[0] = matmul(a, b)

        summary = common.timed_calls(call, lambda: holder[0].block_until_ready(), phase, options.seconds, options.warmup, 1)
        summary["dtype"] = jnp.dtype(dtype).name
        return common.gemm_metrics(summary, size)
    if suite == "membw":
        nbytes = (options.size or (1024 if options.device == "cuda" else 64)) * 1024 * 1024
        source = jax.device_put(jnp.ones(nbytes // 4, jnp.float32), device)
        add = jax.jit(lambda x: x + 1.0)  # reads and writes every element once (x * 1 would be simplified away)
        holder = [None]

        def call():
            holder[0] = add(source)

        summary = common.timed_calls(call, lambda: holder[0].block_until_ready(), phase, options.seconds, options.warmup, 1)
        return common.membw_metrics(summary, nbytes)
    if suite == "mnist-train":
        return mnist_train(jax, jnp, options, phase, device)
    if suite == "cnn-infer":
        return cnn_infer(jax, jnp, options, phase, device)
    raise Unsupported(suite)


def _conv(jax, x, w, stride=1, padding="SAME"):
    return jax.lax.conv_general_dilated(x, w, (stride, stride), padding, dimension_numbers=("NHWC", "HWIO", "NHWC"))


def _pool(jax, x, size=2, stride=2, padding="VALID"):
    return jax.lax.reduce_window(x, -float("inf"), jax.lax.max, (1, size, size, 1), (1, stride, stride, 1), padding)


def mnist_train(jax, jnp, options, phase, device):
    import numpy

    train_x, train_y, test_x, test_y = load_mnist(data_dir(options), options.train_limit, options.test_limit)

    def put(array):
        return jax.device_put(array, device)

    train_images = put(train_x.astype(numpy.float32)[..., None] / 255.0)
    test_images = put(test_x.astype(numpy.float32)[..., None] / 255.0)
    train_labels, test_labels = put(train_y.astype(numpy.int32)), put(test_y.astype(numpy.int32))
    rng = numpy.random.RandomState(options.seed)

    def init(shape, fan_in):
        return put((rng.standard_normal(shape) * numpy.sqrt(2.0 / fan_in)).astype(numpy.float32))

    params = {
        "c1": init((5, 5, 1, 6), 25), "c2": init((5, 5, 6, 16), 150),
        "f1": init((400, 120), 400), "f2": init((120, 84), 120), "f3": init((84, 10), 84),
        "b1": put(numpy.zeros(6, numpy.float32)), "b2": put(numpy.zeros(16, numpy.float32)),
    }

    def forward(p, x):
        x = _pool(jax, jax.nn.relu(_conv(jax, x, p["c1"]) + p["b1"]))
        x = _pool(jax, jax.nn.relu(_conv(jax, x, p["c2"], padding="VALID") + p["b2"]))
        x = x.reshape(x.shape[0], -1)
        x = jax.nn.relu(x @ p["f1"])
        x = jax.nn.relu(x @ p["f2"])
        return x @ p["f3"]

    def loss_fn(p, x, y):
        logits = forward(p, x)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

    rate = 0.05

    @jax.jit
    def step(p, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(p, x, y)
        return jax.tree_util.tree_map(lambda w, g: w - rate * g, p, grads), loss

    batch = options.batch or 128
    count = int(train_images.shape[0])
    usable = count - count % batch  # fixed shapes: one compiled step
    state = {"p": params}

    def run_epoch(index):
        order = put(rng.permutation(count)[:usable].astype(numpy.int32))
        losses = []
        for start in range(0, usable, batch):
            chosen = order[start : start + batch]
            state["p"], loss = step(state["p"], train_images[chosen], train_labels[chosen])
            losses.append(loss)
        return float(jnp.mean(jnp.stack(losses)))

    warm_batch = put(numpy.arange(batch, dtype=numpy.int32))

    def one_step():
        state["p"], loss = step(state["p"], train_images[warm_batch], train_labels[warm_batch])
        loss.block_until_ready()

    epochs = options.epochs or 1
    times, losses = common.train_epochs(phase, epochs, run_epoch, one_step, options.warmup)
    predicted = jnp.argmax(jax.jit(forward)(state["p"], test_images), axis=1)
    accuracy = float(jnp.mean(predicted == test_labels))
    processed = epochs * usable
    return {
        "model": "lenet5", "batch": batch, "epochs": epochs, "epoch_seconds": times, "losses": losses,
        "train_samples": usable, "test_samples": int(test_images.shape[0]), "accuracy": accuracy,
        "samples_processed": processed, "throughput": processed / sum(times), "throughput_unit": "samples/s",
    }


def cnn_infer(jax, jnp, options, phase, device):
    import numpy

    if options.model not in (None, "resnet18"):
        raise Unsupported("jax cnn-infer has resnet18 only")
    dtype = {None: jnp.float32, "float32": jnp.float32, "float16": jnp.float16, "bfloat16": jnp.bfloat16}[options.dtype]
    rng = numpy.random.RandomState(options.seed)

    def weight(k, cin, cout):
        return jnp.asarray(rng.standard_normal((k, k, cin, cout)) * numpy.sqrt(2.0 / (k * k * cin)), dtype)

    def affine(c):  # batch norm folded to scale and shift (inference)
        return (jnp.ones(c, dtype), jnp.zeros(c, dtype))

    params = {"stem": (weight(7, 3, 64), affine(64)), "blocks": []}
    inputs = 64
    for outputs, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for index in range(2):
            s = stride if index == 0 else 1
            block = {"c1": (weight(3, inputs, outputs), affine(outputs)), "c2": (weight(3, outputs, outputs), affine(outputs))}
            if s != 1 or inputs != outputs:
                block["skip"] = (weight(1, inputs, outputs), affine(outputs))
            params["blocks"].append((s, block))
            inputs = outputs
    params["fc"] = jnp.asarray(rng.standard_normal((512, 1000)) * 0.03, dtype)
    strides = [s for s, _ in params["blocks"]]
    weights = {"stem": params["stem"], "blocks": [b for _, b in params["blocks"]], "fc": params["fc"]}
    weights = jax.device_put(weights, device)

    def conv_bn(x, pair, stride):
        w, (scale, shift) = pair
        return _conv(jax, x, w, stride) * scale + shift

    def forward(p, x):
        x = jax.nn.relu(conv_bn(x, p["stem"], 2))
        x = _pool(jax, x, 3, 2, "SAME")
        for stride, block in zip(strides, p["blocks"]):
            y = jax.nn.relu(conv_bn(x, block["c1"], stride))
            y = conv_bn(y, block["c2"], 1)
            skip = conv_bn(x, block["skip"], stride) if "skip" in block else x
            x = jax.nn.relu(y + skip)
        return jnp.mean(x, axis=(1, 2)) @ p["fc"]

    batch = options.batch or 32
    images = jax.device_put(jnp.asarray(rng.standard_normal((batch, 224, 224, 3)), dtype), device)
    compiled = jax.jit(forward)
    holder = [None]

    def call():
        holder[0] = compiled(weights, images)

    summary = common.timed_calls(call, lambda: holder[0].block_until_ready(), phase, options.seconds, options.warmup, batch)
    summary.update({"model": "resnet18", "batch": batch, "dtype": jnp.dtype(dtype).name, "throughput_unit": "images/s"})
    return summary
