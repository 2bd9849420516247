import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimProfile } from './model.ts';

/**
 * Stand-ins for GPU libraries "installed" on a simulated board. Each one says
 * plainly that it is simulated (`SIMULATED = True`) yet answers the calls a
 * verification step makes (`__version__`, `torch.cuda.is_available()`…), so
 * the workbench runs the same code path as on a real board. `simulate_gpu_load`
 * lets a benchmark report GPU activity to the power model.
 */

/** Where the modules live, as a board path; PYTHONPATH points at it. */
// Under /usr/local, which stays the board's own when python3 runs confined (the host lends /usr/bin and /usr/lib).
export const simulatedSitePackages = '/usr/local/lib/jwb-sim-packages';

const common = (
  version: string,
  profile: SimProfile,
): string => `"""SIMULATED module written by the Jetson Workbench board simulator. Not the real library."""
import os as _os
import time as _time

SIMULATED = True
__version__ = ${JSON.stringify(version)}
_DEVICE = ${JSON.stringify(profile.kind === 'jetson' ? 'Orin' : profile.model)}
_CUDA = ${JSON.stringify(profile.versions.cuda ?? '')}


def simulate_gpu_load(fraction, seconds=0.0):
    """Report GPU load (0..1) to the simulated board's power model; optionally hold it for \`seconds\`."""
    path = _os.environ.get("JWB_SIM_GPU_LOAD_FILE")
    if path:
        with open(path, "w") as handle:
            handle.write(str(max(0.0, min(1.0, float(fraction)))))
    if seconds > 0:
        _time.sleep(seconds)
        simulate_gpu_load(0.0)
`;

function torch(version: string, profile: SimProfile): string {
  const cudnn = (profile.versions.cudnn ?? '8.9.4').split('.').map(Number);
  const cudnnNumber = (cudnn[0] ?? 8) * 10000 + (cudnn[1] ?? 0) * 100 + (cudnn[2] ?? 0);
  return `${common(version, profile)}
import types as _types

version = _types.SimpleNamespace(cuda=_CUDA or None, __version__=__version__)


class _Cuda:
    @staticmethod
    def is_available():
        return bool(_CUDA)

    @staticmethod
    def device_count():
        return 1 if _CUDA else 0

    @staticmethod
    def get_device_name(index=0):
        return _DEVICE

    @staticmethod
    def synchronize():
        return None


cuda = _Cuda()
backends = _types.SimpleNamespace(cudnn=_types.SimpleNamespace(version=lambda: ${cudnnNumber}, enabled=True))
`;
}

function tensorflow(version: string, profile: SimProfile): string {
  return `${common(version, profile)}
import types as _types


def _list_physical_devices(kind=None):
    devices = [_types.SimpleNamespace(name="/physical_device:CPU:0", device_type="CPU")]
    if _CUDA:
        devices.append(_types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU"))
    return [d for d in devices if kind is None or d.device_type == kind]


config = _types.SimpleNamespace(list_physical_devices=_list_physical_devices)
test = _types.SimpleNamespace(is_built_with_cuda=lambda: bool(_CUDA))
`;
}

function onnxruntime(version: string, profile: SimProfile): string {
  return `${common(version, profile)}

def get_available_providers():
    providers = ["CPUExecutionProvider"]
    if _CUDA:
        providers = ["TensorrtExecutionProvider", "CUDAExecutionProvider"] + providers
    return providers


def get_device():
    return "GPU" if _CUDA else "CPU"
`;
}

function generic(version: string, profile: SimProfile): string {
  return common(version, profile);
}

function caffe(version: string, profile: SimProfile): string {
  return `${common(version, profile)}

def set_mode_gpu():
    if not _CUDA:
        raise RuntimeError("Cannot use GPU in CPU-only Caffe: check mode.")


def set_device(index):
    return None
`;
}

/**
 * `jax.devices()` as a CUDA build of jaxlib answers it (the recipe's
 * verification and the agent's probe ask): the GPU when the board has CUDA,
 * else the CPU; a backend that is not there raises, as JAX does. The devices
 * say they are simulated: nothing runs on them.
 */
function jax(version: string, profile: SimProfile): string {
  return `${common(version, profile)}

class _SimulatedDevice:
    def __init__(self, platform, index):
        self.platform = platform
        self.id = index
        self.device_kind = _DEVICE if platform == "gpu" else "cpu"

    def __repr__(self):
        return "SimulatedDevice(platform=%r, id=%d)" % (self.platform, self.id)


def devices(backend=None):
    if backend in (None, "gpu", "cuda") and _CUDA:
        return [_SimulatedDevice("gpu", 0)]
    if backend in (None, "cpu"):
        return [_SimulatedDevice("cpu", 0)]
    raise RuntimeError(
        "Unknown backend: '%s' requested, but no platforms that are instances of %s are present. Platforms present are: cpu"
        % (backend, backend)
    )
`;
}

/** `import jax.numpy`: NumPy itself, on the CPU (no XLA, no GPU), so array code runs and says it is simulated. */
const jaxNumpy = `"""SIMULATED jax.numpy written by the Jetson Workbench board simulator: NumPy on the CPU, not XLA."""
from numpy import *  # noqa: F401,F403

SIMULATED = True
`;

/** Subpackages a stand-in has beside its __init__.py, as the real library lays them out (name → source). */
const subpackages: Record<string, Record<string, string>> = { jax: { numpy: jaxNumpy } };

const writers: Record<string, (version: string, profile: SimProfile) => string> = {
  torch,
  tensorflow,
  onnxruntime,
  tensorrt: generic,
  torchvision: generic,
  jax,
  pycuda: generic,
  caffe,
};

/** Rewrites the simulated modules folder to hold exactly `modules` (module name → version). */
export function writeSimulatedModules(fsRoot: string, profile: SimProfile, modules: Record<string, string>): void {
  const folder = join(fsRoot, simulatedSitePackages);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [module, version] of Object.entries(modules)) {
    const writer = writers[module] ?? generic;
    mkdirSync(join(folder, module), { recursive: true });
    writeFileSync(join(folder, module, '__init__.py'), writer(version, profile));
    for (const [name, source] of Object.entries(subpackages[module] ?? {})) {
      mkdirSync(join(folder, module, name), { recursive: true });
      writeFileSync(join(folder, module, name, '__init__.py'), source);
    }
  }
}
