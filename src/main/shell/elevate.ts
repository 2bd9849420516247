/**
 * How the privileged writer gets its rights (the shell layer owns elevation,
 * ARCHITECTURE.md). balenaEtcher's approach on Linux (reference §3.2,
 * lib/shared/sudo/linux.ts): pkexec with --disable-internal-agent, so the
 * desktop's polkit agent shows the password prompt and no agent means a
 * quick, clear failure instead of a prompt on a terminal nobody sees. pkexec
 * clears the environment, so the writer's variables (its token) travel as
 * `env NAME=value` arguments: visible to other local users in the process
 * list while the prompt is open. That is acceptable only because the token is
 * a second lock: the writer's stdin is a pipe that only the app holds.
 */
import { existsSync } from 'node:fs';
import { WorkbenchFailure } from '../../shared/errors.ts';

export interface ElevationHost {
  platform: NodeJS.Platform;
  /** Null where there are no POSIX user ids (Windows). */
  uid: number | null;
  /** Where pkexec is, or null. */
  pkexec: string | null;
}

export function currentElevationHost(): ElevationHost {
  return {
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    pkexec: ['/usr/bin/pkexec', '/bin/pkexec'].find((path) => existsSync(path)) ?? null,
  };
}

/** The argv that runs `argv` as root with `env` set (the `Elevate` of src/main/flash/writer-client.ts). */
export function elevatedArgv(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  host: ElevationHost = currentElevationHost(),
): string[] {
  if (argv.length === 0) throw new WorkbenchFailure('internal', 'Nothing to run with elevation.');
  // Already root (a root shell, CI): the environment is passed by spawn as it is.
  if (host.uid === 0) return [...argv];
  if (host.platform !== 'linux') {
    const prompt =
      host.platform === 'darwin'
        ? "macOS's administrator prompt"
        : host.platform === 'win32'
          ? "Windows' UAC prompt"
          : 'an administrator prompt';
    throw new WorkbenchFailure(
      'unsupported',
      `Writing SD cards needs administrator rights, and the workbench cannot ask for them here yet (${prompt} is not built). Write the card from a Linux computer, or with balenaEtcher.`,
      host.platform,
    );
  }
  if (host.pkexec === null) {
    throw new WorkbenchFailure(
      'unsupported',
      'Writing SD cards needs administrator rights, and pkexec (polkit) is not installed: install it (sudo apt install pkexec, or policykit-1 on Ubuntu 20.04), or start the workbench with sudo.',
    );
  }
  const assignments = Object.entries(env).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value.includes('\0'))
      throw new WorkbenchFailure('internal', `An environment variable for the writer is malformed: ${name}.`);
    return `${name}=${value}`;
  });
  return [host.pkexec, '--disable-internal-agent', '/usr/bin/env', ...assignments, ...argv];
}
