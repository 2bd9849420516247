import gzip
import os
import struct

import numpy
import pytest

from jwb_agent.idx import load_array, load_mnist, parse_idx
from jwb_agent.protocol import AgentError, EXIT_DATA


def idx_bytes(array):
    dims = array.shape
    return b"\x00\x00\x08" + bytes([len(dims)]) + struct.pack(">" + "I" * len(dims), *dims) + array.astype(numpy.uint8).tobytes()


def write_set(folder, images, labels, test_images, test_labels, compress=True):
    names = {
        "train-images-idx3-ubyte": images,
        "train-labels-idx1-ubyte": labels,
        "t10k-images-idx3-ubyte": test_images,
        "t10k-labels-idx1-ubyte": test_labels,
    }
    for name, array in names.items():
        data = idx_bytes(array)
        if compress:
            with gzip.open(os.path.join(str(folder), name + ".gz"), "wb") as handle:
                handle.write(data)
        else:
            with open(os.path.join(str(folder), name), "wb") as handle:
                handle.write(data)


def test_parses_header_and_payload():
    array = numpy.arange(2 * 3 * 4).reshape(2, 3, 4)
    dims, kind, payload = parse_idx(idx_bytes(array))
    assert dims == [2, 3, 4] and kind == 0x08 and payload == array.astype(numpy.uint8).tobytes()


@pytest.mark.parametrize("compress", [True, False])
def test_reads_gz_and_plain_files(tmp_path, compress):
    images = numpy.random.RandomState(1).randint(0, 256, (5, 28, 28))
    labels = numpy.array([0, 1, 2, 3, 9])
    write_set(tmp_path, images, labels, images[:2], labels[:2], compress)
    train_x, train_y, test_x, test_y = load_mnist(str(tmp_path))
    assert train_x.shape == (5, 28, 28) and (train_x == images).all()
    assert list(train_y) == [0, 1, 2, 3, 9] and test_x.shape == (2, 28, 28)


def test_limits_cut_the_sets(tmp_path):
    images = numpy.zeros((6, 28, 28))
    labels = numpy.arange(6)
    write_set(tmp_path, images, labels, images, labels)
    train_x, train_y, test_x, _ = load_mnist(str(tmp_path), train_limit=4, test_limit=3)
    assert train_x.shape[0] == 4 and len(train_y) == 4 and test_x.shape[0] == 3


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\x00\x00", "too short"),
        (b"\x12\x34\x08\x01\x00\x00\x00\x01\x05", "magic"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated header"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "promises 13"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "promises 9"),
    ],
)
def test_corrupt_files_give_a_clear_error(data, words):
    with pytest.raises(AgentError) as caught:
        parse_idx(data, "x.idx")
    assert caught.value.code == "data-corrupt" and caught.value.exit_code == EXIT_DATA
    assert words in caught.value.reason


def test_truncated_gzip_is_a_data_error(tmp_path):
    path = os.path.join(str(tmp_path), "train-images-idx3-ubyte.gz")
    with gzip.open(path, "wb") as handle:
        handle.write(idx_bytes(numpy.zeros((10, 28, 28))))
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as handle:
        handle.write(data[: len(data) // 2])
    with pytest.raises(AgentError) as caught:
        load_array(path)
    assert caught.value.exit_code == EXIT_DATA


def test_mismatched_counts_and_missing_files(tmp_path):
    write_set(tmp_path, numpy.zeros((3, 28, 28)), numpy.zeros(2), numpy.zeros((1, 28, 28)), numpy.zeros(1))
    with pytest.raises(AgentError) as caught:
        load_mnist(str(tmp_path))
    assert "do not match" in caught.value.reason
    with pytest.raises(AgentError) as missing:
        load_mnist(os.path.join(str(tmp_path), "nowhere"))
    assert missing.value.code == "data-missing"


FASHION = "/usr/share/datasets/fashion-mnist"


@pytest.mark.skipif(not os.path.isdir(FASHION), reason="Debian's dataset-fashion-mnist is not installed")
def test_reads_debians_fashion_mnist():
    train_x, train_y, test_x, test_y = load_mnist(FASHION)
    assert train_x.shape == (60000, 28, 28) and test_x.shape == (10000, 28, 28)
    assert sorted(set(test_y.tolist())) == list(range(10))
