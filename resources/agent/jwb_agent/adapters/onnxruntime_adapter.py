"""ONNX Runtime adapter (inference only): ResNet-18 and MatMul graphs built in code
with the `onnx` helper (random weights), run on the CUDA or CPU execution provider.
On CUDA the inputs and outputs stay on the GPU (I/O binding) so host copies are not timed."""

from ..bench import NotInstalled, Unsupported, import_framework
from . import common, simulated

SUITES = ("cnn-infer", "gemm")


def check(options):
    ort = import_framework("onnxruntime")
    if simulated.is_simulated(ort):
        return simulated.info(ort)
    import_framework("onnx")  # graphs are built with onnx.helper; no model files are read
    cuda = "CUDAExecutionProvider" in ort.get_available_providers()
    if options.device is None:
        options.device = "cuda" if cuda else "cpu"
    if options.device == "cuda" and not cuda:
        raise Unsupported("onnxruntime %s has no CUDAExecutionProvider" % ort.__version__)
    return {"framework_version": ort.__version__, "device": options.device}


def run(suite, options, phase):
    ort = import_framework("onnxruntime")
    if simulated.is_simulated(ort):
        return simulated.run(suite, options, phase)
    import numpy

    onnx = import_framework("onnx")
    numpy_dtype = {None: numpy.float32, "float32": numpy.float32, "float16": numpy.float16}.get(options.dtype)
    if numpy_dtype is None:
        raise Unsupported("onnxruntime adapter dtypes: float32, float16")
    if suite == "gemm":
        size = options.size or (8192 if options.device == "cuda" else 1024)
        model = matmul_model(onnx, size, numpy_dtype)
        rng = numpy.random.RandomState(options.seed)
        inputs = {"A": rng.standard_normal((size, size)).astype(numpy_dtype), "B": rng.standard_normal((size, size)).astype(numpy_dtype)}
        summary = _timed(ort, model, inputs, options, phase, 1)
        summary["dtype"] = numpy.dtype(numpy_dtype).name
        return common.gemm_metrics(summary, size)
    if suite == "cnn-infer":
        if options.model not in (None, "resnet18"):
            raise Unsupported("onnxruntime cnn-infer has resnet18 only")
        batch = options.batch or 32
        model = resnet18_model(onnx, numpy, numpy_dtype, options.seed)
        rng = numpy.random.RandomState(options.seed)
        inputs = {"images": rng.standard_normal((batch, 3, 224, 224)).astype(numpy_dtype)}
        summary = _timed(ort, model, inputs, options, phase, batch)
        summary.update({"model": "resnet18", "batch": batch, "dtype": numpy.dtype(numpy_dtype).name, "throughput_unit": "images/s"})
        return summary
    raise Unsupported("onnxruntime runs inference only (cnn-infer, gemm)")


def _timed(ort, model, inputs, options, phase, items):
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if options.device == "cuda" else ["CPUExecutionProvider"]
    session = ort.InferenceSession(model.SerializeToString(), providers=providers)
    if options.device == "cuda" and session.get_providers()[0] != "CUDAExecutionProvider":
        raise Unsupported("CUDAExecutionProvider did not load (providers: %s)" % session.get_providers())
    binding = session.io_binding()
    kind = "cuda" if options.device == "cuda" else "cpu"
    for name, array in inputs.items():
        binding.bind_ortvalue_input(name, ort.OrtValue.ortvalue_from_numpy(array, kind, 0))
    for output in session.get_outputs():
        binding.bind_output(output.name, kind, 0)

    def call():
        session.run_with_iobinding(binding)

    sync = binding.synchronize_outputs if hasattr(binding, "synchronize_outputs") else common.no_sync
    return common.timed_calls(call, sync, phase, options.seconds, options.warmup, items)


def _elem(onnx, numpy_dtype):
    import numpy

    return onnx.TensorProto.FLOAT16 if numpy_dtype == numpy.float16 else onnx.TensorProto.FLOAT


def _model(helper, graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    # A newer onnx writes an IR version an older onnxruntime refuses (onnx 1.23 vs ORT 1.30
    # gave "Unsupported model IR version: 14, max supported IR version: 13"); opset 17 needs IR 8.
    model.ir_version = 8
    return model


def matmul_model(onnx, size, numpy_dtype):
    helper = onnx.helper
    elem = _elem(onnx, numpy_dtype)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["A", "B"], ["Y"])],
        "gemm",
        [helper.make_tensor_value_info("A", elem, [size, size]), helper.make_tensor_value_info("B", elem, [size, size])],
        [helper.make_tensor_value_info("Y", elem, [size, size])],
    )
    return _model(helper, graph)


def resnet18_model(onnx, numpy, numpy_dtype, seed):
    """ResNet-18 (BasicBlock [2,2,2,2]); batch norm folded into conv bias, as exporters do for inference."""
    helper = onnx.helper
    rng = numpy.random.RandomState(seed)
    nodes, weights = [], []
    counter = [0]

    def fresh(prefix):
        counter[0] += 1
        return "%s%d" % (prefix, counter[0])

    def constant(array):
        name = fresh("w")
        weights.append(onnx.numpy_helper.from_array(array.astype(numpy_dtype), name))
        return name

    def conv(x, cin, cout, kernel, stride, relu):
        w = constant(rng.standard_normal((cout, cin, kernel, kernel)) * numpy.sqrt(2.0 / (cin * kernel * kernel)))
        b = constant(numpy.zeros(cout))
        out = fresh("c")
        pad = kernel // 2
        nodes.append(helper.make_node("Conv", [x, w, b], [out], kernel_shape=[kernel, kernel], strides=[stride, stride], pads=[pad] * 4))
        if relu:
            activated = fresh("r")
            nodes.append(helper.make_node("Relu", [out], [activated]))
            return activated
        return out

    x = conv("images", 3, 64, 7, 2, True)
    pooled = fresh("p")
    nodes.append(helper.make_node("MaxPool", [x], [pooled], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
    x, inputs = pooled, 64
    for outputs, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for index in range(2):
            s = stride if index == 0 else 1
            y = conv(x, inputs, outputs, 3, s, True)
            y = conv(y, outputs, outputs, 3, 1, False)
            skip = conv(x, inputs, outputs, 1, s, False) if (s != 1 or inputs != outputs) else x
            added, activated = fresh("a"), fresh("r")
            nodes.append(helper.make_node("Add", [y, skip], [added]))
            nodes.append(helper.make_node("Relu", [added], [activated]))
            x, inputs = activated, outputs
    gap, flat = fresh("g"), fresh("f")
    nodes.append(helper.make_node("GlobalAveragePool", [x], [gap]))
    nodes.append(helper.make_node("Flatten", [gap], [flat]))
    fc_w = constant(rng.standard_normal((512, 1000)) * 0.03)
    fc_b = constant(numpy.zeros(1000))
    nodes.append(helper.make_node("Gemm", [flat, fc_w, fc_b], ["logits"]))
    elem = _elem(onnx, numpy_dtype)
    graph = helper.make_graph(
        nodes, "resnet18",
        [helper.make_tensor_value_info("images", elem, ["N", 3, 224, 224])],
        [helper.make_tensor_value_info("logits", elem, ["N", 1000])],
        initializer=weights,
    )
    return _model(helper, graph)
