import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { InstallProgress } from '../../shared/install/install-contract.ts';
import { knownHostsIn } from '../../main/identify/board-session.ts';
import { procedureHtml, procedureMarkdown } from '../../main/install/procedure.ts';
import { checkOfflineFolder } from '../../main/install/offline.ts';
import { findRecipe } from '../../main/install/recipes.ts';
import { runInstall } from '../../main/install/runner.ts';
import { SshLink } from '../../main/link/ssh-link.ts';
import { defaultDataDir } from '../../main/store/data-dir.ts';
import { parseBoardTarget, passwordFromEnv } from '../board-target.ts';
import { UsageError, writeJson, type CliCommand } from '../command.ts';
import { reportFailure } from './info.ts';

export const installCommand: CliCommand = {
  name: 'install',
  usage: [
    'jwb install <user@host[:port]> <library> [--password-env VAR] [--sudo-password-env VAR] [--identity FILE]…',
    '            [--doc out.md|out.html] [--offline DIR [--fetch]] [--force] [--simulator] [--json]',
    '',
    'Installs a library from resources/recipes (pytorch, tensorflow, onnxruntime-gpu, tensorrt, caffe,',
    "theano, pytensor, jax, jetson-stats) for the board's JetPack. The recipe's probe runs first: a",
    'library already installed at a version the recipe accepts has its steps skipped (said so in the',
    'log and the procedure) and is only verified; --force runs the steps anyway. Run it again after a',
    'dropped connection: finished steps are not repeated. The sudo password is the login password unless',
    '--sudo-password-env names another variable. --simulator: the board is `jwb sim` (it has no',
    'compiler, so source builds run their stand-in step). --offline DIR: the board has no internet;',
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
        simulator: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        fetch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2) throw new UsageError('give a board as user@host[:port] and a library');
    const target = parseBoardTarget(positionals[0] as string);
    const password = passwordFromEnv(values['password-env'], io.env);
    const sudoPassword = passwordFromEnv(values['sudo-password-env'], io.env) ?? password;
    const dataDir = defaultDataDir(io.env);
    let link: SshLink | undefined;
    try {
      const recipe = findRecipe(positionals[1] as string);
      // Same check as the Install view's (InstallService.start), before connecting; relative to where jwb runs.
      const offlineDir = values.offline === undefined ? undefined : checkOfflineFolder(resolve(values.offline));
      link = await SshLink.connect(
        { ...target, password, identityFiles: values.identity },
        {
          knownHosts: knownHostsIn(dataDir),
          confirmNewHost: async (request) => {
            io.stderr.write(
              `jwb install: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`,
            );
            return true;
          },
        },
      );
      const outcome = await runInstall({
        boardId: `${target.username}@${target.host}:${target.port}`,
        link,
        recipe,
        stateFolder: join(dataDir, 'installs'),
        ...(sudoPassword === undefined ? {} : { sudoPassword }),
        simulator: values.simulator,
        force: values.force,
        ...(offlineDir === undefined ? {} : { offlineDir, fetchMissing: values.fetch }),
        signal: io.signal,
        onProgress: (progress) => io.stderr.write(formatProgress(progress)),
      });
      if (values.doc !== undefined)
        writeFileSync(values.doc, values.doc.endsWith('.html') ? procedureHtml(outcome) : procedureMarkdown(outcome));
      if (values.json)
        writeJson(io, { library: recipe.library, family: outcome.family, steps: outcome.state.steps, verification: outcome.verification });
      else
        io.stdout.write(
          `${recipe.title} ${outcome.verification.version ?? ''} installed; CUDA visible: ${String(outcome.verification.cuda)}; GPU op: ${outcome.verification.gpuOp ?? 'not run'}\n`,
        );
      return 0;
    } catch (error) {
      return reportFailure(io, 'install', error, values.json);
    } finally {
      await link?.close();
    }
  },
};

function formatProgress(progress: InstallProgress): string {
  switch (progress.type) {
    case 'preflight':
      return `${progress.warning ? 'warning: ' : ''}${progress.message}\n`;
    case 'step-started':
      return `[${progress.index + 1}/${progress.count}] ${progress.title}\n$ ${progress.line}\n`;
    case 'step-skipped':
      return `[${progress.index + 1}/${progress.count}] ${progress.title}: skipped (${progress.reason})\n`;
    case 'step-finished':
      return `    ${progress.outcome} in ${(progress.durationMs / 1000).toFixed(1)} s\n`;
    case 'log':
      return progress.text;
    case 'verified':
      return `verified: ${progress.verification.version ?? '?'}, CUDA ${String(progress.verification.cuda)}, GPU op ${progress.verification.gpuOp ?? '?'}\n`;
    case 'finished':
    case 'failed':
      return '';
  }
}
