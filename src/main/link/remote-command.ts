import { WorkbenchFailure } from '../../shared/errors.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import { sudoWatchdogScript, watchdogScript } from '../../shared/watchdog-script.ts';

export { sudoWatchdogScript, watchdogScript };

/**
 * Builds the one line sent to the board for an argv, always with
 * `commandLine` (src/shared/shell-quote.ts): every argument is quoted, only
 * the constant scripts below are shell code.
 */
export interface RemoteCommandOptions {
  /** Run through `sudo -S`; the password is the first line of stdin. */
  sudo: boolean;
  /** Wrap in the stdin watchdog below so closing the channel stops the command. */
  stopWhenChannelCloses: boolean;
}

export function remoteCommandLine(argv: readonly string[], options: RemoteCommandOptions): string {
  if (argv.length === 0 || argv[0] === '') throw new WorkbenchFailure('invalid-request', 'A command needs at least a program name.');
  // -k: ignore cached sudo credentials, so sudo always reads the password line we send and it
  // never leaks into the command's own stdin. -p '': no prompt text mixed into stderr.
  const sudo = options.sudo ? ['sudo', '-k', '-S', '-p', '', '--'] : [];
  if (!options.stopWhenChannelCloses) return commandLine(...sudo, ...argv);
  // Under the watchdog our stdin stays open: sudo must be handed the password line alone (sudoWatchdogScript).
  return commandLine('sh', '-c', options.sudo ? sudoWatchdogScript : watchdogScript, 'jwb-watchdog', ...sudo, ...argv);
}
