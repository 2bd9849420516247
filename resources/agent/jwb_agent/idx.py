"""MNIST-format idx files (gzip or not), as LeCun describes them:
magic 0x00 0x00 <dtype> <ndim>, then ndim big-endian uint32 sizes, then the data.
http://yann.lecun.com/exdb/mnist/ (section "FILE FORMATS FOR THE MNIST DATABASE").
"""

import gzip
import os
import struct

from .protocol import AgentError, EXIT_DATA

# dtype byte -> (struct/array code, item size); MNIST uses 0x08 (unsigned byte).
_TYPES = {0x08: ("B", 1), 0x09: ("b", 1), 0x0B: (">h", 2), 0x0C: (">i", 4), 0x0D: (">f", 4), 0x0E: (">d", 8)}

_NAMES = {
    "train-images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train-labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test-images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test-labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


def _read_bytes(path):
    try:
        with open(path, "rb") as handle:
            head = handle.read(2)
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        with open(path, "rb") as handle:
            return handle.read()
    except (IOError, OSError, EOFError) as error:
        raise AgentError("data-unreadable", "cannot read %s: %s" % (path, error), EXIT_DATA)


def parse_idx(data, name="idx"):
    """Returns (dims, dtype_code, payload bytes); raises AgentError on a bad file."""
    if len(data) < 4:
        raise AgentError("data-corrupt", "%s: %d bytes, too short for an idx header" % (name, len(data)), EXIT_DATA)
    zero, kind, ndim = data[0:2], data[2], data[3]
    if isinstance(kind, str):  # pragma: no cover - Python 2 guard never taken
        kind, ndim = ord(kind), ord(ndim)
    if zero != b"\x00\x00" or kind not in _TYPES or ndim < 1 or ndim > 4:
        raise AgentError("data-corrupt", "%s: bad idx magic number %s" % (name, data[0:4].hex()), EXIT_DATA)
    header = 4 + 4 * ndim
    if len(data) < header:
        raise AgentError("data-corrupt", "%s: truncated header" % name, EXIT_DATA)
    dims = list(struct.unpack(">" + "I" * ndim, data[4:header]))
    count = 1
    for size in dims:
        count *= size
    expected = header + count * _TYPES[kind][1]
    if len(data) != expected:
        raise AgentError(
            "data-corrupt",
            "%s: size %d bytes, the header %s promises %d" % (name, len(data), dims, expected),
            EXIT_DATA,
        )
    return dims, kind, data[header:]


def find_file(directory, role):
    """Finds `role` (train-images…) in `directory`, with or without .gz."""
    for stem in _NAMES[role]:
        for suffix in (".gz", ""):
            path = os.path.join(directory, stem + suffix)
            if os.path.isfile(path):
                return path
    raise AgentError(
        "data-missing",
        "no %s file (%s[.gz]) in %s" % (role, _NAMES[role][0], directory),
        EXIT_DATA,
    )


def load_array(path):
    """Reads an idx file into a numpy array (uint8 images N×28×28 or labels N)."""
    import numpy

    dims, kind, payload = parse_idx(_read_bytes(path), os.path.basename(path))
    code = _TYPES[kind][0]
    dtype = numpy.uint8 if code == "B" else numpy.dtype(code)
    return numpy.frombuffer(payload, dtype=dtype).reshape(dims)


def load_mnist(directory, train_limit=None, test_limit=None):
    """Returns (train_x, train_y, test_x, test_y) as numpy arrays; checks that counts match."""
    arrays = {}
    for role in ("train-images", "train-labels", "test-images", "test-labels"):
        arrays[role] = load_array(find_file(directory, role))
    for part in ("train", "test"):
        images, labels = arrays[part + "-images"], arrays[part + "-labels"]
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise AgentError(
                "data-corrupt",
                "%s: images %s and labels %s do not match" % (part, images.shape, labels.shape),
                EXIT_DATA,
            )
        if labels.size and int(labels.max()) > 9:
            raise AgentError("data-corrupt", "%s labels hold values above 9" % part, EXIT_DATA)
    train_x, train_y = arrays["train-images"], arrays["train-labels"]
    test_x, test_y = arrays["test-images"], arrays["test-labels"]
    if train_limit:
        train_x, train_y = train_x[:train_limit], train_y[:train_limit]
    if test_limit:
        test_x, test_y = test_x[:test_limit], test_y[:test_limit]
    return train_x, train_y, test_x, test_y
