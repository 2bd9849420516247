import type { SimBoard } from './board.ts';
import { pipCatalog } from './packages.ts';

/**
 * Which simulated Python modules a board's install state makes importable:
 * pip-installed GPU frameworks, plus TensorRT's Python bindings when apt
 * installed `python3-libnvinfer` (JetPack ships them as a .deb, not a wheel).
 */
export function simulatedModulesFor(board: SimBoard): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const item of pipCatalog(board.profile)) {
    const version = board.state.pip[item.name];
    if (item.simulated && version !== undefined) modules[item.module] = version;
  }
  if (board.state.apt['python3-libnvinfer'] !== undefined && board.profile.versions.tensorrt)
    modules.tensorrt = board.profile.versions.tensorrt;
  return modules;
}

/** CUDA counts as installed when a `cuda-toolkit-*` package is. */
export function cudaInstalled(board: SimBoard): boolean {
  return Object.keys(board.state.apt).some((name) => name.startsWith('cuda-toolkit-'));
}
