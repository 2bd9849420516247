"""TensorRT adapter (inference only): the ONNX graphs the ONNX Runtime adapter builds in code
(ResNet-18 with random weights, MatMul) are parsed by TensorRT's ONNX parser and built into an
engine on the board, then run with inputs and outputs already on the GPU.

GPU memory and the CUDA stream come from PyTorch (present with JetPack's wheels), so the agent
needs neither pycuda nor cuda-python. Both TensorRT APIs are handled: 8.x (JetPack 4.6-5.x,
bindings and `execute_async_v2`) and 10.x (JetPack 6.1+, named tensors and `execute_async_v3`);
the call names follow NVIDIA's TensorRT Python API reference for each major version.
float16 builds the engine with the FP16 builder flag (TensorRT picks half-precision kernels;
the I/O stays float32), the usual way to run TensorRT in FP16."""

from ..bench import NotInstalled, Unsupported, import_framework
from . import common, onnxruntime_adapter, simulated

SUITES = ("cnn-infer", "gemm")

# Workspace for tactic selection: 1 GiB fits an 8 GB Orin Nano or a 4 GB Nano beside the model.
_WORKSPACE_BYTES = 1 << 30


def check(options):
    trt = import_framework("tensorrt")
    if simulated.is_simulated(trt):
        return simulated.info(trt)
    import_framework("onnx")
    torch = _torch_with_cuda()
    if options.device not in (None, "cuda"):
        raise Unsupported("TensorRT runs on the GPU only (--device cuda)")
    options.device = "cuda"
    return {"framework_version": trt.__version__, "device": "cuda", "gpu": torch.cuda.get_device_name(0)}


def run(suite, options, phase):
    trt = import_framework("tensorrt")
    if simulated.is_simulated(trt):
        return simulated.run(suite, options, phase)
    import numpy

    onnx = import_framework("onnx")
    torch = _torch_with_cuda()
    if options.dtype not in (None, "float32", "float16"):
        raise Unsupported("tensorrt adapter dtypes: float32, float16")
    fp16 = options.dtype == "float16"
    if suite == "gemm":
        size = options.size or 4096
        model = onnxruntime_adapter.matmul_model(onnx, size, numpy.float32)
        shapes = {"A": (size, size), "B": (size, size)}
        summary = _timed(trt, torch, model, shapes, fp16, options, phase, 1)
        summary["dtype"] = "float16" if fp16 else "float32"
        return common.gemm_metrics(summary, size)
    if suite == "cnn-infer":
        if options.model not in (None, "resnet18"):
            raise Unsupported("tensorrt cnn-infer has resnet18 only")
        batch = options.batch or 32
        model = onnxruntime_adapter.resnet18_model(onnx, numpy, numpy.float32, options.seed)
        summary = _timed(trt, torch, model, {"images": (batch, 3, 224, 224)}, fp16, options, phase, batch)
        summary.update({"model": "resnet18", "batch": batch, "dtype": "float16" if fp16 else "float32", "throughput_unit": "images/s"})
        return summary
    raise Unsupported("tensorrt runs inference only (cnn-infer, gemm)")


def _torch_with_cuda():
    try:
        torch = import_framework("torch")
    except NotInstalled as error:
        raise Unsupported("the TensorRT adapter takes its GPU buffers from PyTorch, which is missing (%s)" % error)
    if not torch.cuda.is_available():
        raise Unsupported("PyTorch sees no CUDA device, so TensorRT has no GPU buffers")
    return torch


def build_engine(trt, model_bytes, input_shapes, fp16):
    """Parses the ONNX bytes and builds a serialized engine for exactly `input_shapes`."""
    logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(logger)
    flags = 0
    if hasattr(trt, "NetworkDefinitionCreationFlag") and int(trt.__version__.split(".")[0]) < 10:
        flags = 1 << int(trt.NetworkDefinitionCreationFlag.EXPLICIT_BATCH)  # the default from 10 on
    network = builder.create_network(flags)
    parser = trt.OnnxParser(network, logger)
    if not parser.parse(model_bytes):
        errors = "; ".join(str(parser.get_error(index)) for index in range(parser.num_errors))
        raise Unsupported("TensorRT's ONNX parser refused the graph: %s" % errors)
    config = builder.create_builder_config()
    if hasattr(config, "set_memory_pool_limit"):
        config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, _WORKSPACE_BYTES)
    else:  # TensorRT 8.0-8.3
        config.max_workspace_size = _WORKSPACE_BYTES
    if fp16:
        if not builder.platform_has_fast_fp16:
            raise Unsupported("this GPU has no fast FP16 in TensorRT")
        config.set_flag(trt.BuilderFlag.FP16)
    # ResNet's batch is symbolic ("N"): one profile pins it to the planned batch.
    profile = builder.create_optimization_profile()
    for index in range(network.num_inputs):
        tensor = network.get_input(index)
        shape = input_shapes[tensor.name]
        profile.set_shape(tensor.name, shape, shape, shape)
    config.add_optimization_profile(profile)
    serialized = builder.build_serialized_network(network, config)
    if serialized is None:
        raise Unsupported("TensorRT could not build an engine for this graph (see the board's TensorRT log)")
    return serialized


def _timed(trt, torch, model, input_shapes, fp16, options, phase, items):
    engine = trt.Runtime(trt.Logger(trt.Logger.WARNING)).deserialize_cuda_engine(build_engine(trt, model.SerializeToString(), input_shapes, fp16))
    context = engine.create_execution_context()
    generator = torch.Generator(device="cuda").manual_seed(options.seed)
    stream = torch.cuda.Stream()
    if hasattr(engine, "num_io_tensors"):  # TensorRT 8.5+ and 10: named tensors
        buffers = {}
        for index in range(engine.num_io_tensors):
            name = engine.get_tensor_name(index)
            if engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT:
                context.set_input_shape(name, input_shapes[name])
                buffers[name] = torch.randn(input_shapes[name], device="cuda", generator=generator)
        for index in range(engine.num_io_tensors):
            name = engine.get_tensor_name(index)
            if name not in buffers:
                buffers[name] = torch.empty(tuple(context.get_tensor_shape(name)), device="cuda")
        for name, tensor in buffers.items():
            context.set_tensor_address(name, tensor.data_ptr())

        def call():
            context.execute_async_v3(stream.cuda_stream)

    else:  # TensorRT 8.0-8.4: bindings by index
        bindings = []
        for index in range(engine.num_bindings):
            name = engine.get_binding_name(index)
            if engine.binding_is_input(index):
                context.set_binding_shape(index, input_shapes[name])
                bindings.append(torch.randn(input_shapes[name], device="cuda", generator=generator))
            else:
                bindings.append(None)
        for index in range(engine.num_bindings):
            if bindings[index] is None:
                bindings[index] = torch.empty(tuple(context.get_binding_shape(index)), device="cuda")
        addresses = [tensor.data_ptr() for tensor in bindings]

        def call():
            context.execute_async_v2(addresses, stream.cuda_stream)

    return common.timed_calls(call, stream.synchronize, phase, options.seconds, options.warmup, items)
