"""The NumPy reference must really learn: accuracy far above chance (10 %) in a few seconds."""

import os

import numpy

from conftest import run_agent
from test_idx import write_set

FASHION = "/usr/share/datasets/fashion-mnist"


def synthetic(folder):
    # Ten classes, each a bright square at its own place plus noise: learnable, not trivial.
    rng = numpy.random.RandomState(0)

    def make(count):
        labels = rng.randint(0, 10, count)
        images = rng.randint(0, 60, (count, 28, 28))
        for index, label in enumerate(labels):
            row, column = divmod(int(label), 5)
            images[index, 4 + row * 12 : 12 + row * 12, 1 + column * 5 : 5 + column * 5] += 150
        return images, labels

    train_x, train_y = make(3000)
    test_x, test_y = make(500)
    write_set(folder, train_x, train_y, test_x, test_y)


def test_numpy_mnist_train_learns_above_chance(tmp_path):
    data = FASHION if os.path.isdir(FASHION) else str(tmp_path)
    if data == str(tmp_path):
        synthetic(tmp_path)
    arguments = ["bench", "--suite", "mnist-train", "--framework", "numpy", "--data", data, "--epochs", "2", "--train-limit", "6000", "--test-limit", "1000", "--warmup", "0.2"]
    code, lines, _ = run_agent(arguments)
    assert code == 0
    result = lines[-1]
    assert result["type"] == "result" and result["status"] == "ok"
    assert result["accuracy"] > 0.6, result["accuracy"]
    assert len(result["epoch_seconds"]) == 2 and result["losses"][1] < result["losses"][0]
    assert result["samples_processed"] == 12000 and result["throughput"] > 0
    epochs = [line for line in lines if line["type"] == "progress" and line.get("stage") == "epoch"]
    assert [line["epoch"] for line in epochs] == [1, 2]
