import { parseArgs } from 'node:util';
import { AddressRangeError } from '../../shared/address-range.ts';
import type { DiscoveredPort } from '../../shared/discovery.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { connectAndIdentify, knownHostsIn, type IdentifiedBoard } from '../../main/identify/board-session.ts';
import { SshScanSource } from '../../main/discovery/ssh-scan-source.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';

interface BoardLine {
  type: 'board';
  key: string;
  host: string;
  port: number;
  banner: string | null;
  hostKeyFingerprint: string | null;
  facts?: IdentifiedBoard['facts'];
  error?: { code: string; message: string };
}

export const discoverCommand: CliCommand = {
  name: 'discover',
  usage:
    'jwb discover --range 127.0.0.2-127.0.0.33|CIDR|list [--port 22[,2222]] [--timeout-ms 500] [--concurrency 64] ' +
    '[--identify --user U [--password-env VAR] [--identity FILE]…] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        range: { type: 'string' },
        port: { type: 'string', default: '22' },
        'timeout-ms': { type: 'string', default: '500' },
        concurrency: { type: 'string', default: '64' },
        identify: { type: 'boolean', default: false },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        identity: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.range === undefined) throw new UsageError('--range is required (e.g. 127.0.0.2-127.0.0.33)');
    const ports = values.port.split(',').map(Number);
    if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError('--port must be TCP port numbers');
    const timeoutMs = wholeNumber(values['timeout-ms'], '--timeout-ms', 50);
    const concurrency = wholeNumber(values.concurrency, '--concurrency', 1);
    if (values.identify && values.user === undefined) throw new UsageError('--identify needs --user');
    const password = passwordFromEnv(values['password-env'], io.env);
    let source: SshScanSource;
    try {
      // With --identify the login handshake shows the host key anyway: no separate key probe.
      source = new SshScanSource({ range: values.range, ports, timeoutMs, concurrency, hostKeys: !values.identify });
    } catch (error) {
      if (error instanceof AddressRangeError) throw new UsageError(`--range: ${error.message}`);
      throw error;
    }
    const started = performance.now();
    const knownHosts = knownHostsIn(defaultDataDir(io.env));
    const pending: Array<Promise<void>> = [];
    const lines: BoardLine[] = [];
    const print = (line: BoardLine): void => {
      lines.push(line);
      if (values.json) writeJson(io, line);
      else io.stdout.write(`${describe(line)}\n`);
    };
    const onAbort = (): void => void source.stop();
    io.signal.addEventListener('abort', onAbort, { once: true });
    source.onDidChange((event) => {
      if (event.type !== 'add') return;
      const line = toLine(event.port);
      if (!values.identify || values.user === undefined) return print(line);
      const login = { host: line.host, port: line.port, username: values.user, password, identityFiles: values.identity };
      pending.push(
        connectAndIdentify(login, {
          knownHosts,
          readyTimeoutMs: Math.max(timeoutMs * 10, 5000),
          onNewHost: (request) =>
            io.stderr.write(
              `jwb discover: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`,
            ),
        }).then(
          (board) => print({ ...line, hostKeyFingerprint: board.hostKeyFingerprint, facts: board.facts }),
          (error: unknown) => print({ ...line, error: failureOf(error) }),
        ),
      );
    });
    try {
      await source.start();
      await Promise.all(pending);
    } finally {
      io.signal.removeEventListener('abort', onAbort);
      await source.stop();
    }
    const summary = {
      type: 'summary',
      found: lines.length,
      identified: lines.filter((line) => line.facts !== undefined).length,
      failed: lines.filter((line) => line.error !== undefined).length,
      elapsedMs: Math.round(performance.now() - started),
    };
    if (values.json) writeJson(io, summary);
    else io.stdout.write(`${summary.found} found, ${summary.identified} identified, ${summary.failed} failed in ${summary.elapsedMs} ms\n`);
    return summary.failed > 0 ? 1 : 0;
  },
};

function wholeNumber(text: string, name: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new UsageError(`${name} must be a whole number of at least ${minimum}`);
  return value;
}

function toLine(port: DiscoveredPort): BoardLine {
  return {
    type: 'board',
    key: port.key,
    host: String(port.properties.host),
    port: Number(port.properties.port),
    banner: port.properties.banner ?? null,
    hostKeyFingerprint: port.properties.hostKeyFingerprint ?? null,
  };
}

function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof WorkbenchFailure) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function describe(line: BoardLine): string {
  const where = `${line.host}:${line.port}`;
  if (line.error !== undefined) return `${where}  ${line.banner ?? ''}  error: ${line.error.message}`;
  if (line.facts === undefined) return `${where}  ${line.banner ?? ''}  ${line.hostKeyFingerprint ?? ''}`.trimEnd();
  const facts = line.facts;
  return `${where}  ${facts.kind}  ${facts.module ?? 'unknown module'}  ${facts.jetpack ? `JetPack ${facts.jetpack}` : ''}`.trimEnd();
}
