import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostCheck } from '../../shared/flash/contract.ts';
import { findDevkit } from '../../shared/flash/devkits.ts';
import { createSimulatedL4t, type SimulatedL4t } from '../../sim/l4t/l4t-folder.ts';
import { LocalLink } from '../host/local-link.ts';
import { checkHost, parseL4tRelease } from './host-checks.ts';

let base: string;
let l4t: SimulatedL4t;
/** A PATH of its own: the basic programs of this host, plus stand-ins for the flash tools a test says are installed. */
let bin: string;

const orinNano = findDevkit('jetson-orin-nano-devkit')!;
const basics = ['which', 'test', 'cat', 'df', 'uname', 'systemd-detect-virt', 'systemctl', 'sh'];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'jwb-hostcheck-'));
  l4t = await createSimulatedL4t(join(base, 'Linux_for_Tegra'), { release: 'R35.4.1', usbDevicesFolder: join(base, 'usb') });
  bin = join(base, 'bin');
  await mkdir(bin);
  for (const program of basics) {
    const real = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((folder) => join(folder, program)).find((path) => existsSync(path));
    if (real !== undefined) await symlink(real, join(bin, program));
  }
  for (const program of ['sshpass', 'abootimg', 'zstd', 'simg2img', 'xmllint']) {
    await writeFile(join(bin, program), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
});
afterAll(() => rm(base, { recursive: true, force: true }));

function byId(checks: HostCheck[], id: string): HostCheck {
  const found = checks.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no check ${id} in ${checks.map((entry) => entry.id).join(', ')}`);
  return found;
}

async function osRelease(text: string): Promise<string> {
  const path = join(base, `os-release-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, text);
  return path;
}

describe('checkHost against a simulated Linux_for_Tegra folder and this host', () => {
  it('finds the folder complete for an SD flash, and nothing it needs is missing on this host', async () => {
    const checks = await checkHost({ l4tDir: l4t.dir, devkit: orinNano, storage: 'sd' }, new LocalLink());
    for (const id of ['l4t-flash-sh', 'l4t-board-config', 'l4t-rootfs']) expect(byId(checks, id).state).toBe('ok');
    for (const id of ['host-os', 'disk-space', 'virtualization', 'tool-prerequisites', 'tool-qemu-aarch64-static', 'privileges']) {
      expect(['ok', 'warning']).toContain(byId(checks, id).state);
    }
    expect(checks.find((entry) => entry.id === 'ipv6')).toBeUndefined();
    for (const entry of checks) if (entry.state !== 'ok') expect(entry.fix).not.toBeNull();
  });

  it('tells a supported Ubuntu from an unsupported one and another distribution (§1.4), never a refusal', async () => {
    const request = { l4tDir: l4t.dir, devkit: orinNano, storage: 'sd' as const };
    const link = new LocalLink();
    const focal = await checkHost(request, link, {
      osReleasePath: await osRelease('NAME="Ubuntu"\nVERSION_ID="20.04"\nID=ubuntu\nPRETTY_NAME="Ubuntu 20.04.6 LTS"\n'),
    });
    expect(byId(focal, 'host-os')).toMatchObject({ state: 'ok', detail: expect.stringContaining('Ubuntu 20.04.6 LTS') });
    const jammy = await checkHost(request, link, {
      osReleasePath: await osRelease('ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n'),
    });
    expect(byId(jammy, 'host-os')).toMatchObject({ state: 'warning', fix: expect.stringContaining('18.04 or 20.04') });
    const fedora = await checkHost(request, link, {
      osReleasePath: await osRelease('ID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora Linux 40"\n'),
    });
    expect(byId(fedora, 'host-os')).toMatchObject({ state: 'warning', detail: expect.stringContaining('Fedora Linux 40') });
  });

  it('for NVMe, needs the initrd flasher, its layouts and every tool, each with its apt-get fix', async () => {
    const link = new LocalLink({ env: { PATH: bin } });
    const checks = await checkHost({ l4tDir: l4t.dir, devkit: orinNano, storage: 'nvme' }, link);
    for (const id of ['l4t-initrd', 'l4t-nvme-layout', 'l4t-qspi-layout', 'tool-sshpass', 'tool-zstd'])
      expect(byId(checks, id).state).toBe('ok');
    expect(byId(checks, 'tool-xmlstarlet')).toMatchObject({
      state: 'missing',
      fix: expect.stringContaining('sudo apt-get install xmlstarlet'),
    });
    expect(byId(checks, 'tool-xmlstarlet').fix).toContain('sudo ./tools/l4t_flash_prerequisites.sh');
    expect(['ok', 'missing']).toContain(byId(checks, 'ipv6').state);
    expect(byId(checks, 'udisks2').state).toMatch(/ok|warning/);
  });

  it.runIf(!existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64'))('needs qemu-user-static for a first-boot config (§4.2)', async () => {
    const link = new LocalLink({ env: { PATH: bin } });
    const checks = await checkHost({ l4tDir: l4t.dir, devkit: orinNano, storage: 'sd', firstBoot: true }, link);
    expect(byId(checks, 'tool-qemu-aarch64-static')).toMatchObject({ state: 'missing', fix: 'sudo apt-get install qemu-user-static' });
    expect(byId(checks, 'l4t-create-user').state).toBe('ok');
    await writeFile(join(bin, 'qemu-aarch64-static'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const withQemu = await checkHost({ l4tDir: l4t.dir, devkit: orinNano, storage: 'sd', firstBoot: true }, link);
    expect(byId(withQemu, 'tool-qemu-aarch64-static').state).toBe('ok');
    await rm(join(bin, 'qemu-aarch64-static'));
  });

  it('says what is missing from a folder that is not Linux_for_Tegra or lacks the board', async () => {
    const empty = join(base, 'empty');
    await mkdir(empty);
    const checks = await checkHost({ l4tDir: empty, devkit: orinNano, storage: 'sd' }, new LocalLink());
    expect(byId(checks, 'l4t-flash-sh')).toMatchObject({ state: 'missing', fix: expect.stringContaining('Linux_for_Tegra') });
    expect(byId(checks, 'l4t-rootfs')).toMatchObject({ state: 'missing', fix: expect.stringContaining('apply_binaries.sh') });
    const tx1 = await checkHost({ l4tDir: l4t.dir, devkit: findDevkit('jetson-tx1-devkit')!, storage: 'emmc' }, new LocalLink());
    expect(byId(tx1, 'l4t-board-config')).toMatchObject({ state: 'missing', detail: expect.stringContaining('jetson-tx1-devkit.conf') });
    const gone = await checkHost({ l4tDir: join(base, 'nowhere'), devkit: orinNano, storage: 'sd' }, new LocalLink());
    expect(byId(gone, 'disk-space').state).toBe('warning');
  });
});

describe('parseL4tRelease', () => {
  it('reads nv_tegra/bsp_version', () => {
    expect(parseL4tRelease('# comment\nBSP_BRANCH=36\nBSP_MAJOR=4\nBSP_MINOR=3\n')).toEqual({ major: 36, minor: 4, patch: 3 });
    expect(parseL4tRelease('nothing here')).toBeNull();
  });
});
