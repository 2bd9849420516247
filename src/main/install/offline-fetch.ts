/**
 * Offline boards, the other half (issue 7): the workbench computer, which
 * reaches the package indexes, downloads the wheels the offline folder lacks
 * with its own pip (`python3 -m pip download` for the board's platform and
 * Python), before the install uploads them. The commands are the ones the
 * "missing files" message tells a person to run; here they run as argv, no
 * shell. Debian packages cannot be fetched this way (apt downloads for this
 * computer's architecture and release): the message still names them.
 */
import { spawn } from 'node:child_process';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { SupportedPlan } from '../../shared/install/recipe.ts';
import { offlineSteps, pipDownloadArguments } from './offline.ts';

export interface FetchOptions {
  /** This computer's Python with pip; `JWB_PYTHON`, else `python3` (`python` on Windows). */
  python?: string;
  /** The environment pip runs with (PIP_INDEX_URL, proxies…); this process's by default. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** pip's output, line by line, for the install log. */
  onLog?: (text: string) => void;
}

export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  return env.JWB_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
}

/** Downloads every wheel the plan's pip steps miss into `localDir`; returns how many `pip download` commands ran. */
export async function fetchMissingWheels(plan: SupportedPlan, localDir: string, options: FetchOptions = {}): Promise<number> {
  const { missing } = offlineSteps(plan, localDir);
  const python = options.python ?? defaultPython(options.env);
  for (const entry of missing.pip) {
    const argv = ['-m', 'pip', ...pipDownloadArguments(entry, localDir, plan.prerequisites.python)];
    options.onLog?.(`$ ${python} ${argv.join(' ')}\n`);
    await runPip(python, argv, options, entry.requirements.join(', '));
  }
  return missing.pip.length;
}

function runPip(python: string, argv: string[], options: FetchOptions, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, argv, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let tail = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2000);
      options.onLog?.(text);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(new WorkbenchFailure('cancelled', 'The download was cancelled.'));
      else
        reject(
          new WorkbenchFailure(
            'unavailable',
            `Could not run ${python} to download ${what}: install Python 3 with pip on this computer, or set JWB_PYTHON.`,
            String(error),
          ),
        );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new WorkbenchFailure(
            'unavailable',
            `pip could not download ${what} on this computer (exit ${code}): check that it reaches the package index, or put the files in the folder yourself.`,
            tail.trim().split('\n').slice(-6).join('\n'),
          ),
        );
    });
  });
}
