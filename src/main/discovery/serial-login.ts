import type { SerialLogin } from '../../shared/discovery-contract.ts';
import { SerialConsole, type SerialBinding, type SerialConsoleOptions } from '../link/serial-console.ts';
import { notLoggedInFailure } from '../link/serial-errors.ts';
import { identifyOverSerial } from '../link/serial-identify.ts';

export type SerialLoginOptions = Pick<SerialConsoleOptions, 'bootTimeoutMs' | 'loginTimeoutMs' | 'settleMs'> & { binding?: SerialBinding };

/**
 * A board's first boot seen from its serial console: log in, read its name
 * and its IPv4 addresses (serial-identify.ts), log out and close the
 * console. The password is typed on the console and goes no further.
 */
export async function loginOverSerial(
  path: string,
  user: string,
  password: string,
  options: SerialLoginOptions = {},
): Promise<SerialLogin> {
  const link = await SerialConsole.open(path, { ...options, user, password });
  try {
    // Still in oem-config (first boot not finished), or a console that never showed a shell.
    if (link.state !== 'ready') throw notLoggedInFailure(path, link.stage.kind);
    // A shell left open on the console is adopted as is: say whose it is, not whom the person typed.
    const whoami = await link.exec(['whoami'], { timeoutMs: 10_000 });
    const identity = await identifyOverSerial(link);
    return {
      path,
      user: (whoami.code === 0 && whoami.stdout.trim()) || user,
      hostname: identity.hostname,
      module: identity.model,
      l4t: identity.l4t,
      jetpack: identity.jetpack,
      addresses: identity.addresses.map((address) => address.replace(/\/\d+$/, '')),
    };
  } finally {
    await link.logout().finally(() => link.close());
  }
}
