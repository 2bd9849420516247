/**
 * Where a serial console is, judged from its last screenful of plain text
 * (after `TerminalCleaner`): a getty `login:` prompt, `Password:`, a shell
 * prompt, oem-config's first-boot questions, or a boot log still scrolling.
 * Called only once the output has settled, so a prompt is the last thing shown.
 */
import { applyBackspaces } from './serial-text.ts';

export type ConsoleStage =
  | { kind: 'booting'; screen: string }
  | { kind: 'login'; screen: string }
  | { kind: 'password'; screen: string }
  | { kind: 'shell'; prompt: string; screen: string }
  /** A shell waiting for the rest of an unfinished line (`> `, PS2). */
  | { kind: 'continuation'; screen: string }
  /** oem-config is asking `question`; the student answers it (the workbench never answers for them). */
  | { kind: 'first-boot'; question: string; screen: string };

export type ConsoleStageKind = ConsoleStage['kind'];

/**
 * Strings oem-config prints on the serial console
 * (/work/shared/reference/flashing-and-installing.md §4.1: the kernel log
 * line from `nv-oem-config.sh`, the debconf wizard's welcome title and the
 * licence screen; "Jetson Initial Configuration" is `nvlicense/welcome`).
 */
const firstBootMarkers = [
  'Please complete system configuration setup on the serial port',
  'Welcome to Jetson Initial Configuration',
  'License For Customer Use of NVIDIA Software',
  'System configuration setup',
  'oem-config',
];

/** How much of the screen is kept and judged; a boot log is long, a prompt is at its end. */
export const screenLimit = 16_384;

/**
 * `wasFirstBoot`: the console was in oem-config before this screen. Its later
 * questions (`Hostname: `) carry no marker of their own, so the wizard is
 * left only for a login or shell prompt.
 */
export function classifyScreen(raw: string, wasFirstBoot = false): ConsoleStage {
  const screen = applyBackspaces(raw).slice(-screenLimit);
  const lastLine = screen.slice(screen.lastIndexOf('\n') + 1);
  if (/\blogin:\s*$/i.test(lastLine)) return { kind: 'login', screen };
  const inWizard = wasFirstBoot || showsFirstBoot(screen);
  if (/\bpassword:\s*$/i.test(lastLine) && !/\b(choose|enter|re-enter|new)\b/i.test(lastLine) && !inWizard) {
    return { kind: 'password', screen };
  }
  // `user@host:~$ `, `root@host:/# `, a bare `$ ` or `# ` (sh, busybox, autologin root); not `[Yes/no]: `.
  if (/[$#] ?$/.test(lastLine) && !inWizard) return { kind: 'shell', prompt: lastLine.trimEnd(), screen };
  if (/^> ?$/.test(lastLine) && !inWizard) return { kind: 'continuation', screen };
  if (inWizard) return firstBoot(screen);
  return { kind: 'booting', screen };
}

/** oem-config text after the last login prompt (a finished wizard is followed by one). */
function showsFirstBoot(screen: string): boolean {
  const lastLogin = screen.toLowerCase().lastIndexOf('login:');
  const after = lastLogin >= 0 ? screen.slice(lastLogin) : screen;
  return firstBootMarkers.some((marker) => after.includes(marker));
}

function firstBoot(screen: string): ConsoleStage {
  const lines = screen.split('\n').map((line) => line.trim());
  const question = lines.findLast((line) => line !== '') ?? '';
  return { kind: 'first-boot', question, screen };
}
