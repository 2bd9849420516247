import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlashJob, FlashProgressEvent } from '../../shared/flash/contract.ts';
import { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { countPartitions, failureCause } from '../../shared/flash/flash-log.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { createSimulatedL4t, type SimulatedL4tOptions } from '../../sim/l4t/l4t-folder.ts';
import { createRecoveryBoard, readFlashedBoard } from '../../sim/l4t/recovery-board.ts';
import { LocalLink } from '../host/local-link.ts';
import { FlashJobs } from './flash-jobs.ts';
import { RecoveryFlashService, type RecoveryFlashOptions } from './recovery-flash.ts';

const isRoot = process.getuid?.() === 0;
const orinNanoSd = { devkit: 'jetson-orin-nano-devkit', storage: 'sd' } as const;

let base: string;
let usb: string;
let events: FlashProgressEvent[];
let jobs: FlashJobs;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'jwb-recovery-'));
  usb = join(base, 'usb');
  await mkdir(usb);
  events = [];
  jobs = new FlashJobs(join(base, 'logs'), (event) => events.push(event));
});
afterEach(async () => {
  jobs.dispose();
  await rm(base, { recursive: true, force: true });
});

async function folder(options: Partial<SimulatedL4tOptions> = {}, name = 'Linux_for_Tegra'): Promise<string> {
  const l4t = await createSimulatedL4t(join(base, name), { release: 'R35.4.1', usbDevicesFolder: usb, speed: 10, ...options });
  return l4t.dir;
}

function service(options: Partial<RecoveryFlashOptions> = {}): RecoveryFlashService {
  return new RecoveryFlashService({ jobs, usbDevicesFolder: usb, timing: { pollMs: 50, boardWaitMs: 5000 }, ...options });
}

async function productAt(port: string): Promise<string> {
  return (await readFile(join(usb, port, 'idProduct'), 'utf8')).trim();
}

async function refusal(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  const error: unknown = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkbenchFailure)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

/** Processes whose working folder is inside `dir`: a script or one of its children still running there. */
async function processesIn(dir: string): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const cwds = await Promise.all(
    pids.map((pid) =>
      readlink(`/proc/${pid}/cwd`).then(
        (cwd) => (cwd.startsWith(dir) ? pid : null),
        () => null,
      ),
    ),
  );
  return cwds.filter((pid): pid is string => pid !== null);
}

/** A PATH with this host's basic programs and stand-ins for the named tools. */
async function pathWith(tools: readonly string[]): Promise<string> {
  const bin = join(base, `bin-${tools.length}`);
  await mkdir(bin, { recursive: true });
  for (const program of [
    'which',
    'test',
    'cat',
    'df',
    'uname',
    'systemd-detect-virt',
    'systemctl',
    'sh',
    'bash',
    'sleep',
    'awk',
    'sed',
    'grep',
    'cut',
    'date',
    'mv',
    'rm',
    'ls',
    'head',
    'tr',
    'dirname',
    'basename',
    'id',
    'openssl',
    'mkdir',
    'chown',
    'chmod',
  ]) {
    const real = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((dir) => join(dir, program)).find((path) => existsSync(path));
    if (real !== undefined && !existsSync(join(bin, program))) await symlink(real, join(bin, program));
  }
  for (const tool of tools) await writeFile(join(bin, tool), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return bin;
}

function ed25519Key(comment: string): string {
  const field = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(Buffer.alloc(32, 7))]).toString('base64')} ${comment}`;
}

describe('RecoveryFlashService with a simulated Linux_for_Tegra and a fake board in recovery', () => {
  it('flashes: stages and partitions counted from the layout, then waits for the 0955:7020 gadget', async () => {
    const l4tDir = await folder();
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    const recovery = service();
    const { flashId } = await recovery.start({ l4tDir, ...orinNanoSd });
    const job = await recovery.whenDone(flashId);
    const total = countPartitions(await readFile(join(l4tDir, 'bootloader/t186ref/cfg/flash_t234_qspi_sd.xml'), 'utf8'));
    expect(job).toMatchObject({ phase: 'done', partitionsDone: total, partitionsTotal: total, outcome: { ok: true } });
    expect(job.outcome?.summary).toMatch(/0955:7020 at 1-3/);
    expect(await productAt('1-3')).toBe('7020');
    const seen = events.map((event) => event.job);
    expect(seen.some((state) => state.phase === 'flashing' && /^Writing partition /.test(state.stage ?? ''))).toBe(true);
    const done = seen.map((state) => state.partitionsDone ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const log = (await recovery.whenDone(flashId).then((ended) => jobs.log(ended.flashId))).text;
    expect(log).toMatch(/\$ cd \S+ && (sudo )?\.\/flash\.sh jetson-orin-nano-devkit mmcblk0p1\n/);
    expect(log).toContain('*** The target t186ref has been flashed successfully. ***');
    expect(log).toMatch(/# done: Flashed/);
  });

  it.runIf(isRoot)(
    'applies a first-boot config: the NVIDIA user script, then the rootfs writer, and the flashed board has both',
    async () => {
      const l4tDir = await folder();
      await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
      const key = ed25519Key('student@lab');
      const firstBoot = FirstBootConfig.parse({
        user: 'student',
        password: 's3cret-lab-pass',
        hostname: 'lab-nano-01',
        sshPublicKey: key,
        acceptLicense: true,
      });
      const bin = await pathWith(['qemu-aarch64-static']);
      const recovery = service({
        linkFor: (cwd) => new LocalLink({ cwd, env: { PATH: bin } }),
        // Stands in for the privileged rootfs writer: it adds the key the NVIDIA script cannot.
        configureRootfs: async (rootDir, config) => {
          await mkdir(join(rootDir, 'home', config.user, '.ssh'), { recursive: true });
          await writeFile(join(rootDir, 'home', config.user, '.ssh/authorized_keys'), `${config.sshPublicKey}\n`);
        },
      });
      const job = await recovery.whenDone((await recovery.start({ l4tDir, ...orinNanoSd, firstBoot })).flashId);
      expect(job).toMatchObject({ phase: 'done', outcome: { ok: true, advice: expect.stringContaining('ssh student@lab-nano-01.local') } });
      expect(await readFlashedBoard(l4tDir)).toMatchObject({
        user: 'student',
        hostname: 'lab-nano-01',
        oemConfig: false,
        authorizedKeys: [key],
      });
      const log = (await jobs.log(job.flashId)).text;
      expect(log).toContain("./tools/l4t_create_default_user.sh -u student -p '••••' -n lab-nano-01 --accept-license");
      expect(log).not.toContain('s3cret-lab-pass');
    },
  );

  it('a Boot ROM failure ends failed with the §2.7 cause, the board left in recovery', async () => {
    const l4tDir = await folder({ outcome: 'bootrom-failure' });
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    const recovery = service();
    const job = await recovery.whenDone((await recovery.start({ l4tDir, ...orinNanoSd })).flashId);
    expect(job.phase).toBe('failed');
    expect(job.outcome).toMatchObject({ ok: false, summary: 'Flashing failed: Error: Return value 3' });
    expect(job.outcome?.cause).toBe(failureCause(['Boot Rom communication failed'])?.cause);
    expect(job.outcome?.advice).toMatch(/virtual machine/);
    expect(await productAt('1-3')).toBe('7523');
  });

  it('refuses before running anything when no board fits, and says what is on USB instead', async () => {
    const l4tDir = await folder();
    const recovery = service();
    const none = await refusal(recovery.start({ l4tDir, ...orinNanoSd }));
    expect(none.code).toBe('not-found');
    expect(none.message).toMatch(/No Jetson Orin Nano devkit in recovery mode on USB\. Nothing from NVIDIA is on USB\./);
    expect(none.detail).toMatch(/FC REC/);
    await createRecoveryBoard(usb, { productId: '7023', busnum: 1, devpath: '4' });
    expect((await refusal(recovery.start({ l4tDir, ...orinNanoSd }))).message).toMatch(
      /Jetson AGX Orin in recovery mode at 1-4 \(choose Jetson AGX Orin devkit\)/,
    );
    await mkdir(join(usb, '1-5'));
    await writeFile(join(usb, '1-5/idVendor'), '0955\n');
    await writeFile(join(usb, '1-5/idProduct'), '7020\n');
    expect((await refusal(recovery.start({ l4tDir, ...orinNanoSd }))).message).toMatch(/sudo reboot forced-recovery/);
    expect(jobs.list()).toEqual([]);
  });

  it('with several boards in recovery, needs the USB port, then flashes only that one with --usb-instance', async () => {
    const l4tDir = await folder();
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    await createRecoveryBoard(usb, { productId: '7623', busnum: 1, devpath: '4' });
    const recovery = service();
    expect((await refusal(recovery.start({ l4tDir, ...orinNanoSd }))).code).toBe('invalid-request');
    const job = await recovery.whenDone((await recovery.start({ l4tDir, ...orinNanoSd, usbInstance: '1-4' })).flashId);
    expect(job.phase).toBe('done');
    expect((await jobs.log(job.flashId)).text).toContain('./flash.sh --usb-instance 1-4 jetson-orin-nano-devkit mmcblk0p1');
    expect([await productAt('1-3'), await productAt('1-4')]).toEqual(['7523', '7020']);
  });

  it('refuses when a host check is missing, with its fix in the message', async () => {
    const l4tDir = await folder();
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    const bin = await pathWith([]);
    const recovery = service({ linkFor: (cwd) => new LocalLink({ cwd, env: { PATH: bin } }) });
    const refused = await refusal(recovery.start({ l4tDir, devkit: 'jetson-orin-nano-devkit', storage: 'nvme' }));
    expect(refused.code).toBe('unavailable');
    expect(refused.message).toMatch(/not ready to flash yet\. .*sudo apt-get install xmlstarlet/);
    expect(jobs.list()).toEqual([]);
  });

  it('cancel mid-flash stops the script and its children and ends cancelled', async () => {
    const l4tDir = await folder({ speed: 0.5 });
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    const recovery = service();
    const { flashId } = await recovery.start({ l4tDir, ...orinNanoSd });
    let job: FlashJob = jobs.get(flashId);
    for (let waited = 0; (job.partitionsDone ?? 0) < 1 && job.endedAt === null && waited < 30_000; waited += 50) {
      await sleep(50);
      job = jobs.get(flashId);
    }
    expect(job).toMatchObject({ phase: 'flashing', endedAt: null });
    expect(await processesIn(l4tDir)).not.toEqual([]);
    expect(jobs.cancel(flashId)).toBe(true);
    const ended = await recovery.whenDone(flashId);
    expect(ended).toMatchObject({ phase: 'cancelled', outcome: { ok: false, cause: 'You cancelled the flash.' } });
    expect(ended.outcome?.summary).toMatch(/^Cancelled during “Writing partition /);
    expect(await processesIn(l4tDir)).toEqual([]);
    expect(await productAt('1-3')).toBe('7523');
  }, 60_000);

  it('a success line is not proof (§2.6 k): a board that never comes back ends failed', async () => {
    const l4tDir = await folder({ boardBoots: false });
    await createRecoveryBoard(usb, { productId: '7523', busnum: 1, devpath: '3' });
    const recovery = service({ timing: { pollMs: 50, boardWaitMs: 500 } });
    const job = await recovery.whenDone((await recovery.start({ l4tDir, ...orinNanoSd })).flashId);
    expect(job.phase).toBe('failed');
    expect(job.outcome?.summary).toMatch(/says the board was flashed, but the board did not start Linux/);
    expect(job.outcome?.cause).toMatch(/not proof/);
  });

  it('lists the devkits and checks the host for one', async () => {
    const l4tDir = await folder();
    const recovery = service();
    expect(recovery.devkits().map((devkit) => devkit.id)).toContain('jetson-agx-orin-devkit');
    const checks = await recovery.check({ l4tDir, ...orinNanoSd });
    expect(checks.find((entry) => entry.id === 'l4t-board-config')?.state).toBe('ok');
    expect((await refusal(recovery.check({ l4tDir, devkit: 'jetson-nothing', storage: 'sd' }))).code).toBe('not-found');
  });
});
