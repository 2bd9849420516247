import { parseArgs } from 'node:util';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { connectAndIdentify, knownHostsIn } from '../../main/identify/board-session.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'jwb info <user@host[:port]> [--identity FILE]… [--password-env VAR] [--timeout-ms N] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        identity: { type: 'string', multiple: true },
        'password-env': { type: 'string' },
        'timeout-ms': { type: 'string', default: '20000' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one board as user@host[:port]');
    const target = parseBoardTarget(positionals[0] as string);
    const timeoutMs = Number(values['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100)
      throw new UsageError('--timeout-ms must be a whole number of milliseconds (at least 100)');
    const password = passwordFromEnv(values['password-env'], io.env);
    try {
      const board = await connectAndIdentify(
        { ...target, password, identityFiles: values.identity },
        {
          knownHosts: knownHostsIn(defaultDataDir(io.env)),
          readyTimeoutMs: timeoutMs,
          onNewHost: (request) =>
            io.stderr.write(`jwb info: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`),
        },
      );
      if (values.json) writeJson(io, { host: target.host, port: target.port, ...board });
      else io.stdout.write(formatFacts(`${target.host}:${target.port}`, board.facts, board.hostKeyFingerprint));
      return 0;
    } catch (error) {
      return reportFailure(io, 'info', error, values.json);
    }
  },
};

/** A failure as one sentence (and the JSON form with its code); exit code 1. */
export function reportFailure(io: CliIo, command: string, error: unknown, json: boolean): number {
  const failure =
    error instanceof WorkbenchFailure ? error : new WorkbenchFailure('internal', error instanceof Error ? error.message : String(error));
  if (json) writeJson(io, { error: { code: failure.code, message: failure.message } });
  io.stderr.write(`jwb ${command}: ${failure.message}\n`);
  return 1;
}

export function formatFacts(where: string, facts: BoardFacts, fingerprint: string | null): string {
  const rows: Array<[string, string | number | null]> = [
    ['Board', where],
    ['Kind', facts.kind],
    ['Module', facts.module],
    ['Serial number', facts.serialNumber],
    ['Host key', fingerprint],
    ['L4T', facts.l4t],
    ['JetPack', facts.jetpack],
    ['OS', facts.ubuntu],
    ['Kernel', facts.kernel],
    ['CUDA', facts.cuda],
    ['cuDNN', facts.cudnn],
    ['TensorRT', facts.tensorrt],
    ['OpenCV', facts.opencv],
    ['Python', facts.python],
    ['RAM', facts.ramMb === null ? null : `${facts.ramMb} MB`],
    ['Swap', facts.swapMb === null ? null : `${facts.swapMb} MB`],
    ['Disk free', facts.diskFreeGb === null ? null : `${facts.diskFreeGb} GB`],
    [
      'Power mode',
      facts.powerMode === null
        ? null
        : `${facts.powerMode.current ?? '?'} (available: ${facts.powerMode.available.map((mode) => `${mode.id} ${mode.name}`).join(', ') || 'unknown'})`,
    ],
    [
      'Frameworks',
      facts.frameworks
        .map((item) => `${item.name} ${item.version}${item.cuda ? ' +CUDA' : ''}${item.simulated ? ' (simulated)' : ''}`)
        .join(', ') || 'none found',
    ],
    ['Addresses', facts.addresses.join(', ')],
    ['Internet', facts.internet],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value ?? 'unknown'}`).join('\n')}\n`;
}
