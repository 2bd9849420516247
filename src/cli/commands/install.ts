import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodInput, MethodOutput } from '../../shared/api.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { InstallProgressEvent } from '../../shared/install/contract.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand, type CliIo } from '../command.ts';
import { followJob } from '../follow-job.ts';
import { addressRef, withWorkbench, type CliWorkbench } from '../workbench.ts';
import { reportFailure } from './info.ts';
export const installCommand: CliCommand = {
  name: 'install',
  usage: [
    'jwb install <user@host[:port]> <library> [--password-env VAR] [--sudo-password-env VAR] [--identity FILE]…',
    '            [--doc out.md|out.html] [--offline DIR [--fetch]] [--force] [--json]',
    '',
    'Installs a library from resources/recipes (pytorch, tensorflow, onnxruntime-gpu, tensorrt, caffe,',
    "theano, pytensor, jax, jetson-stats) for the board's JetPack. The recipe's probe runs first: a",
    'library already installed at a version the recipe accepts has its steps skipped (said so in the',
    'log and the procedure) and is only verified; --force runs the steps anyway. Run it again after a',
    'dropped connection: finished steps are not repeated. The sudo password is the login password unless',
    '--sudo-password-env names another variable. A simulated board (`jwb sim`) says so when it is',
    'identified; it has no compiler, so source builds run their stand-in step. --offline DIR: the board has no internet;',
    'the pip and apt steps install from the .whl/.deb files in DIR, uploaded (SHA-256 checked) to',
    '~/.jwb/offline on the board. A missing file stops the install before it starts, with the',
    '`pip download` / `apt-get download` lines to run on a computer that has internet; with --fetch,',
    "this computer's pip downloads the missing wheels first (python3, or JWB_PYTHON).",
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        identity: { type: 'string', multiple: true },
        'password-env': { type: 'string' },
        'sudo-password-env': { type: 'string' },
        doc: { type: 'string' },
        offline: { type: 'string' },
        force: { type: 'boolean', default: false },
        fetch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2) throw new UsageError('give a board as user@host[:port] and a library');
    const target = parseBoardTarget(positionals[0] as string);
    const password = passwordFromEnv(values['password-env'], io.env);
    const sudoPassword = passwordFromEnv(values['sudo-password-env'], io.env) ?? password;
    const request = {
      board: addressRef(
        target,
        password,
        values.identity?.map((file) => resolve(file)),
      ),
      library: positionals[1] as string,
      ...(sudoPassword === undefined ? {} : { sudoPassword }),
      // Relative to where jwb runs; the service checks it before connecting, as the Install view's.
      ...(values.offline === undefined ? {} : { offlineDir: resolve(values.offline), fetchMissing: values.fetch }),
      force: values.force,
    };
    try {
      return await withWorkbench(io, 'install', async (workbench) => {
        const outcome = await installToEnd(workbench, request, io);
        if (values.doc !== undefined) writeFileSync(values.doc, values.doc.endsWith('.html') ? outcome.html : outcome.markdown);
        const { verification } = outcome;
        if (values.json) writeJson(io, { library: request.library, family: outcome.family, verification });
        else
          io.stdout.write(
            `${outcome.title} ${verification.version ?? ''} installed; CUDA visible: ${String(verification.cuda)}; GPU op: ${verification.gpuOp ?? 'not run'}\n`,
          );
        return 0;
      });
    } catch (error) {
      return reportFailure(io, 'install', error, values.json);
    }
  },
};

/** Starts the install, prints its progress on stderr until it ends (Ctrl+C cancels it), and answers its procedure. */
export async function installToEnd(
  workbench: CliWorkbench,
  request: MethodInput<'install.start'>,
  io: CliIo,
): Promise<MethodOutput<'install.procedure'>> {
  const { id, last } = await followJob(workbench, io, {
    topic: 'install.onDidProgress',
    start: async () => (await workbench.call('install.start', request)).installId,
    idOf: (event) => event.installId,
    isLast: (event) => event.kind === 'finished' || event.kind === 'failed',
    cancel: (installId) => workbench.call('install.cancel', { installId }),
    onEvent: (event) => io.stderr.write(formatProgress(event)),
  });
  if (last.error !== null) throw new WorkbenchFailure(last.error.code, last.error.message, last.error.detail);
  return workbench.call('install.procedure', { installId: id });
}

function formatProgress(event: InstallProgressEvent): string {
  const step = event.stepIndex === null ? '' : `[${event.stepIndex + 1}/${event.stepCount ?? '?'}] `;
  switch (event.kind) {
    case 'preflight':
      return `${event.warning ? 'warning: ' : ''}${event.message ?? ''}\n`;
    case 'step-started':
      return `${step}${event.title ?? ''}\n$ ${event.line ?? ''}\n`;
    case 'step-skipped':
      return `${step}${event.title ?? ''}: skipped (${event.message ?? ''})\n`;
    case 'step-finished':
      return `    ${step}done\n`;
    case 'log':
      return event.text ?? '';
    case 'verified':
      return `verified: ${event.verification?.version ?? '?'}, CUDA ${String(event.verification?.cuda)}, GPU op ${event.verification?.gpuOp ?? '?'}\n`;
    case 'finished':
    case 'failed':
      return '';
  }
}
