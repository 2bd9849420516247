/**
 * `jwb drives` and `jwb flash sd|recovery|log`: the Flash view without a
 * window, through the same dispatcher (so the same drive checks, the same
 * writer, the same log parser), like `rpi-imager --cli` (reference §3.3).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodInput } from '../../shared/api.ts';
import type { Drive, FlashJob, FlashProgressEvent } from '../../shared/flash/contract.ts';
import { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { summarizeFlashLog } from '../../shared/flash/flash-log.ts';
import { passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { followJob } from '../follow-job.ts';
import { printable } from '../printable.ts';
import { withWorkbench, type CliWorkbench } from '../workbench.ts';
import { reportFailure } from './info.ts';

const gigabyte = 1e9;

export const drivesCommand: CliCommand = {
  name: 'drives',
  usage: [
    'jwb drives [--all] [--json]',
    '',
    'Lists the drives an SD-card image can be written to (lsblk). System drives and drives holding',
    "this computer's files are marked and cannot be chosen; --all also lists loop and virtual drives.",
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    try {
      const drives = await withWorkbench(io, 'drives', (workbench) => workbench.call('flash.drives', { includeVirtual: values.all }));
      if (values.json) writeJson(io, drives);
      else io.stdout.write(drives.length === 0 ? 'No drive found.\n' : `${drives.map(formatDrive).join('\n')}\n`);
      return 0;
    } catch (error) {
      return reportFailure(io, 'drives', error, values.json);
    }
  },
};

export const flashCommand: CliCommand = {
  name: 'flash',
  usage: [
    'jwb flash sd <image|url> <device> [--yes-large] [--sha256 HEX] [--no-verify] [--first-boot FILE]',
    '             [--firmware-updated] [--virtual] [--json]',
    'jwb flash recovery --l4t DIR --devkit ID --storage emmc|sd|nvme|qspi [--usb-instance 1-3]',
    '             [--first-boot FILE] [--sudo-password-env VAR] [--check] [--json]',
    'jwb flash devkits [--json]',
    'jwb flash log <file> [--json]',
    '',
    'sd: writes an image (.img, .img.xz, .zip; or an http(s) address, downloaded first) to a drive listed',
    'by `jwb drives`, decompressing as it writes, then reads it back and compares SHA-256. A drive over',
    '128 GB needs --yes-large; --virtual allows loop devices. --first-boot FILE (JSON: user, password,',
    'hostname, sshPublicKey, wifi {ssid, password, country}, locale, timezone, acceptLicense: true)',
    "writes the first boot into the image's root filesystem, so oem-config does not run.",
    "recovery: runs NVIDIA's flash.sh or l4t_initrd_flash.sh from your Linux_for_Tegra folder for a board",
    'in Force Recovery Mode (`jwb flash devkits` lists the boards, how to enter recovery and the storages).',
    '--check only checks this computer. log: reads a saved flash log and says what happened and what to do.',
  ].join('\n'),
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'sd') return flashSd(rest, io);
    if (sub === 'recovery') return flashRecovery(rest, io);
    if (sub === 'devkits') return listDevkits(rest, io);
    if (sub === 'log') return readLog(rest, io);
    throw new UsageError('give sd, recovery, devkits or log');
  },
};

async function flashSd(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'yes-large': { type: 'boolean', default: false },
      sha256: { type: 'string' },
      'no-verify': { type: 'boolean', default: false },
      'first-boot': { type: 'string' },
      'firmware-updated': { type: 'boolean', default: false },
      virtual: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 2) throw new UsageError('give an image (file or address) and a device');
  const [image, device] = positionals as [string, string];
  const firstBoot = values['first-boot'] === undefined ? undefined : readFirstBoot(values['first-boot']);
  try {
    return await withWorkbench(io, 'flash', async (workbench) => {
      const drive = (await workbench.call('flash.drives', { includeVirtual: values.virtual })).find(
        (candidate) => candidate.device === device,
      );
      if (drive === undefined)
        throw new UsageError(`${device} is not a drive this computer lists (see jwb drives${values.virtual ? ' --all' : ''})`);
      const request: MethodInput<'flash.sd.start'> = {
        image: /^https?:\/\//.test(image) ? image : resolve(image),
        device,
        expectedSize: drive.size,
        confirmLarge: values['yes-large'],
        verify: !values['no-verify'],
        firmwareAcknowledged: values['firmware-updated'],
        includeVirtual: values.virtual,
        ...(values.sha256 === undefined ? {} : { sha256: values.sha256.toLowerCase() }),
        ...(firstBoot === undefined ? {} : { firstBoot }),
      };
      const job = await followFlash(workbench, io, () => workbench.call('flash.sd.start', request), values.json);
      return finishFlash(io, job, values.json);
    });
  } catch (error) {
    // A wrong argument found once the drive list is read is still the user's to fix: exit 2 with the usage.
    if (error instanceof UsageError) throw error;
    return reportFailure(io, 'flash', error, values.json);
  }
}

async function flashRecovery(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      l4t: { type: 'string' },
      devkit: { type: 'string' },
      storage: { type: 'string' },
      'usb-instance': { type: 'string' },
      'first-boot': { type: 'string' },
      'sudo-password-env': { type: 'string' },
      check: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.l4t === undefined || values.devkit === undefined || values.storage === undefined) {
    throw new UsageError('give --l4t, --devkit and --storage');
  }
  const base = { l4tDir: resolve(values.l4t), devkit: values.devkit, storage: values.storage as 'emmc' };
  const sudoPassword = passwordFromEnv(values['sudo-password-env'], io.env);
  const firstBoot = values['first-boot'] === undefined ? undefined : readFirstBoot(values['first-boot']);
  try {
    return await withWorkbench(io, 'flash', async (workbench) => {
      const checks = await workbench.call('flash.recovery.check', base);
      if (values.check || !values.json) {
        for (const check of checks)
          io.stderr.write(
            `${check.state.padEnd(7)} ${printable(check.title)}: ${printable(check.detail)}${check.fix && check.state !== 'ok' ? `\n        → ${printable(check.fix)}` : ''}\n`,
          );
      }
      if (values.check) {
        if (values.json) writeJson(io, checks);
        return checks.some((check) => check.state === 'missing') ? 1 : 0;
      }
      const request: MethodInput<'flash.recovery.start'> = {
        ...base,
        ...(values['usb-instance'] === undefined ? {} : { usbInstance: values['usb-instance'] }),
        ...(sudoPassword === undefined ? {} : { sudoPassword }),
        ...(firstBoot === undefined ? {} : { firstBoot }),
      };
      const job = await followFlash(workbench, io, () => workbench.call('flash.recovery.start', request), values.json);
      return finishFlash(io, job, values.json);
    });
  } catch (error) {
    // A wrong argument found once the drive list is read is still the user's to fix: exit 2 with the usage.
    if (error instanceof UsageError) throw error;
    return reportFailure(io, 'flash', error, values.json);
  }
}

async function listDevkits(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean', default: false } } });
  const devkits = await withWorkbench(io, 'flash', (workbench) => workbench.call('flash.devkits', {}));
  if (values.json) writeJson(io, devkits);
  else
    for (const devkit of devkits) {
      const storages = devkit.targets.map((target) => `${target.storage} (${target.boardConfig})`).join(', ');
      io.stdout.write(`${devkit.id}: ${devkit.name}; ${devkit.methods.join(' or ')}${storages ? `; ${storages}` : ''}\n`);
      devkit.recoverySteps.forEach((step, index) => io.stdout.write(`    ${index + 1}. ${step.text}\n`));
    }
  return 0;
}

function readLog(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give a flash log file');
  const summary = summarizeFlashLog(readFileSync(positionals[0] as string, 'utf8'));
  if (values.json) writeJson(io, summary);
  else {
    for (const stage of summary.stages) io.stdout.write(`stage: ${printable(stage)}\n`);
    io.stdout.write(`partitions written: ${summary.partitionsWritten}\n`);
    io.stdout.write(`outcome: ${summary.outcome}\n`);
    if (summary.cause !== null) io.stdout.write(`cause: ${printable(summary.cause)}\nwhat to do: ${printable(summary.advice ?? '')}\n`);
  }
  return summary.outcome === 'failed' ? 1 : 0;
}

/** Follows a flash to its end on stderr: a line per stage, a progress line at most once a second. */
async function followFlash(
  workbench: CliWorkbench,
  io: CliIo,
  start: () => Promise<{ flashId: string }>,
  quiet: boolean,
): Promise<FlashJob> {
  let lastLine = 0;
  let lastStage: string | null = null;
  const { last } = await followJob(workbench, io, {
    topic: 'flash.onDidProgress',
    start: async () => (await start()).flashId,
    idOf: (event: FlashProgressEvent) => event.job.flashId,
    isLast: (event) => event.job.endedAt !== null,
    cancel: (flashId) => workbench.call('flash.cancel', { flashId }),
    onEvent: ({ job }) => {
      if (quiet) return;
      const stage = `${job.phase}${job.stage ? `: ${job.stage}` : ''}`;
      if (stage !== lastStage) io.stderr.write(`${printable(stage)}\n`);
      lastStage = stage;
      if (Date.now() - lastLine < 1000 || job.endedAt !== null) return;
      lastLine = Date.now();
      const line = progressLine(job);
      if (line !== '') io.stderr.write(`    ${line}\n`);
    },
  });
  return last.job;
}

function finishFlash(io: CliIo, job: FlashJob, json: boolean): number {
  if (json) writeJson(io, job);
  else {
    io.stdout.write(`${printable(job.outcome?.summary ?? job.phase)}\n`);
    if (job.outcome?.cause) io.stdout.write(`cause: ${printable(job.outcome.cause)}\n`);
    if (job.outcome?.advice) io.stdout.write(`what to do: ${printable(job.outcome.advice)}\n`);
    if (job.sha256) io.stdout.write(`sha256: ${job.sha256}\n`);
    io.stdout.write(`log: ${job.logPath}\n`);
  }
  return job.phase === 'done' ? 0 : 1;
}

function progressLine(job: FlashJob): string {
  const parts: string[] = [];
  if (job.partitionsTotal !== null) parts.push(`partitions ${job.partitionsDone ?? 0}/${job.partitionsTotal}`);
  if (job.bytes !== null)
    parts.push(`${(job.bytes / gigabyte).toFixed(2)}${job.totalBytes === null ? '' : `/${(job.totalBytes / gigabyte).toFixed(2)}`} GB`);
  if (job.speed !== null) parts.push(`${(job.speed / 1e6).toFixed(1)} MB/s`);
  if (job.etaSeconds !== null) parts.push(`${Math.round(job.etaSeconds)} s left`);
  return parts.join(', ');
}

function formatDrive(drive: Drive): string {
  const size = `${(drive.size / gigabyte).toFixed(1)} GB`;
  const blocked = drive.blockers.length > 0 ? `  [not selectable: ${drive.blockers.join(', ')}]` : '';
  const large = drive.large ? '  [large: needs --yes-large]' : '';
  const mounted = drive.mountpoints.length > 0 ? `  mounted: ${drive.mountpoints.join(', ')}` : '';
  return `${drive.device}  ${size}  ${printable(drive.description)}${drive.virtual ? '  (virtual)' : ''}${blocked}${large}${mounted}`;
}

/** The first boot from a JSON file, checked here so a typo is named before anything is written. */
function readFirstBoot(path: string): FirstBootConfig {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    if (text.length > 64 * 1024) throw new UsageError(`${path} is over 64 KiB: it is not a first-boot file`);
    raw = JSON.parse(text);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const parsed = FirstBootConfig.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
