import { describe, expect, it } from 'vitest';
import { buildBoardFacts } from './board-facts-builder.ts';

function sections(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

describe('buildBoardFacts', () => {
  it('identifies a Jetson from nv_tegra_release, with JetPack from the table', () => {
    const facts = buildBoardFacts(
      sections({
        model: 'NVIDIA Jetson AGX Orin Developer Kit\0',
        serial: '1421623000000\0',
        tegra: '# R36 (release), REVISION: 4.7, GCID: 42132812, BOARD: generic, EABI: aarch64, DATE: Thu Sep 18 22:54:44 UTC 2025',
        'nvidia-smi': 'status=127',
        internet: 'status=0',
      }),
    );
    expect(facts).toMatchObject({
      kind: 'jetson',
      module: 'NVIDIA Jetson AGX Orin Developer Kit',
      serialNumber: '1421623000000',
      l4t: '36.4.7',
      jetpack: '6.2.1',
      internet: 'yes',
    });
  });

  it('reports a desktop with an NVIDIA GPU and a plain Linux host as what they are', () => {
    const desktop = buildBoardFacts(
      sections({
        uname: 'Linux lab-pc 6.8.0-45-generic #45-Ubuntu SMP PREEMPT_DYNAMIC x86_64 x86_64 x86_64 GNU/Linux',
        'nvidia-smi': 'GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-5f8c0b5e-0000-0000-0000-000000000000)\nstatus=0',
      }),
    );
    expect(desktop).toMatchObject({ kind: 'desktop-gpu', module: 'NVIDIA GeForce RTX 3060', jetpack: null, arch: 'x86_64' });
    const host = buildBoardFacts(
      sections({ uname: 'Linux pi 6.1.0-rpi7-rpi-v8 #1 SMP PREEMPT aarch64 GNU/Linux', 'nvidia-smi': 'status=127' }),
    );
    expect(host).toMatchObject({ kind: 'linux-host', module: null, l4t: null, powerMode: null, frameworks: [], internet: 'unknown' });
    expect(buildBoardFacts(new Map()).kind).toBe('unknown');
  });

  it('takes L4T from nvidia-l4t-core when nv_tegra_release is missing', () => {
    const facts = buildBoardFacts(sections({ dpkg: 'ii  nvidia-l4t-core  36.4.4-20250616085344  arm64  NVIDIA Core Package' }));
    expect(facts).toMatchObject({ kind: 'jetson', l4t: '36.4.4', jetpack: '6.2.1' });
  });
});
