/**
 * `npm test`: every check and every test, in order, then one summary line.
 * Static checks, then the renderer build the e2e tests load, then Vitest's
 * projects (unit and renderer first, then slow integration, then e2e).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const reportFile = 'test-results/vitest.json';
const failures: string[] = [];

function step(name: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n── ${name} ──\n`);
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(`── ${name}: ${ok ? 'ok' : 'FAILED'} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  if (!ok) failures.push(name);
  return ok;
}

const only = process.argv.slice(2);
const projects = only.length > 0 ? only.flatMap((name) => ['--project', name]) : [];

step('type check', npm, ['run', '--silent', 'check:types']);
step('svelte-check', npm, ['run', '--silent', 'check:svelte']);
step('lint and layer rules', npm, ['run', '--silent', 'check:lint']);
step('formatting', npm, ['run', '--silent', 'check:format']);
step('renderer build', npm, ['run', '--silent', 'build:renderer']);
mkdirSync('test-results', { recursive: true });
step('tests', 'npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`]);

let report: VitestReport = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
} catch {
  failures.push('reading the test report');
}
// A failed check counts as a failed test: a red type check must not read as green.
const failed = report.numFailedTests + failures.filter((name) => name !== 'tests').length;
process.stdout.write(`\n${failures.length ? `Failed steps: ${failures.join(', ')}\n` : 'All steps passed.\n'}`);
process.stdout.write(
  `Summary: ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped\n`,
);
process.exitCode = failures.length > 0 || failed > 0 ? 1 : 0;
