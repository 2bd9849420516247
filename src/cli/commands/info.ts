import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { factRows, type FactRow } from '../../shared/identify/fact-rows.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { addressRef, withWorkbench } from '../workbench.ts';

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'jwb info <user@host[:port]> [--identity FILE]… [--password-env VAR] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        identity: { type: 'string', multiple: true },
        'password-env': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one board as user@host[:port]');
    const target = parseBoardTarget(positionals[0] as string);
    const password = passwordFromEnv(values['password-env'], io.env);
    const board = addressRef(
      target,
      password,
      values.identity?.map((file) => resolve(file)),
    );
    try {
      const found = await withWorkbench(io, 'info', (workbench) => workbench.call('boards.identify', { board }));
      if (values.json) writeJson(io, { host: target.host, port: target.port, ...found });
      else io.stdout.write(formatFacts(`${target.host}:${target.port}`, found.facts, found.hostKeyFingerprint));
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
  const rows: FactRow[] = [['Board', where], ['Host key', fingerprint], ...factRows(facts)];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value ?? 'unknown'}`).join('\n')}\n`;
}
