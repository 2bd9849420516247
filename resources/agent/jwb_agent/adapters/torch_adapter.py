"""PyTorch adapter: LeNet-5 training, ResNet-18 / MobileNetV2 inference (built here,
random weights), matmul and device copy. Models follow He et al. 2015 (ResNet-18:
BasicBlock [2,2,2,2]) and Sandler et al. 2018 (MobileNetV2 inverted residual table)."""

from ..bench import NotInstalled, Unsupported, data_dir, import_framework
from ..idx import load_mnist
from . import common, simulated

SUITES = ("mnist-train", "cnn-infer", "gemm", "membw")


def check(options):
    torch = import_framework("torch")
    if simulated.is_simulated(torch):
        return simulated.info(torch)
    cuda = torch.cuda.is_available()
    if options.device is None:
        options.device = "cuda" if cuda else "cpu"
    if options.device == "cuda" and not cuda:
        raise Unsupported("torch %s sees no CUDA device" % torch.__version__)
    info = {"framework_version": torch.__version__, "device": options.device}
    if options.device == "cuda":
        info["device_name"] = torch.cuda.get_device_name(0)
        info["cuda_version"] = torch.version.cuda
    return info


def _dtype(torch, name):
    table = {None: torch.float32, "float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
    if name not in table:
        raise Unsupported("dtype %s" % name)
    return table[name]


def run(suite, options, phase):
    torch = import_framework("torch")
    if simulated.is_simulated(torch):
        return simulated.run(suite, options, phase)
    device = torch.device(options.device)
    sync = torch.cuda.synchronize if options.device == "cuda" else common.no_sync
    torch.manual_seed(options.seed)
    if suite == "gemm":
        size = options.size or (8192 if options.device == "cuda" else 1024)
        dtype = _dtype(torch, options.dtype)
        a = torch.randn(size, size, device=device, dtype=dtype)
        b = torch.randn(size, size, device=device, dtype=dtype)
        out = torch.empty(size, size, device=device, dtype=dtype)
        summary = common.timed_calls(lambda: torch.matmul(a, b, out=out), sync, phase, options.seconds, options.warmup, 1)
        summary["dtype"] = str(dtype).replace("torch.", "")
        return common.gemm_metrics(summary, size)
    if suite == "membw":
        nbytes = (options.size or (1024 if options.device == "cuda" else 64)) * 1024 * 1024
        source = torch.ones(nbytes // 4, device=device)
        target = torch.empty_like(source)
        summary = common.timed_calls(lambda: target.copy_(source), sync, phase, options.seconds, options.warmup, 1)
        return common.membw_metrics(summary, nbytes)
    if suite == "cnn-infer":
        return cnn_infer(torch, options, phase, device, sync)
    if suite == "mnist-train":
        return mnist_train(torch, options, phase, device, sync)
    raise Unsupported(suite)


def lenet5(nn):
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def mnist_train(torch, options, phase, device, sync):
    nn = torch.nn
    train_x, train_y, test_x, test_y = load_mnist(data_dir(options), options.train_limit, options.test_limit)

    def to_tensor(images):
        return torch.from_numpy(images.copy()).to(device).float().unsqueeze(1) / 255.0

    train_images, test_images = to_tensor(train_x), to_tensor(test_x)
    train_labels = torch.from_numpy(train_y.astype("int64")).to(device)
    test_labels = torch.from_numpy(test_y.astype("int64")).to(device)
    model = lenet5(nn).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    batch = options.batch or 128
    count = train_images.shape[0]
    generator = torch.Generator(device="cpu").manual_seed(options.seed)

    def step(x, y):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    def run_epoch(index):
        order = torch.randperm(count, generator=generator).to(device)
        total = torch.zeros((), device=device)
        steps = 0
        for start in range(0, count, batch):
            chosen = order[start : start + batch]
            total += step(train_images[chosen], train_labels[chosen]).detach()
            steps += 1
        sync()
        return float(total) / max(steps, 1)

    warm = {"next": 0}

    def one_step():
        start = warm["next"] % max(count - batch, 1)
        warm["next"] += batch
        step(train_images[start : start + batch], train_labels[start : start + batch])
        sync()

    epochs = options.epochs or 1
    times, losses = common.train_epochs(phase, epochs, run_epoch, one_step, options.warmup)
    with torch.no_grad():
        predicted = torch.cat([model(test_images[i : i + 1024]).argmax(1) for i in range(0, test_images.shape[0], 1024)])
        accuracy = float((predicted == test_labels).float().mean())
    processed = epochs * count
    return {
        "model": "lenet5", "batch": batch, "epochs": epochs, "epoch_seconds": times, "losses": losses,
        "train_samples": count, "test_samples": int(test_images.shape[0]), "accuracy": accuracy,
        "samples_processed": processed, "throughput": processed / sum(times), "throughput_unit": "samples/s",
    }


def resnet18(nn):
    class Block(nn.Module):
        def __init__(self, inputs, outputs, stride):
            nn.Module.__init__(self)
            self.body = nn.Sequential(
                nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False), nn.BatchNorm2d(outputs), nn.ReLU(inplace=True),
                nn.Conv2d(outputs, outputs, 3, 1, 1, bias=False), nn.BatchNorm2d(outputs),
            )
            self.skip = nn.Identity()
            if stride != 1 or inputs != outputs:
                self.skip = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs))
            self.relu = nn.ReLU(inplace=True)

        def forward(self, x):
            return self.relu(self.body(x) + self.skip(x))

    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    inputs = 64
    for outputs, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [Block(inputs, outputs, stride), Block(outputs, outputs, 1)]
        inputs = outputs
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000)]
    return nn.Sequential(*layers)


def mobilenetv2(nn):
    def conv_bn(inputs, outputs, kernel, stride, groups=1, relu=True):
        parts = [nn.Conv2d(inputs, outputs, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(outputs)]
        if relu:
            parts.append(nn.ReLU6(inplace=True))
        return parts

    class Inverted(nn.Module):
        def __init__(self, inputs, outputs, stride, expand):
            nn.Module.__init__(self)
            hidden = inputs * expand
            parts = conv_bn(inputs, hidden, 1, 1) if expand != 1 else []
            parts += conv_bn(hidden, hidden, 3, stride, groups=hidden) + conv_bn(hidden, outputs, 1, 1, relu=False)
            self.body = nn.Sequential(*parts)
            self.residual = stride == 1 and inputs == outputs

        def forward(self, x):
            return x + self.body(x) if self.residual else self.body(x)

    layers = conv_bn(3, 32, 3, 2)
    inputs = 32
    for expand, outputs, repeats, stride in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for index in range(repeats):
            layers.append(Inverted(inputs, outputs, stride if index == 0 else 1, expand))
            inputs = outputs
    layers += conv_bn(320, 1280, 1, 1) + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, 1000)]
    return nn.Sequential(*layers)


def cnn_infer(torch, options, phase, device, sync):
    builders = {"resnet18": resnet18, "mobilenetv2": mobilenetv2}
    name = options.model or "resnet18"
    if name not in builders:
        raise Unsupported("torch cnn-infer models: %s" % ", ".join(sorted(builders)))
    dtype = _dtype(torch, options.dtype)
    batch = options.batch or 32
    model = builders[name](torch.nn).to(device=device, dtype=dtype).eval()
    images = torch.randn(batch, 3, 224, 224, device=device, dtype=dtype)

    def forward():
        with torch.inference_mode():
            return model(images)

    summary = common.timed_calls(forward, sync, phase, options.seconds, options.warmup, batch)
    summary.update({"model": name, "batch": batch, "dtype": str(dtype).replace("torch.", ""), "throughput_unit": "images/s"})
    return summary
