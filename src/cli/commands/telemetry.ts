import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseTegrastats } from '../../shared/telemetry/tegrastats-parser.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';
import { recordTelemetry, recordUsage } from './telemetry-record.ts';

/**
 * `jwb telemetry parse --json`: tegrastats lines on stdin, one JSON sample per
 * line out, then `{"parsed":N,"unparsed":M}`. `jwb telemetry record`: see
 * telemetry-record.ts.
 */
export const telemetryCommand: CliCommand = {
  name: 'telemetry',
  usage: `jwb telemetry parse --json < tegrastats.log\n       ${recordUsage}`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'record') return recordTelemetry(rest, io);
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
