import { parseArgs } from 'node:util';
import { startServeShell } from '../../main/shell/serve.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'jwb serve [--port N] [--data-dir DIR] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
    const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
    const shell = await startServeShell({ port, dataDir });
    if (values.json) writeJson(io, { url: shell.url, port: shell.port, dataDir });
    else
      io.stdout.write(`Jetson Workbench is served at\n\n  ${shell.url}\n\nOpen it in a browser on this computer. Press Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await shell.close();
    return 0;
  },
};
