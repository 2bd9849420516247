import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AddressRangeError } from '../../shared/address-range.ts';
import type { DiscoveryState } from '../../shared/discovery-contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { SshScanSource } from '../../main/discovery/ssh-scan-source.ts';
import { passwordFromEnv } from '../board-target.ts';
import { UsageError, type CliCommand, type CliIo } from '../command.ts';
import { DiscoverReport, type IdentifyWith } from '../discover-report.ts';
import { withWorkbench, type CliWorkbench } from '../workbench.ts';

export const discoverCommand: CliCommand = {
  name: 'discover',
  usage:
    'jwb discover (--range 127.0.0.2-127.0.0.33|CIDR|list [--port 22[,2222]] [--timeout-ms 500] [--concurrency 64] | ' +
    '--mdns --interface ADDR [--seconds 5]) [--identify --user U [--password-env VAR] [--identity FILE]…] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        range: { type: 'string' },
        port: { type: 'string', default: '22' },
        'timeout-ms': { type: 'string', default: '500' },
        concurrency: { type: 'string', default: '64' },
        mdns: { type: 'boolean', default: false },
        interface: { type: 'string' },
        seconds: { type: 'string', default: '5' },
        identify: { type: 'boolean', default: false },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        identity: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.mdns === (values.range !== undefined)) {
      throw new UsageError('give either --range (e.g. 127.0.0.2-127.0.0.33) or --mdns --interface ADDR');
    }
    if (values.identify && values.user === undefined) throw new UsageError('--identify needs --user');
    const password = passwordFromEnv(values['password-env'], io.env);
    const identityFiles = values.identity?.map((file) => resolve(file));
    const identifyWith = (workbench: CliWorkbench): IdentifyWith | undefined =>
      values.identify && values.user !== undefined ? { workbench, user: values.user, password, identityFiles } : undefined;

    if (values.mdns) {
      if (values.interface === undefined)
        throw new UsageError('--mdns needs --interface, the address of the network interface to listen on');
      const browse = { interface: values.interface, seconds: wholeNumber(values.seconds, '--seconds', 1, 600) };
      return withWorkbench(io, 'discover', (workbench) =>
        browseMdns(workbench, io, browse, new DiscoverReport(io, values.json, identifyWith(workbench))),
      );
    }
    const ports = values.port.split(',').map(Number);
    if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError('--port must be TCP port numbers');
    let source: SshScanSource;
    try {
      // With --identify the login handshake shows the host key anyway: no separate key probe.
      source = new SshScanSource({
        range: values.range ?? '',
        ports,
        timeoutMs: wholeNumber(values['timeout-ms'], '--timeout-ms', 50),
        concurrency: wholeNumber(values.concurrency, '--concurrency', 1),
        hostKeys: !values.identify,
      });
    } catch (error) {
      if (error instanceof AddressRangeError) throw new UsageError(`--range: ${error.message}`);
      throw error;
    }
    if (!values.identify) return scanRange(source, io, new DiscoverReport(io, values.json, undefined));
    return withWorkbench(io, 'discover', (workbench) =>
      scanRange(source, io, new DiscoverReport(io, values.json, identifyWith(workbench))),
    );
  },
};

/** One pass over the range, printing each SSH server as it answers. */
async function scanRange(source: SshScanSource, io: CliIo, report: DiscoverReport): Promise<number> {
  const onAbort = (): void => void source.stop();
  io.signal.addEventListener('abort', onAbort, { once: true });
  source.onDidChange((event) => {
    if (event.type === 'add') report.found(event.port);
  });
  try {
    await source.start();
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    await source.stop();
  }
  return report.finish();
}

/** Listens to mDNS on one interface for a while (through the workbench, as the app does), printing each board as it answers. */
async function browseMdns(
  workbench: CliWorkbench,
  io: CliIo,
  browse: { interface: string; seconds: number },
  report: DiscoverReport,
): Promise<number> {
  const printed = new Set<string>();
  const show = (state: DiscoveryState): void => {
    for (const port of state.boards.flatMap((board) => board.ports)) {
      if (port.protocol !== 'network' || !port.source.split(',').includes('mdns') || printed.has(port.key)) continue;
      printed.add(port.key);
      report.found(port);
    }
  };
  let ended = (): void => undefined;
  const finished = new Promise<void>((resolve) => (ended = resolve));
  const stopListening = workbench.on('discovery.onDidChange', (state) => {
    show(state);
    if (state.mdns?.running === false) ended();
  });
  const onAbort = (): void => void workbench.call('discovery.stopMdns', {}).catch(() => undefined);
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await startBrowse(workbench, browse);
    await finished;
    // The last boards may still sit in the debounce: the list answers with everything found.
    show(await workbench.call('discovery.list', {}));
  } finally {
    stopListening();
    io.signal.removeEventListener('abort', onAbort);
  }
  return report.finish();
}

async function startBrowse(workbench: CliWorkbench, browse: { interface: string; seconds: number }): Promise<void> {
  try {
    await workbench.call('discovery.browseMdns', browse);
  } catch (error) {
    if (!(error instanceof WorkbenchFailure) || (error.code !== 'not-found' && error.code !== 'invalid-request')) throw error;
    const interfaces = await workbench.call('discovery.interfaces', {});
    const choices = interfaces.map((candidate) => `${candidate.address} (${candidate.name})`).join(', ');
    throw new UsageError(
      `--interface ${browse.interface} is not an address of this computer's interfaces (${choices || 'none but loopback'})`,
    );
  }
}

function wholeNumber(text: string, name: string, minimum: number, maximum = Infinity): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Infinity ? `of at least ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new UsageError(`${name} must be a whole number ${range}`);
  }
  return value;
}
