/**
 * `jwb lab validate FILE` and `jwb lab run [FILE] --board …`: the teacher's
 * lab file (src/shared/workflow/lab-file.ts) checked, then run on one board
 * end to end: identify, check the module and JetPack the lab allows, install
 * its libraries, run its benchmark plan with power, and write the report
 * with who hands it in. Without FILE, the built-in default lab.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodOutput } from '../../shared/api.ts';
import type { BoardRef } from '../../shared/boards/board-ref.ts';
import type { BenchPlanInput, HandIn } from '../../shared/bench/contract.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { defaultLab, labFileMaxBytes, labPlanFor, moduleFamilyOf, parseLabFile, type LabFile } from '../../shared/workflow/lab-file.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { addressRef, withWorkbench, type CliWorkbench } from '../workbench.ts';
import { runToEnd } from './bench.ts';
import { reportFailure } from './info.ts';
import { installToEnd } from './install.ts';

export const labCommand: CliCommand = {
  name: 'lab',
  usage: [
    'jwb lab validate FILE [--json]',
    'jwb lab run [FILE] --board user@host[:port] [--password-env VAR] [--identity FILE]… [--sudo-password-env VAR]',
    '            [--student NAME] [--group NAME] [--no-pdf] [--json]',
    '',
    'validate: checks a lab file; each mistake names the field and its line. run: the lab on one board: it checks the',
    "board's module and JetPack, installs the lab's libraries, runs its benchmark plan with power, and writes the",
    'report (HTML, CSV, JSON and PDF) naming the student and group. Without FILE, the built-in MNIST energy lab.',
  ].join('\n'),
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'validate') return validate(rest, io);
    if (sub === 'run') return runLab(rest, io);
    throw new UsageError('give validate or run');
  },
};

function validate(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give one lab file');
  const result = readLab(positionals[0] as string);
  if (values.json) writeJson(io, result.ok ? { ok: true, lab: result.lab } : { ok: false, errors: result.errors });
  if (!result.ok) {
    for (const error of result.errors) io.stderr.write(`${error}\n`);
    return 1;
  }
  if (!values.json) io.stdout.write(`${positionals[0]}: a valid lab file: ${describeLab(result.lab)}\n`);
  return 0;
}

function readLab(path: string): ReturnType<typeof parseLabFile> {
  const name = basename(path);
  try {
    // Checked before reading: a lab file is a page of JSON, not whatever a mistyped path names.
    if (statSync(path).size > labFileMaxBytes) return parseLabFile('x'.repeat(labFileMaxBytes + 1), name);
    return parseLabFile(readFileSync(path, 'utf8'), name);
  } catch (error) {
    return { ok: false, errors: [`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`] };
  }
}

function describeLab(lab: LabFile): string {
  const frameworks = lab.plan.frameworks === 'installed' ? 'the installed frameworks' : lab.plan.frameworks.join(', ');
  const libraries = lab.libraries.length === 0 ? 'nothing to install' : `installs ${lab.libraries.join(', ')}`;
  return `"${lab.title}": ${libraries}; ${lab.plan.suites.join(', ')} with ${frameworks}, ${lab.plan.repeats} repeats.`;
}

async function runLab(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      board: { type: 'string' },
      'password-env': { type: 'string' },
      identity: { type: 'string', multiple: true },
      'sudo-password-env': { type: 'string' },
      student: { type: 'string' },
      group: { type: 'string' },
      'no-pdf': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError('give at most one lab file');
  if (values.board === undefined) throw new UsageError('give --board user@host[:port]');
  const parsed = positionals[0] === undefined ? { ok: true as const, lab: defaultLab } : readLab(positionals[0]);
  if (!parsed.ok) {
    for (const error of parsed.errors) io.stderr.write(`${error}\n`);
    if (values.json) writeJson(io, { ok: false, errors: parsed.errors });
    return 1;
  }
  const lab = parsed.lab;
  const board = addressRef(
    parseBoardTarget(values.board),
    passwordFromEnv(values['password-env'], io.env),
    values.identity?.map((file) => resolve(file)),
  );
  const sudoPassword = passwordFromEnv(values['sudo-password-env'], io.env);
  const handIn: HandIn = {
    title: lab.report.title ?? lab.title,
    ...(lab.report.fields.includes('student') && values.student !== undefined ? { student: values.student } : {}),
    ...(lab.report.fields.includes('group') && values.group !== undefined ? { group: values.group } : {}),
    ...(lab.report.fields.includes('date') ? { date: new Date().toISOString().slice(0, 10) } : {}),
  };
  const step = (text: string): void => {
    if (values.json) writeJson(io, { type: 'step', text });
    else io.stderr.write(`jwb lab: ${text}\n`);
  };
  try {
    return await withWorkbench(io, 'lab', async (workbench) => {
      step(`"${lab.title}" on ${values.board}: identifying the board`);
      const facts = (await workbench.call('boards.identify', { board })).facts;
      checkBoard(lab, facts);
      for (const library of lab.libraries) {
        step(`installing ${library}`);
        await installToEnd(workbench, { board, library, ...(sudoPassword === undefined ? {} : { sudoPassword }) }, io);
      }
      const plan = await planFor(workbench, lab, board, facts);
      step(`running ${plan.suites.join(', ')} with ${plan.frameworks.join(', ')}, ${plan.repeats} repeats`);
      const { planId, counts } = await runToEnd(workbench, plan, io, values.json);
      if (counts.done === 0)
        throw new WorkbenchFailure('internal', 'No run of the lab finished: read the runs above for why, then run the lab again.');
      step('writing the report');
      const report = await workbench.call('bench.report', { planId, save: true, pdf: !values['no-pdf'], handIn });
      return finish(io, report, counts, values.json);
    });
  } catch (error) {
    return reportFailure(io, 'lab', error, values.json);
  }
}

/** The lab's module families and JetPack: a board outside them is refused before anything is installed. */
function checkBoard(lab: LabFile, facts: BoardFacts): void {
  const family = moduleFamilyOf(facts.module);
  if (lab.modules !== undefined && (family === null || !lab.modules.includes(family))) {
    throw new WorkbenchFailure(
      'unsupported',
      `This lab is for ${lab.modules.join(', ')}; the board is ${facts.module ?? 'not a known Jetson'}. Use a board the lab allows.`,
    );
  }
  if (lab.jetpack !== undefined && !(facts.jetpack === lab.jetpack || facts.jetpack?.startsWith(`${lab.jetpack}.`))) {
    throw new WorkbenchFailure(
      'unsupported',
      `This lab needs JetPack ${lab.jetpack}; the board runs ${facts.jetpack === null ? 'no JetPack the workbench can read' : `JetPack ${facts.jetpack}`}. Flash it with JetPack ${lab.jetpack} first (jwb flash).`,
    );
  }
}

/** The lab's plan for this board; "installed" is read from the board after the installs. */
async function planFor(workbench: CliWorkbench, lab: LabFile, board: BoardRef, before: BoardFacts): Promise<BenchPlanInput> {
  const facts =
    lab.plan.frameworks !== 'installed' || lab.libraries.length === 0 ? before : (await workbench.call('boards.identify', { board })).facts;
  const plan = labPlanFor(
    lab,
    board,
    facts.frameworks.map((framework) => framework.name),
  );
  if (plan === null) {
    throw new WorkbenchFailure(
      'not-found',
      'The board has none of the frameworks the lab compares: install one (jwb install … pytorch), then run the lab again.',
    );
  }
  return plan;
}

function finish(
  io: CliIo,
  report: MethodOutput<'bench.report'>,
  counts: { done: number; failed: number; cancelled: number },
  json: boolean,
): number {
  const html = report.path as string;
  const paths = { html, csv: html.replace(/\.html$/, '.csv'), json: html.replace(/\.html$/, '.json'), pdf: report.pdfPath };
  if (json) writeJson(io, { type: 'report', planId: report.planId, counts, ...paths });
  else {
    io.stdout.write(`Runs: ${counts.done} done, ${counts.failed} failed, ${counts.cancelled} cancelled.\nReport: ${paths.html}\n`);
    if (paths.pdf !== null) io.stdout.write(`PDF: ${paths.pdf}\n`);
  }
  return counts.failed > 0 ? 1 : 0;
}
