/**
 * The install half of FakeCore: `install.*` answers and `progress()` to send
 * an `install.onDidProgress` event the way src/main/install/service.ts does.
 */
import type { TopicName } from '../../../src/shared/api.ts';
import type { Result } from '../../../src/shared/errors.ts';
import type { BoardFacts } from '../../../src/shared/identify/board-facts.ts';
import type { InstallProgressEvent, InstallRecipeSummary } from '../../../src/shared/install/contract.ts';

/** An Orin Nano on JetPack 6.2 (L4T 36.4.3, /work/shared/reference/jetson-facts.md) with NumPy only. */
export const sampleInstallFacts: BoardFacts = {
  kind: 'jetson',
  simulated: false,
  module: 'NVIDIA Jetson Orin Nano Developer Kit',
  serialNumber: null,
  hostname: 'orin-nano-1',
  l4t: '36.4.3',
  jetpack: '6.2',
  ubuntu: 'Ubuntu 22.04.5 LTS',
  kernel: '5.15.148-tegra',
  arch: 'aarch64',
  cpuCores: 6,
  cuda: '12.6',
  cudnn: '9.3.0',
  tensorrt: '10.3.0',
  opencv: '4.8.0',
  python: '3.10.12',
  ramMb: 7620,
  swapMb: 3810,
  diskFreeGb: 40,
  diskTotalGb: 58,
  powerMode: null,
  frameworks: [{ name: 'numpy', version: '1.26.4', cuda: null, simulated: false }],
  addresses: [],
  internet: 'unknown',
};

export const sampleRecipes: InstallRecipeSummary[] = [
  {
    library: 'jetson-stats',
    title: 'jetson-stats (jtop)',
    legacy: false,
    family: 'jp6',
    supported: true,
    reason: null,
    minutes: 2,
    diskMb: 50,
    steps: [
      {
        title: 'Refresh the package lists',
        line: 'sudo apt-get update',
        sudo: true,
        source: 'https://docs.nvidia.com/jetson/agx-orin-devkit/user-guide/setup_jetpack.html',
        verified: true,
        note: null,
      },
      {
        title: 'Install jetson-stats (jtop)',
        line: 'sudo pip3 install -U jetson-stats',
        sudo: true,
        source: 'https://github.com/rbonghi/jetson_stats',
        verified: false,
        note: 'The reference gives only the pip line.',
      },
    ],
    notes: null,
    installedVersion: null,
  },
  {
    library: 'caffe',
    title: 'Caffe',
    legacy: true,
    family: 'jp6',
    supported: false,
    reason: 'Caffe does not build against cuDNN 9.',
    minutes: null,
    diskMb: null,
    steps: [],
    notes: null,
    installedVersion: null,
  },
];

export function sampleInstallEvent(
  installId: string,
  kind: InstallProgressEvent['kind'],
  patch: Partial<InstallProgressEvent> = {},
): InstallProgressEvent {
  return {
    installId,
    board: 'board-1',
    label: 'bench-1',
    library: 'jetson-stats',
    kind,
    state: 'running',
    stepIndex: null,
    stepCount: null,
    title: null,
    line: null,
    text: null,
    message: null,
    warning: false,
    verification: null,
    error: null,
    ...patch,
  };
}

export class FakeInstall {
  installId = 'install-1';
  recipes: InstallRecipeSummary[] = structuredClone(sampleRecipes);
  markdown = '# Installing jetson-stats (jtop) on orin-nano-1\n\n| 1 | Refresh | `sudo apt-get update` | done | 1.0 s |';
  html = '<!doctype html><h1>Installing jetson-stats</h1>';
  cancelled: string[] = [];
  readonly #emit: (topic: TopicName, payload: unknown) => void;

  constructor(emit: (topic: TopicName, payload: unknown) => void) {
    this.#emit = emit;
  }

  progress(event: InstallProgressEvent): void {
    this.#emit('install.onDidProgress', event);
  }

  answer(method: string, input: Record<string, unknown>): Result<unknown> {
    if (method === 'install.recipes') return { ok: true, value: this.recipes };
    if (method === 'install.start') return { ok: true, value: { installId: this.installId } };
    if (method === 'install.cancel') {
      this.cancelled.push(String(input.installId));
      return { ok: true, value: { cancelled: true } };
    }
    if (method === 'install.procedure')
      return {
        ok: true,
        value: {
          markdown: this.markdown,
          html: this.html,
          family: 'jp6',
          verification: { version: '4.3.2', cuda: null, gpuOp: null, extra: {}, line: '' },
        },
      };
    return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
  }
}
