import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { simulatorMarkerPath } from '../shared/identify/board-facts.ts';
import type { SimBoard } from './board.ts';
import type { BoardSnapshot, SimProfile } from './model.ts';

/**
 * The text files a board shows about itself that the model's sysfs writer
 * does not cover: /proc/meminfo, /proc/cpuinfo, /etc/os-release,
 * /etc/hostname. /proc/meminfo is also generated live by `cat`.
 */
export function writeIdentityFiles(board: SimBoard): void {
  const files: Record<string, string> = {
    '/etc/os-release': osRelease(board.profile),
    '/etc/hostname': `${board.hostname}\n`,
    // Identification reads it: a simulated board says so in every report.
    [simulatorMarkerPath]: `Jetson Workbench simulator, profile ${board.profile.id}\n`,
    '/proc/cpuinfo': cpuInfo(board.profile),
    '/proc/meminfo': memInfo(board.profile, null),
  };
  for (const [path, text] of Object.entries(files)) {
    const target = join(board.fsRoot, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** Ubuntu's /etc/os-release, from the profile's PRETTY_NAME ("Ubuntu 22.04.4 LTS"). */
export function osRelease(profile: SimProfile): string {
  const version = /(\d+\.\d+)(\.\d+)?/.exec(profile.ubuntu);
  const short = version?.[1] ?? '22.04';
  const codename = { '16.04': 'xenial', '18.04': 'bionic', '20.04': 'focal', '22.04': 'jammy', '24.04': 'noble' }[short] ?? 'jammy';
  return [
    `PRETTY_NAME="${profile.ubuntu}"`,
    'NAME="Ubuntu"',
    `VERSION_ID="${short}"`,
    `VERSION="${profile.ubuntu.replace(/^Ubuntu /, '')} (${codename[0]?.toUpperCase()}${codename.slice(1)})"`,
    `VERSION_CODENAME=${codename}`,
    'ID=ubuntu',
    'ID_LIKE=debian',
    'HOME_URL="https://www.ubuntu.com/"',
    `UBUNTU_CODENAME=${codename}`,
    '',
  ].join('\n');
}

export function cpuInfo(profile: SimProfile): string {
  const blocks: string[] = [];
  for (let index = 0; index < profile.cpu.cores; index += 1) {
    if (profile.arch === 'aarch64') {
      blocks.push(
        [
          `processor\t: ${index}`,
          'BogoMIPS\t: 62.50',
          'Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp uscat ilrcpc flagm',
          'CPU implementer\t: 0x41',
          'CPU architecture: 8',
          'CPU variant\t: 0x3',
          'CPU part\t: 0xd42',
          'CPU revision\t: 1',
          '',
        ].join('\n'),
      );
    } else {
      blocks.push(
        [
          `processor\t: ${index}`,
          'vendor_id\t: GenuineIntel',
          'model name\t: Simulated x86_64 CPU',
          `cpu MHz\t\t: ${profile.cpu.maxMhz}.000`,
          `cpu cores\t: ${profile.cpu.cores}`,
          '',
        ].join('\n'),
      );
    }
  }
  return `${blocks.join('\n')}\n`;
}

export function memInfo(profile: SimProfile, snapshot: BoardSnapshot | null): string {
  const totalKb = profile.memory.ramMb * 1024;
  const usedKb = Math.round((snapshot?.ramUsedMb ?? profile.memory.ramMb * 0.3) * 1024);
  const freeKb = Math.max(0, totalKb - usedKb);
  const swapKb = profile.memory.swapMb * 1024;
  const swapFreeKb = Math.max(0, swapKb - Math.round((snapshot?.swapUsedMb ?? 0) * 1024));
  const line = (name: string, kb: number): string => `${`${name}:`.padEnd(16)}${String(kb).padStart(8)} kB`;
  return [
    line('MemTotal', totalKb),
    line('MemFree', Math.round(freeKb * 0.6)),
    line('MemAvailable', freeKb),
    line('Buffers', 20480),
    line('Cached', Math.round(freeKb * 0.35)),
    line('SwapCached', 0),
    line('SwapTotal', swapKb),
    line('SwapFree', swapFreeKb),
    '',
  ].join('\n');
}
