"""TensorFlow adapter: LeNet-5 training (a tf.function train step, SGD with momentum, as the
PyTorch adapter), CNN inference with Keras' own ResNet-50 and MobileNetV2 built with
`weights=None` (random weights: nothing is downloaded), matmul and a tensor copy.
Keras has no ResNet-18, so `--model resnet18` is refused with that reason."""

from ..bench import Unsupported, data_dir, import_framework
from ..idx import load_mnist
from . import common, simulated

SUITES = ("mnist-train", "cnn-infer", "gemm", "membw")


def check(options):
    tf = import_framework("tensorflow")
    if simulated.is_simulated(tf):
        return simulated.info(tf)
    if int(tf.__version__.split(".")[0]) < 2:
        raise Unsupported("tensorflow %s: the agent's TensorFlow suites need TensorFlow 2 (tf.function, tf.keras)" % tf.__version__)
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
        if suite == "mnist-train":
            return mnist_train(tf, options, phase)
        if suite == "cnn-infer":
            return cnn_infer(tf, options, phase)
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


def lenet5(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(6, 5, padding="same", activation="relu"), layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(2),
            layers.Flatten(), layers.Dense(120, activation="relu"), layers.Dense(84, activation="relu"), layers.Dense(10),
        ]
    )


def mnist_train(tf, options, phase):
    import numpy

    train_x, train_y, test_x, test_y = load_mnist(data_dir(options), options.train_limit, options.test_limit)
    tf.random.set_seed(options.seed)
    keras = tf.keras
    train_images = tf.constant(train_x[..., None].astype(numpy.float32) / 255.0)
    train_labels = tf.constant(train_y.astype(numpy.int64))
    model = lenet5(keras)
    optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    batch = options.batch or 128
    count = int(train_images.shape[0])

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    rng = numpy.random.RandomState(options.seed)

    def run_epoch(index):
        order = rng.permutation(count)
        total, steps = 0.0, 0
        for start in range(0, count, batch):
            chosen = tf.constant(order[start : start + batch])
            total += float(step(tf.gather(train_images, chosen), tf.gather(train_labels, chosen)))
            steps += 1
        return total / max(steps, 1)

    warm = {"next": 0}

    def one_step():
        start = warm["next"] % max(count - batch, 1)
        warm["next"] += batch
        float(step(train_images[start : start + batch], train_labels[start : start + batch]))  # float() waits for the device

    epochs = options.epochs or 1
    times, losses = common.train_epochs(phase, epochs, run_epoch, one_step, options.warmup)
    logits = model.predict(test_x[..., None].astype(numpy.float32) / 255.0, batch_size=1024, verbose=0)
    accuracy = float((numpy.argmax(logits, axis=1) == test_y).mean())
    processed = epochs * count
    return {
        "model": "lenet5", "batch": batch, "epochs": epochs, "epoch_seconds": times, "losses": losses,
        "train_samples": count, "test_samples": int(test_x.shape[0]), "accuracy": accuracy,
        "samples_processed": processed, "throughput": processed / sum(times), "throughput_unit": "samples/s",
    }


def cnn_infer(tf, options, phase):
    applications = tf.keras.applications
    builders = {"resnet50": applications.ResNet50, "mobilenetv2": applications.MobileNetV2}
    name = options.model or "resnet50"
    if name not in builders:
        raise Unsupported("tensorflow cnn-infer models (Keras applications): %s" % ", ".join(sorted(builders)))
    if options.dtype not in (None, "float32"):
        raise Unsupported("tensorflow cnn-infer runs float32 only")
    batch = options.batch or 32
    model = builders[name](weights=None, input_shape=(224, 224, 3), classes=1000)
    images = tf.random.normal((batch, 224, 224, 3), seed=options.seed)
    forward = tf.function(lambda: model(images, training=False))
    holder = [None]

    def call():
        holder[0] = forward()

    summary = common.timed_calls(call, lambda: holder[0][0, 0].numpy(), phase, options.seconds, options.warmup, batch)
    summary.update({"model": name, "batch": batch, "dtype": "float32", "throughput_unit": "images/s"})
    return summary
