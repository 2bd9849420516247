"""The JSON-lines protocol end to end: `python3 -m jwb_agent …` as a subprocess."""

import os

import pytest

from conftest import run_agent, write
from test_power_sources import hwmon_tree


def test_probe_reports_hardware_frameworks_and_power(sim_root):
    write(sim_root, "proc/device-tree/model", "NVIDIA Jetson Orin Nano Developer Kit\0")
    write(sim_root, "etc/nv_tegra_release", "# R36 (release), REVISION: 4.7\n")
    hwmon_tree(sim_root)
    code, lines, _ = run_agent(["probe"], {"JWB_SIM_ROOT": str(sim_root)})
    assert code == 0 and len(lines) == 1 and lines[0]["type"] == "probe"
    probe = lines[0]
    assert probe["hardware"]["model"] == "NVIDIA Jetson Orin Nano Developer Kit"
    assert probe["hardware"]["nv_tegra_release"].startswith("# R36")
    assert probe["hardware"]["cpu_count"] >= 1
    assert probe["software"]["frameworks"]["numpy"]["installed"] is True
    hwmon = [s for s in probe["power_sources"] if s["name"] == "hwmon"][0]
    assert hwmon["available"] and hwmon["rails"] == ["VDD_IN", "VDD_CPU_GPU_CV"] and hwmon["preferred"]
    names = [s["name"] for s in probe["power_sources"]]
    assert names == ["hwmon", "iio", "nvml-instant", "nvml", "nvidia-smi", "tegrastats"]


def test_usage_errors_are_json_with_exit_2():
    code, lines, stderr = run_agent(["bench", "--suite", "nope", "--framework", "numpy"])
    assert code == 2 and lines[-1]["type"] == "error" and lines[-1]["code"] == "usage"
    assert "Traceback" not in stderr
    code, lines, _ = run_agent([])
    assert code == 2 and lines[-1]["code"] == "usage"


def test_a_framework_that_fails_to_import_is_not_installed_with_exit_3(tmp_path):
    # A stand-in that fails to import, so the answer is the same where torch is installed.
    write(tmp_path, "torch/__init__.py", "raise ImportError('No module named torch (test stand-in)')\n")
    code, lines, _ = run_agent(["bench", "--suite", "gemm", "--framework", "torch"], {"PYTHONPATH": str(tmp_path)})
    assert code == 3 and len(lines) == 1
    assert lines[0]["type"] == "result" and lines[0]["status"] == "not-installed" and "torch" in lines[0]["reason"]


def test_an_unsupported_suite_is_exit_4(tmp_path):
    code, lines, _ = run_agent(["bench", "--suite", "mnist-train", "--framework", "tensorrt"], {"PYTHONPATH": str(tmp_path)})
    assert code in (3, 4) and lines[-1]["type"] == "result"


def test_tensorrt_without_pytorch_says_where_its_gpu_buffers_would_come_from(tmp_path):
    # Stand-ins: a TensorRT and an onnx that import, and no PyTorch (the adapter's source of GPU memory).
    write(tmp_path, "tensorrt/__init__.py", "__version__ = '10.3.0'\n")
    write(tmp_path, "onnx/__init__.py", "")
    write(tmp_path, "torch/__init__.py", "raise ImportError('No module named torch (test stand-in)')\n")
    code, lines, _ = run_agent(["bench", "--suite", "cnn-infer", "--framework", "tensorrt"], {"PYTHONPATH": str(tmp_path)})
    assert code == 4 and lines[-1]["status"] == "unsupported"
    assert "GPU buffers from PyTorch" in lines[-1]["reason"]


def test_a_missing_dataset_is_a_data_error_with_exit_5(tmp_path):
    code, lines, _ = run_agent(["bench", "--suite", "mnist-train", "--framework", "numpy", "--data", str(tmp_path)])
    assert code == 5 and lines[-1] == {"type": "error", "code": "data-missing", "reason": lines[-1]["reason"]}


def test_a_missing_power_source_is_exit_6(sim_root):
    code, lines, _ = run_agent(["power", "--source", "hwmon", "--seconds", "0.1"], {"JWB_SIM_ROOT": str(sim_root)})
    assert code == 6 and lines[-1]["code"] == "power-unavailable"


def test_a_simulated_framework_runs_the_reference_and_drives_the_gpu_load_file(tmp_path, sim_root):
    write(tmp_path, "site/torch/__init__.py", "SIMULATED = True\n__version__ = '2.3.0'\n")
    load_file = os.path.join(str(tmp_path), "gpu-load")
    hwmon_tree(sim_root)
    env = {"PYTHONPATH": os.path.join(str(tmp_path), "site"), "JWB_SIM_ROOT": str(sim_root), "JWB_SIM_GPU_LOAD_FILE": load_file}
    arguments = ["bench", "--suite", "gemm", "--framework", "torch", "--size", "64", "--seconds", "0.3", "--warmup", "0.1", "--power", "hwmon", "--power-hz", "50"]
    code, lines, _ = run_agent(arguments, env)
    assert code == 0
    types = [line["type"] for line in lines]
    assert types.index("begin") < types.index("end") < types.index("result")
    result = lines[-1]
    assert result["status"] == "ok" and result["simulated"] is True and result["framework_version"] == "2.3.0"
    energy = result["energy"]
    assert energy["average_w"] == pytest.approx(6.0) and energy["covered"]
    assert energy["method"] == "integral" and energy["joules"] == energy["integral_joules"]
    assert energy["source"] == "hwmon" and 40 <= energy["hz"] <= 55 and energy["j_per_sample"] > 0
    # 0.3 s at 50 Hz is ~15 samples: too few to trust the figure, and the result says so.
    assert energy["quality"]["reason"] == "too-short" and energy["quality"]["samples"] == energy["samples_in_window"] >= 10
    with open(load_file) as handle:
        assert float(handle.read()) == 0.0  # released after `end`


def test_the_phase_marks_the_gpu_busy_between_begin_and_end(tmp_path, monkeypatch):
    from jwb_agent.bench import Phase
    from jwb_agent import protocol
    import io

    load_file = os.path.join(str(tmp_path), "gpu-load")
    monkeypatch.setenv("JWB_SIM_GPU_LOAD_FILE", load_file)
    protocol.set_stream(io.StringIO())
    try:
        phase = Phase(None, 0.95)
        phase.begin()
        with open(load_file) as handle:
            assert float(handle.read()) == pytest.approx(0.95)
        phase.end()
        with open(load_file) as handle:
            assert float(handle.read()) == 0.0
    finally:
        protocol.set_stream(__import__("sys").stdout)


def test_a_simulated_gemm_still_runs_where_numpy_cannot_load(tmp_path):
    # A confined simulated board can have a numpy whose BLAS library is missing.
    write(tmp_path, "site/torch/__init__.py", "SIMULATED = True\n__version__ = '2.3.0'\n")
    write(tmp_path, "site/numpy/__init__.py", "raise ImportError('libblas.so.3: cannot open shared object file')\n")
    arguments = ["bench", "--suite", "gemm", "--framework", "torch", "--size", "16", "--seconds", "0.2", "--warmup", "0.05"]
    code, lines, _ = run_agent(arguments, {"PYTHONPATH": os.path.join(str(tmp_path), "site")})
    assert code == 0
    result = lines[-1]
    assert result["status"] == "ok" and result["simulated"] and result["compute"].startswith("pure Python")
    assert result["size"] == 16 and result["tflops"] > 0
