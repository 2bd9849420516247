import { describe, expect, it } from 'vitest';
import {
  cleanFlashLine,
  countPartitions,
  failureCause,
  FlashLineReader,
  summarizeFlashLog,
  FlashLogParser,
  maxFlashLineChars,
  type FlashLogUpdate,
} from './flash-log.ts';

// Verbatim logs from /work/shared/reference/flashing-and-installing.md §2.6 (lines marked `…` there are left out).
const logA = `*** Flashing target device started. ***
./tegraflash.py --bl cboot.bin --bct P2180_A00_LP4_DSC_204Mhz.cfg --odmdata 0x84000 --bldtb tegra210-jetson-tx1-p2597-2180-a01-devkit.dtb --applet nvtboot_recovery.bin --boardconfig board_config_p2597-devkit.xml --cmd "flash;reboot" --cfg flash.xml --chip 0x21 
Welcome to Tegra Flash
version 1.0.0
Type ? or help for help and q or quit to exit
Use ! to execute system commands
 
[   0.0000 ] Generating RCM messages
[   0.0165 ] tegrarcm --listrcm rcm_list.xml --chip 0x21 --download rcm nvtboot_recovery.bin 0 0
[   0.0186 ] RCM 0 is saved as rcm_0.rcm
[   0.0868 ] Parsing partition layout
[   0.1049 ] tegraparser --pt flash.xml`;

const logB = `# L4T BSP Information:
# R32 , REVISION: 6.1
# Target Board Information:
# Name: jetson-nano-emmc, Board Family: t210ref, SoC: Tegra 210,
# OpMode: production, Boot Authentication: ,
[   0.0295 ] Boot Rom communication
[   0.0325 ] tegrarcm --chip 0x21 0 --rcm rcm_list_signed.xml --skipuid
[   0.0340 ] RCM version 0X210001
[   0.7790 ] Boot Rom communication completed`;

const logC = `[  22.4265 ] [................................................] 100%
[  22.4430 ] Writing partition VER_b with qspi_bootblob_ver.txt
[  32.4644 ] [................................................] 100%
[  32.4784 ] Writing partition VER with qspi_bootblob_ver.txt
[  32.7400 ] [................................................] 100%
[  39.7779 ] Flashing completed

[  39.7780 ] Coldbooting the device
[  39.7791 ] tegradevflash --reboot coldboot
[  39.7804 ] Cboot version 00.01.0000
[  39.8831 ] 
*** The target t210ref has been flashed successfully. ***
Reset the board to boot from internal eMMC`;

const logD = `[ 913.6337 ] Flashing completed
[ 913.6338 ] Coldbooting the device
*** The target generic has been flashed successfully. ***`;

const logE = `[  16.8138 ] Sending bootloader and pre-requisite binaries
[  16.8149 ] tegrarcm_v2 --download blob blob.bin
[  16.8159 ] Applet version 01.00.0000
[  16.8777 ] Sending blob
[  16.8778 ] [................................................] 100%
[  19.8405 ] tegradevflash_v2 --iscpubl
[  19.8434 ] Cannot Open USB
[  19.8724 ] 
[  20.8780 ] tegrarcm_v2 --isapplet
[  20.8811 ] USB communication failed.Check if device is in recovery
Error: None of the bootloaders are running on device. Check the UART log.
Failed flashing t186ref.`;

const logF = `[ 0.0464 ] Boot Rom communication
[ 0.0483 ] tegrarcm_v2 --chip 0x18 --rcm rcm_list_signed.xml --skipuid
[ 0.0503 ] RCM version 0X8
[ 0.0566 ] Boot Rom communication failed
[ 0.0703 ]
Error: Return value 3
Command tegrarcm_v2 --chip 0x18 --rcm rcm_list_signed.xml --skipuid
Reading board information failed.`;

const logG = `[   0.0135 ] tegrarcm_v2 --instance 1-6 --chip 0x23 0 --ismb2applet
[   0.0137 ] File rcm_state open failed
[   0.0139 ] ERROR: failed to read rcm_state
[   0.1171 ] Sending bct_br
[   0.1213 ] ERROR: might be timeout in USB write.
Error: Return value 3`;

const logH = `***************************************
*                                     *
*  Step 3: Start the flashing process *
*                                     *
***************************************
Mounting NFS folder  from this host
Waiting for target to boot-up...
Waiting for target to boot-up...
16:12:15.019 - Error: Timeout
16:12:15.022 - Error: Device ping failed after RCM boot.
16:12:15.024 - Error: This can be due to XUSB not being                                         enabled or device failed to boot.
16:12:15.027 - Error: Please retrieve the serial log to debug further.
Cleaning up...`;

const logI = `Found Jetson device in recovery mode at USB 1-12
== Step 1: Signing binaries at 2025-07-09T16:07:46+08:00 ==
== Step 2: Boot Jetson via RCM at 2025-07-09T16:07:59+08:00 ==
== Step 4: Writing partitions on external storage device at 2025-07-09T16:08:28+08:00 ==
Waiting for USB storage device nvme0n1 from 4ce67d9d.........[got flashpkg when expecting nvme0n1]
ERR: could not find nvme0n1
ERR: write failure to external storage at 2025-07-09T16:11:41+08:00`;

const probeFailure = `Error: probing the target board failed.
       Make sure the target board is connected through
       USB port and is in recovery mode.`;

function feed(log: string, parser = new FlashLogParser()): { parser: FlashLogParser; updates: FlashLogUpdate[] } {
  const updates = log.split('\n').flatMap((line) => parser.push(line));
  return { parser, updates };
}

function stages(updates: FlashLogUpdate[]): string[] {
  return updates.flatMap((update) => (update.kind === 'stage' ? [update.stage] : []));
}

describe('FlashLogParser on the reference logs (§2.6)', () => {
  it('(a) follows the stages and the [ t ] stamps of a flash.sh start', () => {
    const { parser, updates } = feed(logA);
    expect(stages(updates)).toEqual(['Flashing target device started', 'Generating RCM messages', 'Parsing partition layout']);
    expect(parser.result()).toMatchObject({ status: 'running', scriptSeconds: 0.1049 });
  });

  it('(b) reads the BSP release and the board header, then the Boot ROM handshake', () => {
    const { parser, updates } = feed(logB);
    expect(parser.result()).toMatchObject({
      release: 'R32.6.1',
      board: { name: 'jetson-nano-emmc', family: 't210ref', soc: 'Tegra 210' },
      stage: 'Boot Rom communication completed',
    });
    expect(stages(updates)).toContain('Boot Rom communication');
  });

  it('(c) counts a partition when its 100% bar follows its Writing line, then sees the success footer', () => {
    const { parser, updates } = feed(logC);
    expect(updates.filter((update) => update.kind === 'partition-done')).toEqual([
      { kind: 'partition-done', name: 'VER_b', done: 1 },
      { kind: 'partition-done', name: 'VER', done: 2 },
    ]);
    expect(stages(updates)).toEqual(['Writing partition VER_b', 'Writing partition VER', 'Flashing completed', 'Coldbooting the device']);
    expect(parser.result()).toMatchObject({
      status: 'flashed',
      partitionsDone: 2,
      successLine: '*** The target t210ref has been flashed successfully. ***',
      cause: null,
    });
  });

  it('(d) and (k): "flashed" means the script says so, for any board family', () => {
    const { parser, updates } = feed(logD);
    expect(updates.at(-1)).toEqual({ kind: 'flashed', line: '*** The target generic has been flashed successfully. ***' });
    expect(parser.result().status).toBe('flashed');
  });

  it('(e) the board lost on USB: failed, with the §2.7 cause', () => {
    const { parser } = feed(logE);
    const result = parser.result();
    expect(result.status).toBe('failed');
    expect(result.failureLine).toBe('Error: None of the bootloaders are running on device. Check the UART log.');
    expect(result.cause?.id).toBe('usb-lost');
    expect(result.cause?.advice).toMatch(/serial \(UART\) console/);
  });

  it('(f) Boot ROM communication failed with Return value 3 or 8: the VM / hub / cable advice', () => {
    expect(feed(logF).parser.result().cause).toMatchObject({ id: 'boot-rom', advice: expect.stringMatching(/virtual machine/) });
    expect(feed(logF.replace('Return value 3', 'Return value 8')).parser.result().cause?.id).toBe('boot-rom');
  });

  it('(g) rcm_state and a USB write timeout: power-cycle into recovery, another port', () => {
    const result = feed(logG).parser.result();
    expect(result.status).toBe('failed');
    expect(result.cause).toMatchObject({ id: 'usb-stale', advice: expect.stringMatching(/another USB port/) });
  });

  it('(h) the initrd flasher: boxed Step banners, waiting, then no answer on the USB network', () => {
    const { parser, updates } = feed(logH);
    expect(stages(updates)).toEqual([
      'Step 3: Start the flashing process',
      'Mounting NFS folder  from this host',
      'Waiting for target to boot-up',
    ]);
    expect(parser.result()).toMatchObject({ status: 'failed', failureLine: 'Error: Device ping failed after RCM boot.' });
    expect(parser.result().cause?.id).toBe('usb-network');
  });

  it('(i) OE4T-style Step headers and a missing NVMe drive', () => {
    const { parser, updates } = feed(logI);
    expect(stages(updates)).toEqual([
      'Step 1: Signing binaries',
      'Step 2: Boot Jetson via RCM',
      'Step 4: Writing partitions on external storage device',
    ]);
    expect(parser.result().cause?.id).toBe('external-storage');
  });

  it('the probing message of flash.sh (§2.1): not in recovery mode', () => {
    const result = feed(probeFailure).parser.result();
    expect(result.status).toBe('failed');
    expect(result.cause).toMatchObject({ id: 'not-in-recovery', advice: expect.stringMatching(/data cable/) });
  });
});

describe('FlashLogParser details', () => {
  it('keeps the last segment of a line redrawn with \\r and counts its partition once', () => {
    const parser = new FlashLogParser();
    parser.push('[   1.0000 ] Writing partition A_mb1 with mb1_t234_prod.bin');
    const updates = parser.push('[   1.0100 ] [..........            ]  40%\r[   1.0200 ] [......................] 100%\r');
    expect(updates).toEqual([{ kind: 'partition-done', name: 'A_mb1', done: 1 }]);
    expect(parser.result().scriptSeconds).toBe(1.02);
    expect(cleanFlashLine('[ 1 ] [...]  40%\r[ 2 ] [......] 100%\r  ')).toBe('[ 2 ] [......] 100%');
  });

  it('counts the board-side writes of the initrd flasher (§2.2) and ignores bars of other steps', () => {
    const parser = new FlashLogParser();
    const log = [
      '[   0.5000 ] Sending blob',
      '[   0.5001 ] [................................................] 100%',
      'Starting to flash to qspi',
      'Writing A_mb1 partition with mb1_t234_prod.bin',
      'Writing A_MB1_BCT partition with mb1_cold_boot_bct_MB1_sigheader.bct',
      'Writing A_cpu-bootloader partition with uefi_jetson.bin',
      'Successfully flash the qspi',
      'Writing APP partition with system.img',
      'Flashing success',
    ];
    for (const line of log) parser.push(line);
    expect(parser.result()).toMatchObject({ status: 'flashed', partitionsDone: 4, partition: null });
  });

  it('a failure summary after a board-side success line is a failure', () => {
    const { parser } = feed('Flashing success\nFlash complete (WITH FAILURES)');
    expect(parser.result()).toMatchObject({ status: 'failed', successLine: 'Flashing success', cause: { id: 'script-failed' } });
  });

  it('cuts an overlong line before reading it', () => {
    const parser = new FlashLogParser();
    const updates = parser.push(`Writing partition APP with system.img ${'.'.repeat(maxFlashLineChars * 4)} 100%`);
    expect(updates).toEqual([
      { kind: 'partition-started', name: 'APP', file: 'system.img' },
      { kind: 'stage', stage: 'Writing partition APP' },
    ]);
    expect(cleanFlashLine('y'.repeat(maxFlashLineChars * 2))).toHaveLength(maxFlashLineChars);
  });
});

describe('failureCause (§2.7)', () => {
  it('names the missing host tool and its install command', () => {
    const cause = failureCause(['ERROR xmlstarlet not found! To install - please run: "sudo apt-get install xmlstarlet"']);
    expect(cause).toMatchObject({ id: 'missing-host-tool', cause: expect.stringContaining('xmlstarlet') });
    expect(cause?.advice).toContain('`sudo apt-get install xmlstarlet`');
  });

  it('maps each message of the table to its cause', () => {
    const idOf = (line: string): string | undefined => failureCause([line])?.id;
    expect(idOf('*** Error: No Jetson device found.')).toBe('not-in-recovery');
    expect(idOf('ERR: could not retrieve EEPROM board information')).toBe('eeprom');
    expect(idOf('Error: Target board not found.')).toBe('eeprom');
    expect(idOf('Error, too many devices in RCM mode')).toBe('too-many-boards');
    expect(idOf('IPv6 is disabled. Please enable ipv6 to use this tool')).toBe('ipv6-disabled');
    expect(idOf('NFS port is blocked by UFW')).toBe('firewall');
    expect(idOf('mount.nfs: Connection timed out')).toBe('usb-network');
    expect(idOf('cp: error writing system.img: No space left on device')).toBe('disk-full');
    expect(idOf('[   2.0000 ] Error: Return value 12')).toBe('tool-error');
  });

  it('prefers the specific cause to the generic return value, and knows when it knows nothing', () => {
    expect(failureCause(['Error: Return value 3', '[ 0.0566 ] Boot Rom communication failed'])?.id).toBe('boot-rom');
    expect(failureCause(['everything is fine'])).toBeNull();
  });
});

describe('countPartitions', () => {
  it('counts <partition> entries, not the layout element nor commented-out entries', () => {
    const xml = `<?xml version="1.0"?>
<!-- <partition name="old" type="data"> -->
<partition_layout version="01.00.0000">
  <device type="spi" instance="0">
    <partition name="A_mb1" type="mb1_bootloader"><filename> mb1.bin </filename></partition>
    <partition
        name="A_MB1_BCT" type="mb1_bct"></partition>
    <!--
    <partition name="unused" type="data"></partition>
    -->
  </device>
  <device type="sdcard" instance="0"><partition name="APP" type="data"/></device>
</partition_layout>`;
    expect(countPartitions(xml)).toBe(3);
    expect(countPartitions('')).toBe(0);
  });
});

describe('FlashLineReader', () => {
  it('joins chunks into lines, keeps the last \\r redraw and the tail at the end', () => {
    const reader = new FlashLineReader();
    expect(reader.push('[ 1.0 ] Writing partition APP with sys')).toEqual([]);
    expect(reader.push('tem.img\n[ 1.1 ] [...]  10%\r[ 1.2 ] [......] 100%\r\n\nlast')).toEqual([
      '[ 1.0 ] Writing partition APP with system.img',
      '[ 1.2 ] [......] 100%',
    ]);
    expect(reader.flush()).toEqual(['last']);
  });

  it('keeps the final 100% of a bar redrawn thousands of times, and the head of a huge line', () => {
    const reader = new FlashLineReader();
    for (let percent = 0; percent < 5000; percent += 1) reader.push(`[ 2.0 ] [....] ${percent % 100}%\r`);
    expect(reader.push('[ 2.1 ] [........] 100%\n')).toEqual(['[ 2.1 ] [........] 100%']);
    const huge = reader.push(`Writing partition X with y ${'z'.repeat(maxFlashLineChars * 10)}\nnext\n`);
    expect(huge[0]).toMatch(/^Writing partition X with y z+$/);
    expect(huge[0]!.length).toBeLessThanOrEqual(maxFlashLineChars);
    expect(huge[1]).toBe('next');
  });
});

describe('summarizeFlashLog', () => {
  it('reads a whole saved log: stages, partitions written, outcome and cause', () => {
    expect(summarizeFlashLog(`${logB}\n${logC}\n`)).toMatchObject({
      outcome: 'flashed',
      partitionsWritten: 2,
      release: 'R32.6.1',
      stages: expect.arrayContaining(['Boot Rom communication', 'Writing partition VER', 'Coldbooting the device']),
      cause: null,
    });
    const failed = summarizeFlashLog(logF);
    expect(failed).toMatchObject({
      outcome: 'failed',
      cause: expect.stringContaining('Boot ROM'),
      advice: expect.stringContaining('virtual machine'),
    });
  });
});
