#!/usr/bin/env node
// Runs the TypeScript sources directly (Node >= 22.18 strips types natively).
// Node's "experimental" notices for type stripping and node:sqlite would
// clutter every command's output, so only other warnings are printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const { runCli } = await import('../src/cli/main.ts');
const controller = new AbortController();
// `on`, not `once`: a library using signal-exit re-raises a signal that no
// other listener is left to handle. A second Ctrl+C stops at once.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
}
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
} catch (error) {
  process.stderr.write(`jwb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
