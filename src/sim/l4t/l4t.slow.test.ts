import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initrdLayout } from '../../shared/flash/devkits.ts';
import { countPartitions, FlashLogParser } from '../../shared/flash/flash-log.ts';
import { createSimulatedL4t, setSimulatedOutcome, type SimulatedL4t } from './l4t-folder.ts';
import { createRecoveryBoard, readFlashedBoard } from './recovery-board.ts';

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

let base: string;
let usb: string;
let l4t: SimulatedL4t;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'jwb-l4t-'));
  usb = join(base, 'usb');
  await mkdir(usb);
  l4t = await createSimulatedL4t(join(base, 'Linux_for_Tegra'), { release: 'R35.4.1', usbDevicesFolder: usb, speed: 25 });
});
afterEach(() => rm(base, { recursive: true, force: true }));

interface Run {
  code: number | null;
  lines: string[];
  /** idProduct of the board at 1-3 when each line was read. */
  productAt: Map<string, string>;
}

/** Runs a script of the folder for real; with watchProduct, reads the fake board's idProduct as each line arrives. */
function run(argv: string[], options: { prefix?: string[]; watchProduct?: boolean } = {}): Promise<Run> {
  const [program, ...args] = [...(options.prefix ?? []), ...argv];
  const child = spawn(program!, args, { cwd: l4t.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const productAt = new Map<string, string>();
  let tail = '';
  const onData = (chunk: Buffer): void => {
    const parts = (tail + chunk.toString('utf8')).split('\n');
    tail = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (options.watchProduct && !productAt.has(line)) productAt.set(line, readFileSync(join(usb, '1-3/idProduct'), 'utf8').trim());
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, lines: tail ? [...lines, tail] : lines, productAt })));
}

function parse(lines: string[]): FlashLogParser {
  const parser = new FlashLogParser();
  for (const line of lines) parser.push(line);
  return parser;
}

async function partitionsIn(path: string): Promise<number> {
  return countPartitions(await readFile(join(l4t.dir, path), 'utf8'));
}

async function productOfBoard(): Promise<string> {
  return (await readFile(join(usb, '1-3/idProduct'), 'utf8')).trim();
}

describe('simulated flash.sh', () => {
  it('flashes a board in recovery: the log of §2.6, every partition of the layout, then the 7020 gadget and flashed.json', async () => {
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3', serial: '1421623000456' });
    const result = await run(['./flash.sh', 'jetson-orin-nano-devkit', 'mmcblk0p1']);
    expect(result.code).toBe(0);
    const parsed = parse(result.lines).result();
    expect(parsed).toMatchObject({
      status: 'flashed',
      release: 'R35.4.1',
      board: { name: 'jetson-orin-nano-devkit', family: 't186ref', soc: 'Tegra 234' },
      successLine: '*** The target t186ref has been flashed successfully. ***',
    });
    const total = await partitionsIn('bootloader/t186ref/cfg/flash_t234_qspi_sd.xml');
    expect(total).toBeGreaterThanOrEqual(20);
    expect(total).toBeLessThanOrEqual(60);
    expect(parsed.partitionsDone).toBe(total);
    expect(await productOfBoard()).toBe('7020');
    expect(await readFlashedBoard(l4t.dir)).toMatchObject({
      boardConfig: 'jetson-orin-nano-devkit',
      storage: 'sd',
      script: 'flash.sh',
      usbPort: '1-3',
      user: null,
      hostname: 'localhost',
      oemConfig: true,
      authorizedKeys: [],
    });
  });

  it('says probing failed when no board is in recovery, or not at the given --usb-instance', async () => {
    const none = await run(['./flash.sh', 'jetson-agx-orin-devkit', 'internal']);
    expect(none.code).toBe(1);
    expect(none.lines).toContain('Error: probing the target board failed.');
    expect(parse(none.lines).result().cause?.id).toBe('not-in-recovery');
    await createRecoveryBoard(usb, { productId: '7023', busnum: 1, devpath: '3' });
    const elsewhere = await run(['./flash.sh', '--usb-instance', '2-1', 'jetson-agx-orin-devkit', 'internal']);
    expect(elsewhere.code).toBe(1);
    expect(parse(elsewhere.lines).result().status).toBe('failed');
    expect(await productOfBoard()).toBe('7023');
  });

  it('prints the reference failure lines of each failing outcome and leaves the board in recovery', async () => {
    await createRecoveryBoard(usb, { productId: '7023', busnum: 1, devpath: '3' });
    const expected = { 'bootrom-failure': 'boot-rom', 'usb-timeout': 'usb-stale', 'no-device': 'not-in-recovery' } as const;
    for (const [outcome, cause] of Object.entries(expected)) {
      await setSimulatedOutcome(l4t.dir, outcome as keyof typeof expected);
      const result = await run(['./flash.sh', 'jetson-agx-orin-devkit', 'internal']);
      expect(result.code).toBe(1);
      expect(parse(result.lines).result()).toMatchObject({ status: 'failed', cause: { id: cause } });
      expect(await productOfBoard()).toBe('7023');
    }
    expect(await readFlashedBoard(l4t.dir)).toBeNull();
  });

  it('refuses a board config the folder does not have', async () => {
    const result = await run(['./flash.sh', 'jetson-tx1-devkit', 'mmcblk0p1']);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toMatch(/Invalid target board - jetson-tx1-devkit/);
  });
});

describe('simulated l4t_initrd_flash.sh', () => {
  it('flashes NVMe with the reference command: Step banners, 0955:7035 while flashing, then 7020', async () => {
    // Slower, so the board is still in initrd mode when the test reads it (at least 120 ticks of 25 ms).
    l4t = await createSimulatedL4t(join(base, 'slow'), { release: 'R35.4.1', usbDevicesFolder: usb, speed: 2 });
    await createRecoveryBoard(usb, { productId: '7323', busnum: 1, devpath: '3' });
    const layout = initrdLayout(35);
    const argv = ['./tools/kernel_flash/l4t_initrd_flash.sh', '--external-device', 'nvme0n1p1', '-c', layout.externalXml];
    argv.push('-p', `-c ${layout.qspiConfig}`, '--showlogs', '--network', 'usb0', 'jetson-orin-nano-devkit', 'internal');
    const result = await run(argv, { watchProduct: true });
    expect(result.code).toBe(0);
    const parser = new FlashLogParser();
    const stages = result.lines.flatMap((line) => parser.push(line)).flatMap((update) => (update.kind === 'stage' ? [update.stage] : []));
    expect(stages).toEqual(expect.arrayContaining(['Step 1: Generate flash packages', 'Step 3: Start the flashing process', 'SSH ready']));
    expect(result.productAt.get('Waiting for target to boot-up...')).toBe('7035');
    expect(parser.result().status).toBe('flashed');
    expect(parser.result().partitionsDone).toBe((await partitionsIn(layout.externalXml)) + (await partitionsIn(layout.qspiConfig)));
    expect(await productOfBoard()).toBe('7020');
    expect(await readFlashedBoard(l4t.dir)).toMatchObject({ storage: 'nvme', script: 'l4t_initrd_flash.sh' });
  });

  it('writes the R36 layouts under their R36 names', async () => {
    const r36 = await createSimulatedL4t(join(base, 'R36'), { release: 'R36.4.3', usbDevicesFolder: usb });
    const layout = initrdLayout(36);
    expect((await lstat(join(r36.dir, layout.externalXml))).isFile()).toBe(true);
    expect((await lstat(join(r36.dir, layout.qspiConfig))).isFile()).toBe(true);
    expect(r36.boardConfigs).not.toContain('jetson-agx-xavier-devkit');
    expect(await readFile(join(r36.dir, 'rootfs/etc/nv_tegra_release'), 'utf8')).toMatch(/^# R36 \(release\), REVISION: 4\.3/);
  });
});

describe('simulated l4t_create_default_user.sh (§4.2)', () => {
  const createUser = ['./tools/l4t_create_default_user.sh', '-u', 'student', '-p', 'jetson-lab', '-n', 'lab-orin-07'];

  it.runIf(isRoot && hasSetpriv)('refuses without root', async () => {
    const result = await run(createUser, { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
    expect(result.code).toBe(1);
    expect(result.lines).toContain('ERROR: please run as sudo or root user');
  });

  it.runIf(isRoot)('needs --accept-license, then adds the user, sets the hostname and removes default.target', async () => {
    const refused = await run(createUser);
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/EULA/);
    const rootfs = join(l4t.dir, 'rootfs');
    expect((await lstat(join(rootfs, 'etc/systemd/system/default.target'))).isSymbolicLink()).toBe(true);

    const created = await run([...createUser, '--accept-license']);
    expect(created.code).toBe(0);
    const read = (path: string): Promise<string> => readFile(join(rootfs, path), 'utf8');
    expect(await read('etc/passwd')).toMatch(/^student:x:1000:1000:student,,,:\/home\/student:\/bin\/bash$/m);
    expect(await read('etc/shadow')).toMatch(/^student:\$1\$[^:]+:\d+:0:99999:7:::$/m);
    const group = await read('etc/group');
    for (const name of ['sudo', 'video', 'render', 'weston-launch']) expect(group).toMatch(new RegExp(`^${name}:x:\\d+:student$`, 'm'));
    expect(group).toMatch(/^adm:x:4:syslog,student$/m);
    expect(group).toMatch(/^audio:x:29:pulse,student$/m);
    expect(await read('etc/hostname')).toBe('lab-orin-07\n');
    expect(await read('etc/hosts')).toMatch(/^127\.0\.1\.1\tlab-orin-07$/m);
    await expect(lstat(join(rootfs, 'etc/systemd/system/default.target'))).rejects.toThrow();
    expect((await run([...createUser, '--accept-license'])).code).toBe(1);

    // What the workbench's rootfs writer adds, then the flash reports it for the simulator.
    await mkdir(join(rootfs, 'home/student/.ssh'), { recursive: true });
    await writeFile(join(rootfs, 'home/student/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK4x "lab" key\n');
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    expect((await run(['./flash.sh', 'jetson-orin-nano-devkit', 'mmcblk0p1'])).code).toBe(0);
    expect(await readFlashedBoard(l4t.dir)).toMatchObject({
      user: 'student',
      hostname: 'lab-orin-07',
      oemConfig: false,
      authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK4x "lab" key'],
    });
  });

  it('prints its usage verbatim with -h, and the prerequisites script installs nothing', async () => {
    const usage = await run(['./tools/l4t_create_default_user.sh', '-h']);
    expect(usage.lines).toContain('\t     --accept-license - Specified to accept the terms and conditions of EULA');
    const prerequisites = await run(['./tools/l4t_flash_prerequisites.sh']);
    expect(prerequisites.code).toBe(0);
    expect(prerequisites.lines.join('\n')).toMatch(/sudo apt-get install -y .*xmlstarlet/);
  });
});
