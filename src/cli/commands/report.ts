import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, writeJson, type CliCommand } from '../command.ts';
import { withWorkbench } from '../workbench.ts';
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
    try {
      const { report, runs } = await withWorkbench(io, 'report', async (workbench) => {
        const made = await workbench.call('bench.report', {
          ...(values.plan === undefined ? {} : { planId: values.plan }),
          save: true,
          pdf: values.pdf,
        });
        return { report: made, runs: (await workbench.call('bench.runs', { planId: made.planId, limit: 10_000 })).length };
      });
      // The workbench saves the report in its data folder (HTML, CSV and JSON beside it): copy them where asked.
      const saved = report.path as string;
      await mkdir(dirname(values.out), { recursive: true });
      const written = { html: values.out, csv: beside(values.out, '.csv'), json: beside(values.out, '.json'), pdf: null as string | null };
      await copyFile(saved, written.html);
      await copyFile(beside(saved, '.csv'), written.csv);
      await copyFile(beside(saved, '.json'), written.json);
      if (report.pdfPath !== null) {
        written.pdf = beside(values.out, '.pdf');
        await copyFile(report.pdfPath, written.pdf);
      }
      if (values.json) writeJson(io, { planId: report.planId, runs, ...written });
      else io.stdout.write(`Report of plan ${report.planId} (${runs} runs): ${Object.values(written).filter(Boolean).join(', ')}\n`);
      return 0;
    } catch (error) {
      return reportFailure(io, 'report', error, values.json);
    }
  },
};
