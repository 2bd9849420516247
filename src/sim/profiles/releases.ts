/**
 * Facts shared by every module on one L4T release: the `/etc/nv_tegra_release`
 * text, JetPack, Ubuntu, Python, kernel and the CUDA stack. Sources:
 * ../shared/reference/jetson-facts.md §3.4 (release lines), §3.5 (L4T → JetPack),
 * §3.6 (CUDA / cuDNN / TensorRT as OE4T packages them per L4T).
 */
import type { SimProfile } from '../model.ts';

export type ReleaseFacts = Pick<SimProfile, 'nvTegraRelease' | 'l4t' | 'jetpack' | 'ubuntu' | 'python' | 'versions'> & {
  kernel: string;
  kernelBuild: string;
  sources: string[];
  missing: string[];
};

const opencvNote = 'OpenCV version: from NVIDIA JetPack release notes as recalled, not in ../shared/reference.';
const unameNote =
  "uname build number/date are placeholders (the reference has no uname -a for this release); the kernel version is the release's.";

/** L4T 32.7.1 (JetPack 4.6.1), tegra210 BSP (TX1, Nano). */
export const l4t3271T210: ReleaseFacts = {
  // Verbatim Nano R32.7.1 line (jetson-facts.md §3.4, "many copies, unattributed").
  nvTegraRelease: '# R32 (release), REVISION: 7.1, GCID: 29818004, BOARD: t210ref, EABI: aarch64, DATE: Sat Feb 19 17:05:08 UTC 2022\n',
  l4t: '32.7.1',
  jetpack: '4.6.1',
  ubuntu: 'Ubuntu 18.04.6 LTS',
  python: '3.6.9',
  versions: { cuda: '10.2.300', cudnn: '8.2.1', tensorrt: '8.2.1', opencv: '4.1.1' },
  kernel: '4.9.253-tegra',
  kernelBuild: '#1 SMP PREEMPT Sat Feb 19 08:59:22 PST 2022',
  sources: [
    'jetson-facts.md §3.4 (R32.7.1 t210ref line), §3.5 (32.7.1 = JetPack 4.6.1), §3.6 (kirkstone-l4t-r32.7.x: CUDA 10.2 cudart 10.2.300, cuDNN 8.2.1, TensorRT 8.2.1)',
  ],
  missing: [
    'Lines after the first of /etc/nv_tegra_release on R32 are not in the reference; only the first line is reproduced.',
    'Ubuntu 18.04.6 / Python 3.6.9 / kernel 4.9.253 for R32.7.x are from memory of JetPack 4.6 images, not in the reference.',
    opencvNote,
    unameNote,
  ],
};

/** L4T 32.7.1 (JetPack 4.6.1), tegra186 BSP (TX2, AGX Xavier). */
export const l4t3271T186: ReleaseFacts = {
  ...l4t3271T210,
  // Verbatim: dusty-nv/jetson-containers:jetson_containers/l4t_version.py line 54 (jetson-facts.md §3.4).
  nvTegraRelease: '# R32 (release), REVISION: 7.1, GCID: 29689809, BOARD: t186ref, EABI: aarch64, DATE: Wed Feb  2 21:33:23 UTC 2022\n',
  kernelBuild: '#1 SMP PREEMPT Wed Feb 2 13:26:08 PST 2022',
  sources: ['jetson-facts.md §3.4 (R32.7.1 t186ref line, dusty-nv/jetson-containers l4t_version.py:54), §3.5, §3.6'],
};

/** L4T 35.4.1 (JetPack 5.1.2). */
export const l4t3541: ReleaseFacts = {
  // First line verbatim in many public files (find_string "REVISION: 4.1, GCID"); the
  // KERNEL_VARIANT / TARGET_USERSPACE lines follow it in one public test fixture and in
  // jetson-facts.md §3.4's description of R36 files.
  nvTegraRelease:
    '# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n' +
    '# KERNEL_VARIANT: oot\n' +
    'TARGET_USERSPACE_LIB_DIR=nvidia\n' +
    'TARGET_USERSPACE_LIB_DIR_PATH=usr/lib/aarch64-linux-gnu/nvidia\n',
  l4t: '35.4.1',
  jetpack: '5.1.2',
  ubuntu: 'Ubuntu 20.04.6 LTS',
  python: '3.8.10',
  versions: { cuda: '11.4.298', cudnn: '8.6.0', tensorrt: '8.5.2', opencv: '4.5.4' },
  kernel: '5.10.120-tegra',
  kernelBuild: '#1 SMP PREEMPT Tue Aug 1 12:32:50 PDT 2023',
  sources: [
    'jetson-facts.md §3.5 (35.4.1 = JetPack 5.1.2), §3.6 (r35.x: CUDA 11.4 cudart 11.4.298, cuDNN 8.6.0, TensorRT 8.5.2)',
    'R35.4.1 release line: public code search (e.g. Stereolabs/agx docs snippets quoting `cat /etc/nv_tegra_release`)',
  ],
  missing: [
    'Ubuntu 20.04.6 / Python 3.8.10 / kernel 5.10.120 for R35.4.1 are from memory of JetPack 5.1.2 images, not in the reference.',
    opencvNote,
    unameNote,
  ],
};

/** L4T 36.4.7 (JetPack 6.2.1). */
export const l4t3647: ReleaseFacts = {
  // First line verbatim from https://github.com/rbonghi/jetson_stats/issues/791 (Orin Nano devkit);
  // extra lines per jetson-facts.md §3.4 ("Extra lines in R36").
  nvTegraRelease:
    '# R36 (release), REVISION: 4.7, GCID: 42132812, BOARD: generic, EABI: aarch64, DATE: Thu Sep 18 22:54:44 UTC 2025\n' +
    '# KERNEL_VARIANT: oot\n' +
    'TARGET_USERSPACE_LIB_DIR=nvidia\n' +
    'TARGET_USERSPACE_LIB_DIR_PATH=usr/lib/aarch64-linux-gnu/nvidia\n',
  l4t: '36.4.7',
  jetpack: '6.2.1',
  ubuntu: 'Ubuntu 22.04.5 LTS',
  python: '3.10.12',
  versions: { cuda: '12.6.68', cudnn: '9.3.0', tensorrt: '10.3.0', opencv: '4.8.0' },
  kernel: '5.15.148-tegra',
  kernelBuild: '#1 SMP PREEMPT Thu Sep 18 15:08:33 PDT 2025',
  sources: [
    'jetson-facts.md §3.4 (R36.4.7 line, rbonghi/jetson_stats#791), §3.5 (36.4.7 = JetPack 6.2.1), §3.6 (36.4.x: CUDA 12.6 cudart 12.6.68, cuDNN 9.3.0, TensorRT 10.3.0)',
  ],
  missing: [
    'Ubuntu 22.04.5 / Python 3.10.12 / kernel 5.15.148 for R36.4.x are from memory of JetPack 6.2 images, not in the reference.',
    opencvNote,
    unameNote,
  ],
};

/** `uname -a` as an aarch64 L4T kernel prints it. */
export function unameFor(hostname: string, release: ReleaseFacts): string {
  return `Linux ${hostname} ${release.kernel} ${release.kernelBuild} aarch64 aarch64 aarch64 GNU/Linux`;
}

/** The release facts a profile spreads in (minus the helper-only fields). */
export function releaseFields(
  release: ReleaseFacts,
): Pick<SimProfile, 'nvTegraRelease' | 'l4t' | 'jetpack' | 'ubuntu' | 'python' | 'versions'> {
  return {
    nvTegraRelease: release.nvTegraRelease,
    l4t: release.l4t,
    jetpack: release.jetpack,
    ubuntu: release.ubuntu,
    python: release.python,
    versions: { ...release.versions },
  };
}
