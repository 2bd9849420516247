import { describe, expect, it } from 'vitest';
import { jetpackForL4t } from './jetpack.ts';
import {
  l4tFromCorePackage,
  parseDpkgList,
  parseFrameworks,
  parseNvccVersion,
  parseNvTegraRelease,
  parsePowerModes,
  stackVersions,
} from './parse-nvidia.ts';
import {
  parseDeviceTreeString,
  parseDfRoot,
  parseInternetCheck,
  parseIpv4Addresses,
  parseMeminfo,
  parseOsRelease,
  parseUname,
} from './parse-system.ts';
import { splitSections } from './sections.ts';

describe('nv_tegra_release (jetson-facts.md 3.4 verbatim examples)', () => {
  it.each([
    [
      '# R28 (release), REVISION: 2.1, GCID: 11272647, BOARD: t186ref, EABI: aarch64, DATE: Thu May 17 07:29:06 UTC 2018',
      '28.2.1',
      't186ref',
    ],
    [
      '# R32 (release), REVISION: 7.1, GCID: 29689809, BOARD: t186ref, EABI: aarch64, DATE: Wed Feb  2 21:33:23 UTC 2022',
      '32.7.1',
      't186ref',
    ],
    [
      '# R35 (release), REVISION: 3.1, GCID: 32790763, BOARD: t186ref, EABI: aarch64, DATE: Wed Mar 15 07:54:12 UTC 2023',
      '35.3.1',
      't186ref',
    ],
    [
      '# R36 (release), REVISION: 4.7, GCID: 42132812, BOARD: generic, EABI: aarch64, DATE: Thu Sep 18 22:54:44 UTC 2025',
      '36.4.7',
      'generic',
    ],
    [
      '# R38 (release), REVISION: 4.0, GCID: 43443517, BOARD: generic, EABI: aarch64, DATE: Wed Dec 31 00:15:19 UTC 2025\n# KERNEL_VARIANT: oot',
      '38.4.0',
      'generic',
    ],
    [
      '# R39 (release), REVISION: 2.0, GCID: 45755727, BOARD: generic, EABI: aarch64, DATE: Mon Jun  1 09:28:48 PM UTC 2026',
      '39.2.0',
      'generic',
    ],
  ])('%s', (text, l4t, board) => {
    expect(parseNvTegraRelease(text)).toEqual({ l4t, board });
  });

  it('is null without the file, and falls back to the nvidia-l4t-core version', () => {
    expect(parseNvTegraRelease(undefined)).toEqual({ l4t: null, board: null });
    expect(parseNvTegraRelease('cat: /etc/nv_tegra_release: No such file')).toEqual({ l4t: null, board: null });
    expect(l4tFromCorePackage('36.4.4-20250616085344')).toBe('36.4.4');
  });
});

describe('jetpackForL4t (jetson-facts.md 3.5)', () => {
  it('maps releases, with jetson_stats winning disagreements', () => {
    expect(jetpackForL4t('36.4.7')).toBe('6.2.1');
    expect(jetpackForL4t('36.5.0')).toBe('6.2.2');
    expect(jetpackForL4t('32.7.1')).toBe('4.6.1');
    expect(jetpackForL4t('35.4.1')).toBe('5.1.2');
    expect(jetpackForL4t('36.3')).toBe('6.0');
    expect(jetpackForL4t('99.1.0')).toBeNull();
    expect(jetpackForL4t(null)).toBeNull();
  });
});

describe('nvpmodel (jetson-facts.md 2.6)', () => {
  it('reads the current mode and the verbose mode list', () => {
    const query = 'NV Power Mode: MODE_15W\n2\n';
    const modes = [
      'NVPM VERB: PM_CONFIG: DEFAULT=MODE_15W(2)',
      'NVPM VERB: POWER_MODEL: ID=0 NAME=MAXN',
      'NVPM VERB: POWER_MODEL: ID=1 NAME=MODE_10W',
      'NVPM VERB: POWER_MODEL: ID=2 NAME=MODE_15W',
    ].join('\n');
    expect(parsePowerModes(query, modes)).toEqual({
      current: 'MODE_15W',
      currentId: 2,
      defaultId: 2,
      available: [
        { id: 0, name: 'MAXN' },
        { id: 1, name: 'MODE_10W' },
        { id: 2, name: 'MODE_15W' },
      ],
    });
  });

  it('reads the mode list from nvpmodel.conf lines, and is null off a Jetson', () => {
    const conf = '< POWER_MODEL ID=0 NAME=MAXN >\n< POWER_MODEL ID=1 NAME=5W >';
    expect(parsePowerModes('NV Power Mode: MAXN\n0', conf)?.available).toEqual([
      { id: 0, name: 'MAXN' },
      { id: 1, name: '5W' },
    ]);
    expect(parsePowerModes('', '')).toBeNull();
  });
});

describe('packages and versions', () => {
  const dpkg = [
    'Desired=Unknown/Install/Remove/Purge/Hold',
    '||/ Name                 Version                     Architecture Description',
    '+++-====================-===========================-============-=================',
    'ii  cuda-toolkit-11-4    11.4.19-1                   arm64        CUDA Toolkit 11.4 meta-package',
    'ii  libcudnn8            8.6.0.166-1+cuda11.4        arm64        cuDNN runtime libraries',
    'ii  libnvinfer8          8.5.2-1+cuda11.4            arm64        TensorRT runtime libraries',
    'ii  libopencv            4.5.4-8-g3e4c170df4         arm64        Open Computer Vision Library',
    'ii  nvidia-jetpack       5.1.2-b104                  arm64        NVIDIA Jetpack Meta Package',
    'ii  nvidia-l4t-core      35.4.1-20230801124926       arm64        NVIDIA Core Package',
    'un  cudnn                <none>                      <none>       (no description available)',
  ].join('\n');

  it('keeps installed rows only', () => {
    const packages = parseDpkgList(dpkg);
    expect(packages.get('libcudnn8')).toBe('8.6.0.166-1+cuda11.4');
    expect(packages.has('cudnn')).toBe(false);
  });

  it('derives the CUDA stack, nvcc winning for CUDA', () => {
    const packages = parseDpkgList(dpkg);
    expect(stackVersions(packages, null)).toEqual({
      cuda: '11.4',
      cudnn: '8.6.0',
      tensorrt: '8.5.2',
      opencv: '4.5.4',
      jetpackPackage: '5.1.2',
      l4tCore: '35.4.1-20230801124926',
    });
    expect(parseNvccVersion('nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.6, V12.6.68')).toBe('12.6');
    expect(stackVersions(packages, '11.8').cuda).toBe('11.8');
  });

  it('reads the framework probe, and ignores garbage', () => {
    expect(
      parseFrameworks(
        '{"torch": {"version": "2.3.0", "cuda": true, "simulated": true}, "numpy": {"version": "1.26.4", "cuda": null, "simulated": false}}',
      ),
    ).toEqual([
      { name: 'numpy', version: '1.26.4', cuda: null, simulated: false },
      { name: 'torch', version: '2.3.0', cuda: true, simulated: true },
    ]);
    expect(parseFrameworks('Traceback (most recent call last):')).toEqual([]);
    expect(parseFrameworks('{not json')).toEqual([]);
  });
});

describe('system parsers', () => {
  it('strips the device tree NUL (jetson-facts.md 3.2)', () => {
    expect(parseDeviceTreeString('NVIDIA Jetson AGX Orin Developer Kit\0')).toBe('NVIDIA Jetson AGX Orin Developer Kit');
    expect(parseDeviceTreeString('\0\n')).toBeNull();
  });

  it('reads os-release, uname, meminfo and df', () => {
    expect(parseOsRelease('NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 22.04.5 LTS"\n')).toBe('Ubuntu 22.04.5 LTS');
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nVERSION="12 (bookworm)"')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(
      parseUname('Linux orin-nano-01 5.15.148-tegra #1 SMP PREEMPT Thu Sep 18 15:08:33 PDT 2025 aarch64 aarch64 aarch64 GNU/Linux'),
    ).toEqual({
      kernel: '5.15.148-tegra',
      hostname: 'orin-nano-01',
      arch: 'aarch64',
    });
    expect(parseUname('')).toEqual({ kernel: null, hostname: null, arch: null });
    expect(parseMeminfo('MemTotal:        7802880 kB\nMemFree: 1 kB\nSwapTotal:      16777216 kB\n')).toEqual({
      ramMb: 7620,
      swapMb: 16384,
    });
    expect(
      parseDfRoot('Filesystem     1K-blocks     Used Available Use% Mounted on\n/dev/mmcblk0p1  59768832 28311552  31457280  48% /'),
    ).toEqual({ totalGb: 57, freeGb: 30 });
    // A long device name wraps the row in POSIX df output.
    expect(
      parseDfRoot('Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/mapper/very-long-name\n 1048576 524288 524288 50% /').freeGb,
    ).toBe(0.5);
  });

  it('lists IPv4 addresses without loopback, and reads the internet check', () => {
    const ip =
      '1: lo: <LOOPBACK>\n    inet 127.0.0.1/8 scope host lo\n2: eth0: <UP>\n    inet 127.0.0.2/8 brd 127.255.255.255 scope global eth0\n';
    expect(parseIpv4Addresses(ip)).toEqual(['127.0.0.2/8']);
    expect(parseInternetCheck('status=0')).toBe('yes');
    expect(parseInternetCheck('status=124')).toBe('no');
    expect(parseInternetCheck('status=2')).toBe('no');
    expect(parseInternetCheck('status=127')).toBe('unknown');
    expect(parseInternetCheck(undefined)).toBe('unknown');
  });
});

describe('splitSections', () => {
  it('keeps empty sections and ignores text before the first marker', () => {
    const sections = splitSections('motd\n@@jwb:model\nJetson\0\n@@jwb:serial\n\n@@jwb:nproc\r\n6\r\n');
    expect([...sections.keys()]).toEqual(['model', 'serial', 'nproc']);
    expect(sections.get('serial')).toBe('');
    expect(sections.get('nproc')).toBe('6');
  });
});
