import { realpath } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SerialLogin } from '../../shared/discovery-contract.ts';
import { passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { withWorkbench } from '../workbench.ts';

/**
 * `jwb serial <device>`: the first-boot path from the command line. Logs in
 * on a board's serial console, prints its name and network addresses, and
 * says how to reach it over SSH next. The password comes from the
 * environment and is typed on the console only.
 */
export const serialCommand: CliCommand = {
  name: 'serial',
  usage: 'jwb serial <device, e.g. /dev/ttyACM0> --user U --password-env VAR [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { user: { type: 'string' }, 'password-env': { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [device, ...extra] = positionals;
    if (device === undefined || extra.length > 0) throw new UsageError('give one serial device, e.g. /dev/ttyACM0');
    if (values.user === undefined) throw new UsageError('--user is required (the user created at the first boot)');
    const password = passwordFromEnv(values['password-env'], io.env);
    if (password === undefined) throw new UsageError('--password-env is required: the name of the variable holding the password');
    // A link (/dev/serial/by-id/…, the simulator's console) is named by the device behind it, as discovery lists it.
    const path = await realpath(device).catch(() => {
      throw new UsageError(`${device}: no such device`);
    });
    const user = values.user;
    return withWorkbench(io, 'serial', async (workbench) => {
      await workbench.call('discovery.addSerialPort', { path });
      const login = await workbench.call('discovery.serialLogin', { path, user, password });
      if (values.json) writeJson(io, { type: 'serial', ...login });
      else describe(io, login);
      return 0;
    });
  },
};

function describe(io: CliIo, login: SerialLogin): void {
  const what = [login.hostname ?? 'unnamed board', login.module ?? 'unknown module', login.jetpack ? `JetPack ${login.jetpack}` : ''];
  io.stdout.write(`${login.path}  ${what.filter(Boolean).join('  ')}\n`);
  if (login.addresses.length === 0) {
    io.stdout.write('No network address yet: plug in Ethernet or set up Wi-Fi on the board, then run this again.\n');
    return;
  }
  io.stdout.write(`Addresses: ${login.addresses.join(', ')}\n`);
  io.stdout.write(`Over the network next: jwb info ${login.user}@${login.addresses[0]} --password-env VAR\n`);
}
