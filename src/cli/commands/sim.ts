import { parseArgs } from 'node:util';
import { startFleet } from '../../sim/fleet.ts';
import { profileIds } from '../../sim/profiles.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';

export const simCommand: CliCommand = {
  name: 'sim',
  usage: `jwb sim [--model ${profileIds.join('|')}] [--count N] [--host 127.0.0.2] [--port 2222] [--data DIR] [--serial] [--first-boot] [--json]`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        model: { type: 'string', default: 'orin-nano' },
        count: { type: 'string', default: '1' },
        host: { type: 'string', default: '127.0.0.2' },
        port: { type: 'string', default: '2222' },
        data: { type: 'string' },
        serial: { type: 'boolean', default: false },
        'first-boot': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (!profileIds.includes(values.model as (typeof profileIds)[number]))
      throw new UsageError(`unknown --model "${values.model}" (one of: ${profileIds.join(', ')})`);
    const count = Number(values.count);
    const port = Number(values.port);
    if (!Number.isInteger(count) || count < 1 || count > 250) throw new UsageError('--count must be a whole number from 1 to 250');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(values.host))
      throw new UsageError(`--host ${values.host} is outside 127.0.0.0/8: simulated boards only listen on loopback addresses`);
    const fleet = await startFleet({
      profile: values.model,
      count,
      host: values.host,
      port,
      dataRoot: values.data,
      serial: values.serial,
      firstBoot: values['first-boot'],
    });
    try {
      for (const board of fleet.boards) {
        if (values.json) writeJson(io, board);
        else
          io.stdout.write(
            `${board.name}  ${board.host}:${board.port}  user ${board.user} / ${board.password}  ${board.fingerprint}${board.serialPath ? `  serial ${board.serialPath}` : ''}\n`,
          );
      }
      if (!values.json) io.stdout.write('Simulated boards are running. Press Ctrl-C to stop.\n');
      if (!io.signal.aborted) await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
    } finally {
      await fleet.dispose();
    }
    return 0;
  },
};
