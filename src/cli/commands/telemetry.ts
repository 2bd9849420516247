import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseTegrastats } from '../../shared/telemetry/tegrastats-parser.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';

/**
 * `jwb telemetry parse --json`: tegrastats lines on stdin, one JSON sample per
 * line out, then `{"parsed":N,"unparsed":M}`. (`record` is not wired yet: use
 * the contract's telemetry.record.* through `jwb serve` meanwhile.)
 */
export const telemetryCommand: CliCommand = {
  name: 'telemetry',
  usage: 'jwb telemetry parse --json < tegrastats.log',
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'parse') throw new UsageError(`unknown or missing action "${action ?? ''}"`);
    parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
    let parsed = 0;
    let unparsed = 0;
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const sample = parseTegrastats(line);
      if (sample === null) {
        unparsed += 1;
        continue;
      }
      sample.seq = parsed++;
      writeJson(io, sample);
    }
    writeJson(io, { parsed, unparsed });
    return 0;
  },
};
