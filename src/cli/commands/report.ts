import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchStore } from '../../main/bench/bench-store.ts';
import { htmlToPdf } from '../../main/bench/pdf.ts';
import { buildReport } from '../../main/bench/report.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { SqliteResultStore } from '../../main/store/result-store.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';
import { reportFailure } from './info.ts';

function beside(path: string, extension: string): string {
  return /\.html?$/i.test(path) ? path.replace(/\.html?$/i, extension) : `${path}${extension}`;
}

/** `jwb report`: a plan's runs as one self-contained HTML file, with the raw runs as CSV and JSON beside it (and a PDF). */
export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'jwb report (--latest | --plan ID) [--out report.html] [--pdf] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        latest: { type: 'boolean', default: false },
        plan: { type: 'string' },
        out: { type: 'string', default: 'report.html' },
        pdf: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.latest === (values.plan !== undefined)) throw new UsageError('give either --latest or --plan ID');
    const results = new SqliteResultStore(join(defaultDataDir(io.env), 'results.sqlite'));
    const store = new BenchStore(results.path);
    try {
      const planId = values.plan ?? store.latestPlanId();
      if (planId === undefined) throw new UsageError('there are no benchmark runs yet (run jwb bench first)');
      const runs = store.runs({ planId, limit: 10_000 });
      if (runs.length === 0) throw new UsageError(`plan ${planId} has no stored runs`);
      const report = buildReport({ planId, runs, samples: (id) => store.samples(id), markers: (id) => store.markers(id) });
      await mkdir(dirname(values.out), { recursive: true });
      const written = { html: values.out, csv: beside(values.out, '.csv'), json: beside(values.out, '.json'), pdf: null as string | null };
      await writeFile(written.html, report.html);
      await writeFile(written.csv, `${report.csv}\n`);
      await writeFile(written.json, report.json);
      if (values.pdf) {
        written.pdf = beside(values.out, '.pdf');
        await htmlToPdf(report.html, written.pdf, io.env);
      }
      if (values.json) writeJson(io, { planId, runs: runs.length, ...written });
      else io.stdout.write(`Report of plan ${planId} (${runs.length} runs): ${Object.values(written).filter(Boolean).join(', ')}\n`);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportFailure(io, 'report', error, values.json);
    } finally {
      store.close();
      results.close();
    }
  },
};
