/**
 * One recovery-mode flash, start to end: the first-boot user
 * (l4t_create_default_user.sh, flashing-and-installing.md §4.2, then the
 * rootfs writer for what it cannot do), NVIDIA's script with every line in
 * the job log and the parser (§2.6), its outcome in plain words (§2.7), and
 * the wait for the board to come back as 0955:7020, because a success line
 * is not proof (§2.6 k). Every path ends the job: done, failed or cancelled.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult } from '../../shared/board-link.ts';
import type { Devkit, FlashOutcome, FlashPhase } from '../../shared/flash/contract.ts';
import { createDefaultUserArgv, firstBootSummary, redacted, type FirstBootConfig } from '../../shared/flash/first-boot.ts';
import { failureCause, FlashLineReader, FlashLogParser, type FlashLogUpdate } from '../../shared/flash/flash-log.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import { l4tGadgetProductId } from '../../shared/usb-ids.ts';
import { isRoot, type LocalLink } from '../host/local-link.ts';
import type { RunningJob } from './flash-jobs.ts';
import type { ChosenBoard } from './recovery-board.ts';
import { readNvidiaUsbDevices } from './recovery-usb.ts';

export interface RecoveryTiming {
  /** How long the board has to come back as 0955:7020 after the script says flashed. */
  boardWaitMs: number;
  pollMs: number;
  /** The longest NVIDIA's flash script may run (a good flash takes about 15 minutes, §2.6 d). */
  scriptTimeoutMs: number;
  userScriptTimeoutMs: number;
}

export interface RecoveryRun {
  job: RunningJob;
  /** Runs in the Linux_for_Tegra folder. */
  link: LocalLink;
  l4tDir: string;
  devkit: Devkit;
  script: string;
  argv: string[];
  board: ChosenBoard;
  partitionsTotal: number | null;
  firstBoot: FirstBootConfig | undefined;
  sudoPassword: string | undefined;
  configureRootfs: ((rootDir: string, firstBoot: FirstBootConfig) => Promise<void>) | undefined;
  usbDevicesFolder: string;
  /** Ports that showed a booted Jetson before the flash: another board's gadget is not this one coming back. */
  gadgetPortsBefore: ReadonlySet<string>;
  timing: RecoveryTiming;
}

interface Ending {
  phase: Extract<FlashPhase, 'done' | 'failed' | 'cancelled'>;
  outcome: FlashOutcome;
}

const reflash = 'Put the board into Force Recovery Mode again and flash it before you use it.';

function failed(summary: string, cause: string, advice: string): Ending {
  return { phase: 'failed', outcome: { ok: false, summary, cause, advice } };
}

function cancelled(run: RecoveryRun): Ending {
  const stage = run.job.job.stage;
  const during = stage === null ? '' : ` during “${stage}”`;
  return {
    phase: 'cancelled',
    outcome: {
      ok: false,
      summary: `Cancelled${during}.`,
      cause: 'You cancelled the flash.',
      advice: `The board may be half-flashed. ${reflash}`,
    },
  };
}

export async function runRecoveryFlash(run: RecoveryRun): Promise<void> {
  let ending: Ending;
  try {
    ending = (await applyFirstBoot(run)) ?? (await runFlashScript(run)) ?? (await waitForBoard(run));
  } catch (error) {
    ending = run.job.signal.aborted
      ? cancelled(run)
      : failed('The flash stopped on an error of the workbench.', error instanceof Error ? error.message : String(error), reflash);
  }
  run.job.finish(ending.phase, ending.outcome);
}

/** The command as the student would type it in the Linux_for_Tegra folder (quoted, with sudo unless root). */
function asTyped(run: RecoveryRun, argv: readonly string[]): string {
  return `cd ${commandLine(run.l4tDir)} && ${isRoot() ? '' : 'sudo '}${commandLine(...argv)}`;
}

/** Runs a command with its output as cleaned lines (the `\r` redraws folded, §2.6 c). */
async function streamLines(run: RecoveryRun, argv: string[], timeoutMs: number, onLine: (line: string) => void): Promise<ExecResult> {
  const stdout = new FlashLineReader();
  const stderr = new FlashLineReader();
  try {
    return await run.link.exec(argv, {
      signal: run.job.signal,
      timeoutMs,
      ...(run.sudoPassword === undefined ? {} : { sudoPassword: run.sudoPassword }),
      onStdout: (chunk) => stdout.push(chunk).forEach(onLine),
      onStderr: (chunk) => stderr.push(chunk).forEach(onLine),
    });
  } finally {
    [...stdout.flush(), ...stderr.flush()].forEach(onLine);
  }
}

/** Why a command could not run to its end, when it was not the script's own failure. */
function execEnding(run: RecoveryRun, error: unknown, what: string, minutes: number): Ending {
  if (run.job.signal.aborted) return cancelled(run);
  if (error instanceof WorkbenchFailure && error.code === 'auth-failed') {
    return failed(
      `${what} did not start: sudo refused the password.`,
      "The password is not this computer's sudo password.",
      'Type the password you use for sudo on this computer, then start again.',
    );
  }
  if (error instanceof WorkbenchFailure && error.code === 'timeout') {
    return failed(
      `${what} ran longer than ${minutes} minutes and was stopped.`,
      'The script hung: the board stopped answering, or it waits for input.',
      reflash,
    );
  }
  // Not the error's detail: LocalLink puts the whole argv there, and the user script's holds a password.
  return failed(
    `${what} could not run.`,
    error instanceof Error ? error.message : String(error),
    'Check the Linux_for_Tegra folder, then start again.',
  );
}

async function applyFirstBoot(run: RecoveryRun): Promise<Ending | null> {
  const config = run.firstBoot;
  if (config === undefined) return null;
  const { job } = run;
  job.update({ phase: 'configuring', stage: 'Creating the user in Linux_for_Tegra/rootfs (l4t_create_default_user.sh)' });
  const argv = createDefaultUserArgv(config);
  const hidden = (text: string): string => text.replaceAll(config.password, redacted);
  job.log(
    `$ ${asTyped(
      run,
      argv.map((arg) => (arg === config.password ? redacted : arg)),
    )}`,
  );
  for (const line of firstBootSummary(config).split('\n')) job.log(`# ${line}`);
  let firstError: string | null = null;
  let result: ExecResult;
  try {
    result = await streamLines(run, argv, run.timing.userScriptTimeoutMs, (line) => {
      const shown = hidden(line);
      job.log(shown);
      if (firstError === null && /\b(error|failed)\b/i.test(shown)) firstError = shown;
    });
  } catch (error) {
    return execEnding(run, error, 'l4t_create_default_user.sh', Math.round(run.timing.userScriptTimeoutMs / 60_000));
  }
  if (result.code !== 0) {
    const cause = firstError ?? `l4t_create_default_user.sh ended with exit code ${result.code ?? result.signal}.`;
    return failed(
      'The user could not be created in the rootfs; the board was not touched.',
      cause,
      'Do what the error line says (for example `sudo apt-get install qemu-user-static`), then start again.',
    );
  }
  job.log('# The user is now part of Linux_for_Tegra/rootfs: every later flash from this folder has it too.');
  return configureRootfs(run, config);
}

async function configureRootfs(run: RecoveryRun, config: FirstBootConfig): Promise<Ending | null> {
  if (run.configureRootfs === undefined) {
    if (config.sshPublicKey !== undefined || config.wifi !== undefined)
      run.job.log('# No rootfs writer is set up: the SSH key and the Wi-Fi were not added.');
    return null;
  }
  run.job.update({ stage: 'Adding the SSH key, Wi-Fi, locale and time zone to the rootfs' });
  try {
    await run.configureRootfs(join(run.l4tDir, 'rootfs'), config);
  } catch (error) {
    if (run.job.signal.aborted) return cancelled(run);
    const message = error instanceof Error ? error.message : String(error);
    return failed(
      'The rootfs could not be configured; the board was not touched.',
      message,
      'Check that the Linux_for_Tegra folder is writable, then start again.',
    );
  }
  return run.job.signal.aborted ? cancelled(run) : null;
}

async function runFlashScript(run: RecoveryRun): Promise<Ending | null> {
  const { job, partitionsTotal } = run;
  job.update({ phase: 'flashing', stage: `Starting ${run.script}`, partitionsDone: 0, partitionsTotal });
  job.log(`$ ${asTyped(run, run.argv)}`);
  const parser = new FlashLogParser();
  const apply = (update: FlashLogUpdate): void => {
    if (update.kind === 'stage') job.update({ stage: update.stage });
    // A layout counted short must not show more than 100 %.
    if (update.kind === 'partition-done')
      job.update({ partitionsDone: partitionsTotal === null ? update.done : Math.min(update.done, partitionsTotal) });
  };
  let result: ExecResult;
  try {
    result = await streamLines(run, run.argv, run.timing.scriptTimeoutMs, (line) => {
      job.log(line);
      parser.push(line).forEach(apply);
    });
  } catch (error) {
    return execEnding(run, error, run.script, Math.round(run.timing.scriptTimeoutMs / 60_000));
  }
  const parsed = parser.result();
  if (result.code === 0 && parsed.status === 'flashed') {
    job.log(`# ${run.script} says the board is flashed; waiting for it to start Linux.`);
    return null;
  }
  const cause = parsed.cause ?? failureCause(parser.evidence());
  const exit = result.code === null ? `was stopped (${result.signal ?? 'signal'})` : `ended with exit code ${result.code}`;
  const summary =
    parsed.failureLine !== null ? `Flashing failed: ${parsed.failureLine}` : `${run.script} ${exit} without saying the board was flashed.`;
  return failed(summary, cause?.cause ?? `${run.script} ${exit}.`, cause?.advice ?? `Read the last lines of the log. ${reflash}`);
}

/** §2.6 k: the flash counts once the board runs L4T again, its USB gadget 0955:7020 on the cable. */
async function waitForBoard(run: RecoveryRun): Promise<Ending> {
  const { job, board } = run;
  if (job.signal.aborted) return cancelled(run);
  job.update({ phase: 'waiting-for-board', stage: 'Waiting for the board to start Linux (0955:7020 on USB)' });
  const deadline = Date.now() + run.timing.boardWaitMs;
  for (;;) {
    const devices = await readNvidiaUsbDevices(run.usbDevicesFolder);
    const booted = devices.find(
      (device) => device.productId === l4tGadgetProductId && (device.port === board.port || !run.gadgetPortsBefore.has(device.port)),
    );
    if (booted !== undefined) return { phase: 'done', outcome: flashedOutcome(run, booted.port) };
    if (Date.now() >= deadline) break;
    await sleep(run.timing.pollMs, undefined, { signal: job.signal });
  }
  const minutes = Math.max(1, Math.round(run.timing.boardWaitMs / 60_000));
  return failed(
    `The script says the board was flashed, but the board did not start Linux within ${minutes} min (no 0955:7020 on USB).`,
    'A success line of the script is not proof: the board did not come back.',
    "Look at the board's screen or serial console. If it stops at the NVIDIA logo, flash it again; on an SD-card devkit, check the card; take the Force Recovery jumper off and power-cycle the board; keep the USB cable in the board's device port.",
  );
}

function flashedOutcome(run: RecoveryRun, port: string): FlashOutcome {
  const summary = `Flashed: the board started Linux and is on USB as 0955:7020 at ${port}.`;
  if (run.firstBoot === undefined) {
    return {
      ok: true,
      summary,
      cause: null,
      advice: 'Finish its first-boot setup (oem-config) on the serial console or on a screen and keyboard.',
    };
  }
  const { user, hostname } = run.firstBoot;
  // §0.4: a booted devkit answers at 192.168.55.1 on its USB network.
  return {
    ok: true,
    summary,
    cause: null,
    advice: `Log in as ${user}: ssh ${user}@${hostname}.local, or ssh ${user}@192.168.55.1 over the USB cable.`,
  };
}
