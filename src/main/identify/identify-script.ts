import { sectionMarker, splitSections } from '../../shared/identify/sections.ts';
import type { SectionName } from '../../shared/identify/board-facts-builder.ts';
import { simulatorMarkerPath } from '../../shared/identify/board-facts.ts';
import { commandLine } from '../../shared/shell-quote.ts';

/**
 * The one script identification runs on a board (`sh -c <script>`): every
 * probe after its `@@jwb:<name>` marker, so a single round trip answers all of
 * them. The text is a constant built from constants with `commandLine`; no
 * user input ever enters it. It sticks to the POSIX subset that both a real
 * Jetson's sh and the simulator's shell understand (`;`, `||`, redirections,
 * `$?`): no functions, no `$(…)`.
 */

/**
 * One Python run tries each framework; imports that fail are skipped, and the
 * alarm bounds a slow import (a cold `import tensorflow` can take seconds).
 * NumPy has no CUDA to ask about, so its version is read from the package
 * metadata beside it (pip's `numpy-X.dist-info`, Debian's `numpy-X.egg-info`)
 * instead of importing it: the import costs 0.1 s on a desktop CPU and
 * several times that on a Nano, for every board identified. It is imported
 * only when no metadata is found.
 */
export const frameworkProbe = [
  'import importlib, importlib.util, json, os, signal',
  'signal.alarm(20)',
  'def metadata_version(name):',
  '    spec = importlib.util.find_spec(name)',
  '    if spec is None or not spec.origin:',
  '        return None',
  '    folder = os.path.dirname(os.path.dirname(spec.origin))',
  '    for entry in sorted(os.listdir(folder)):',
  '        for suffix in (".dist-info", ".egg-info"):',
  '            if entry.startswith(name + "-") and entry.endswith(suffix):',
  '                return entry[len(name) + 1 : -len(suffix)].split("-py")[0]',
  '    return None',
  'found = {}',
  'for name in ("torch", "tensorflow", "jax", "onnxruntime", "tensorrt", "numpy"):',
  '    if name == "numpy":',
  '        version = metadata_version(name)',
  '        if version:',
  '            found[name] = {"version": version, "cuda": None, "simulated": False}',
  '            continue',
  '    try:',
  '        module = importlib.import_module(name)',
  '    except Exception:',
  '        continue',
  '    cuda = None',
  '    try:',
  '        if name == "torch":',
  '            cuda = bool(module.cuda.is_available())',
  '        elif name == "tensorflow":',
  '            cuda = len(module.config.list_physical_devices("GPU")) > 0',
  '        elif name == "onnxruntime":',
  '            cuda = "CUDAExecutionProvider" in module.get_available_providers()',
  '        elif name == "jax":',
  '            cuda = any(device.platform == "gpu" for device in module.devices())',
  '    except Exception:',
  '        cuda = None',
  '    found[name] = {"version": str(getattr(module, "__version__", "")), "cuda": cuda, "simulated": bool(getattr(module, "SIMULATED", False))}',
  'print(json.dumps(found))',
].join('\n');

// dpkg -l prints rows for these patterns only; COLUMNS keeps long names and versions untruncated.
const packagePatterns = [
  'cuda-toolkit-*',
  'cuda-cudart-*',
  'libcudnn*',
  'cudnn*',
  'tensorrt',
  'libnvinfer*',
  'nvidia-jetpack',
  'nvidia-l4t-core',
  '*opencv*',
];

const probes: ReadonlyArray<[SectionName, string]> = [
  ['model', `${commandLine('cat', '/proc/device-tree/model')} 2>/dev/null; echo`],
  ['simulated', `${commandLine('cat', simulatorMarkerPath)} 2>/dev/null`],
  ['serial', `${commandLine('cat', '/proc/device-tree/serial-number')} 2>/dev/null; echo`],
  ['tegra', `${commandLine('cat', '/etc/nv_tegra_release')} 2>/dev/null`],
  ['os', `${commandLine('cat', '/etc/os-release')} 2>/dev/null`],
  ['uname', commandLine('uname', '-a')],
  ['nproc', `${commandLine('nproc')} 2>/dev/null`],
  ['meminfo', `${commandLine('cat', '/proc/meminfo')} 2>/dev/null`],
  ['df', `${commandLine('df', '-k', '/')} 2>/dev/null`],
  ['nvpmodel', `${commandLine('nvpmodel', '-q')} 2>/dev/null`],
  [
    'nvpmodel-modes',
    `${commandLine('nvpmodel', '-p', '--verbose')} 2>/dev/null || ${commandLine('grep', 'POWER_MODEL', '/etc/nvpmodel.conf')} 2>/dev/null`,
  ],
  ['dpkg', `COLUMNS=200 ${commandLine('dpkg', '-l', ...packagePatterns)} 2>/dev/null`],
  ['nvcc', `${commandLine('nvcc', '--version')} 2>/dev/null || ${commandLine('/usr/local/cuda/bin/nvcc', '--version')} 2>/dev/null`],
  ['python', `${commandLine('python3', '--version')} 2>&1`],
  ['frameworks', `${commandLine('python3', '-c', frameworkProbe)} 2>/dev/null`],
  ['ip', `${commandLine('ip', '-4', 'addr')} 2>/dev/null`],
  ['nvidia-smi', `${commandLine('nvidia-smi', '-L')} 2>/dev/null; echo status=$?`],
];

// The BOARD resolves a public name, bounded to 3 s; the workbench itself contacts nothing.
const internetProbe: [SectionName, string] = [
  'internet',
  `${commandLine('timeout', '3', 'getent', 'hosts', 'pypi.org')} >/dev/null 2>&1; echo status=$?`,
];

function scriptOf(list: ReadonlyArray<[SectionName, string]>): string {
  return list.map(([name, probe]) => `echo ${sectionMarker}${name}; ${probe}`).join('\n');
}

export const identifyScript = scriptOf([...probes, internetProbe]);
/** Without the internet check (tests that run the script on the machine itself, which must not go out). */
export const identifyScriptOffline = scriptOf(probes);

export function parseIdentifyOutput(stdout: string): Map<string, string> {
  return splitSections(stdout);
}
