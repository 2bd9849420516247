import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import type { InstallState, StepRecord } from '../../shared/install/install-contract.ts';
import type { Recipe, SupportedPlan } from '../../shared/install/recipe.ts';
import { escapeHtml } from '../bench/report-svg.ts';

/**
 * The procedure document of an install: what a student hands in or repeats
 * by hand. Board facts, JetPack, every command actually run (the quoted line)
 * with its outcome and duration, and the versions verified. Markdown and HTML
 * from the same rows.
 */
export interface ProcedureInput {
  facts: BoardFacts;
  recipe: Recipe;
  plan: SupportedPlan;
  state: InstallState;
}

interface Row {
  label: string;
  value: string;
}

function factRows(facts: BoardFacts): Row[] {
  const text = (value: string | number | null): string => (value === null ? 'unknown' : String(value));
  return [
    { label: 'Board', value: text(facts.module) },
    { label: 'Hostname', value: text(facts.hostname) },
    { label: 'JetPack', value: `${text(facts.jetpack)} (L4T ${text(facts.l4t)})` },
    { label: 'Ubuntu', value: text(facts.ubuntu) },
    { label: 'Python', value: text(facts.python) },
    { label: 'CUDA / cuDNN / TensorRT', value: `${text(facts.cuda)} / ${text(facts.cudnn)} / ${text(facts.tensorrt)}` },
    { label: 'Free disk (GB)', value: text(facts.diskFreeGb) },
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function verifiedRows(state: InstallState): Row[] {
  const verification = state.verification;
  if (!verification) return [];
  return [
    { label: 'Version', value: verification.version ?? 'unknown' },
    { label: 'CUDA visible', value: verification.cuda === null ? 'unknown' : verification.cuda ? 'yes' : 'no' },
    { label: 'GPU operation', value: verification.gpuOp ?? 'not run' },
    ...Object.entries(verification.extra).map(([label, value]) => ({ label, value })),
  ];
}

function steps(state: InstallState): InstallState['steps'] {
  return [...state.steps].sort((a, b) => a.index - b.index);
}

/** `done`, or `skipped: already installed, version 4.3.2`: a skipped step is never silent. */
function outcomeText(step: StepRecord): string {
  return step.note === undefined ? step.outcome : `${step.outcome}: ${step.note}`;
}

/** The probe's finding, as a sentence (null when no probe ran: an install resumed from its saved state). */
function probeSentence(state: InstallState): string | null {
  const probe = state.alreadyInstalled;
  if (probe === undefined) return null;
  if (probe === null) return 'The library was not installed before.';
  const wanted = probe.minVersion === null ? 'any version' : `${probe.minVersion} or newer`;
  return probe.skipped
    ? `Already installed, version ${probe.version} (the recipe accepts ${wanted}): the install steps were skipped, only the verification ran.`
    : `Version ${probe.version} was installed before (the recipe accepts ${wanted}); the install steps ran again.`;
}

/** A backtick fence long enough for any line (a command may itself contain backticks). */
function code(text: string): string {
  const fence = '`'.repeat(Math.max(1, ...[...text.matchAll(/`+/g)].map((match) => match[0].length + 1)));
  return `${fence} ${text} ${fence}`;
}

export function procedureMarkdown(input: ProcedureInput): string {
  const { facts, recipe, plan, state } = input;
  const lines = [`# Installing ${recipe.title} on ${facts.hostname ?? state.boardId}`, ''];
  if (state.simulator) lines.push('> Installed on the **board simulator**: GPU libraries are stand-in modules, not the real ones.', '');
  lines.push('## Board', '', '| | |', '|---|---|', ...factRows(facts).map((row) => `| ${row.label} | ${row.value} |`), '');
  const probe = probeSentence(state);
  if (probe !== null && state.alreadyInstalled) lines.push('## Already installed?', '', code(state.alreadyInstalled.line), '', probe, '');
  else if (probe !== null) lines.push('## Already installed?', '', probe, '');
  lines.push('## Commands run', '', '| # | Step | Command | Outcome | Duration |', '|---|---|---|---|---|');
  for (const step of steps(state))
    lines.push(
      `| ${step.index + 1} | ${step.title} | ${code(step.line).replaceAll('|', '\\|')} | ${outcomeText(step)} | ${seconds(step.durationMs)} |`,
    );
  lines.push('');
  if (state.verification) {
    lines.push(
      '## Verification',
      '',
      '```',
      state.verification.line,
      '```',
      '',
      '| | |',
      '|---|---|',
      ...verifiedRows(state).map((row) => `| ${row.label} | ${row.value} |`),
      '',
    );
  }
  const stepNotes = stepNoteRows(plan);
  if (stepNotes.length > 0) lines.push('## Step notes', '', ...stepNotes.map((row) => `- ${row.label}: ${row.value}`), '');
  if (plan.notes) lines.push('## Notes', '', plan.notes, '');
  lines.push('## Sources', '', ...plan.sources.map((source) => `- <${source}>`), '');
  return lines.join('\n');
}

export function procedureHtml(input: ProcedureInput): string {
  const { facts, recipe, plan, state } = input;
  const table = (rows: Row[]): string =>
    `<table>${rows.map((row) => `<tr><th>${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('')}</table>`;
  const title = `Installing ${recipe.title} on ${facts.hostname ?? state.boardId}`;
  const stepRows = steps(state)
    .map(
      (step) =>
        `<tr><td>${step.index + 1}</td><td>${escapeHtml(step.title)}</td><td><code>${escapeHtml(step.line)}</code></td><td>${escapeHtml(outcomeText(step))}</td><td>${seconds(step.durationMs)}</td></tr>`,
    )
    .join('');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    state.simulator
      ? '<p><strong>Installed on the board simulator</strong>: GPU libraries are stand-in modules, not the real ones.</p>'
      : '',
    `<h2>Board</h2>${table(factRows(facts))}`,
    probeHtml(state),
    `<h2>Commands run</h2><table><tr><th>#</th><th>Step</th><th>Command</th><th>Outcome</th><th>Duration</th></tr>${stepRows}</table>`,
    state.verification ? `<h2>Verification</h2><pre>${escapeHtml(state.verification.line)}</pre>${table(verifiedRows(state))}` : '',
    stepNotesHtml(plan),
    plan.notes ? `<h2>Notes</h2><p>${escapeHtml(plan.notes)}</p>` : '',
    `<h2>Sources</h2><ul>${plan.sources.map((source) => `<li><a href="${escapeHtml(source)}">${escapeHtml(source)}</a></li>`).join('')}</ul>`,
    '</body></html>',
  ].join('\n');
}

/** The recipe's notes on its steps; a step the published sources do not confirm (`verified: false`) is marked so. */
function stepNoteRows(plan: SupportedPlan): Row[] {
  return plan.steps.flatMap((step, index) => {
    if (step.note === undefined && step.verified !== false) return [];
    const mark = step.verified === false ? 'Not confirmed by the published sources. ' : '';
    const source = step.source === undefined ? '' : ` Source: ${step.source}`;
    return [{ label: `Step ${index + 1} (${step.title})`, value: `${mark}${step.note ?? ''}${source}` }];
  });
}

function stepNotesHtml(plan: SupportedPlan): string {
  const rows = stepNoteRows(plan);
  if (rows.length === 0) return '';
  const items = rows.map((row) => `<li><strong>${escapeHtml(row.label)}</strong>: ${escapeHtml(row.value)}</li>`);
  return `<h2>Step notes</h2><ul>${items.join('')}</ul>`;
}

function probeHtml(state: InstallState): string {
  const sentence = probeSentence(state);
  if (sentence === null) return '';
  const line = state.alreadyInstalled ? `<pre>${escapeHtml(state.alreadyInstalled.line)}</pre>` : '';
  return `<h2>Already installed?</h2>${line}<p>${escapeHtml(sentence)}</p>`;
}
