import { WorkbenchFailure } from '../../shared/errors.ts';

/**
 * The sentences a student sees for serial-console trouble. Every failure of
 * `SerialConsole` is a `WorkbenchFailure` built here, like ssh-errors.ts.
 */

export function openFailure(path: string, error: unknown): WorkbenchFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/EACCES|permission denied/i.test(message)) {
    return new WorkbenchFailure(
      'forbidden',
      `The workbench may not open ${path}: on Linux, add yourself to the "dialout" group and log in again.`,
      `${path}: ${message}`,
    );
  }
  if (/EBUSY|resource busy|cannot lock/i.test(message)) {
    return new WorkbenchFailure(
      'conflict',
      `${path} is already open in another program (screen, minicom, …): close it first.`,
      `${path}: ${message}`,
    );
  }
  return new WorkbenchFailure('unavailable', `No serial console answers at ${path}: is the USB cable plugged in?`, `${path}: ${message}`);
}

export function unpluggedFailure(path: string, detail?: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'unavailable',
    `The serial console was unplugged (${path}): check the USB cable, then reconnect.`,
    detail === undefined ? `${path}: port closed` : `${path}: ${detail}`,
  );
}

/** The renderer named a console discovery does not list: it may not open just any device file. */
export function unlistedFailure(path: string): WorkbenchFailure {
  return new WorkbenchFailure('not-found', `No serial console is listed at ${path}: plug it in or add it by its path.`, path);
}

export function closedFailure(path: string): WorkbenchFailure {
  return new WorkbenchFailure('unavailable', `The serial console ${path} is closed.`, path);
}

export function loginFailure(path: string, user: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'auth-failed',
    `The board on ${path} refused the login as "${user}": the user name or password is wrong.`,
    `${path}: Login incorrect`,
  );
}

export function notLoggedInFailure(path: string, stage: string): WorkbenchFailure {
  const what =
    stage === 'first-boot'
      ? 'the board is still in its first-boot setup (oem-config); finish it first'
      : `the console is not at a shell prompt (it is at: ${stage})`;
  return new WorkbenchFailure('unavailable', `Cannot run a command on ${path}: ${what}.`, `${path}: stage ${stage}`);
}

export function consoleTimeout(path: string, what: string, ms: number): WorkbenchFailure {
  return new WorkbenchFailure('timeout', `The serial console ${path} did not ${what} within ${Math.round(ms / 1000)} seconds.`, path);
}

export function transferUnsupported(detail: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'unsupported',
    'Files cannot be copied over the serial console: connect to the board over the network (SSH) to upload or download.',
    detail,
  );
}

export function stdinUnsupported(what: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'unsupported',
    `The serial console cannot pass ${what} to a command: connect to the board over the network (SSH) for that.`,
  );
}

export function cancelledFailure(): WorkbenchFailure {
  return new WorkbenchFailure('cancelled', 'The command was cancelled.');
}
