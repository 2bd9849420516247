import type { AbortSignalLike, BoardLink } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { VerifiedVersions } from '../../shared/install/install-contract.ts';
import type { SupportedPlan } from '../../shared/install/recipe.ts';
import { commandLine } from '../../shared/shell-quote.ts';

/** Reads the `key=value` lines a recipe's verification program prints (resources/recipes, `verification.program`). */
export function parseVerification(stdout: string, line: string): VerifiedVersions {
  const values = new Map<string, string>();
  for (const row of stdout.split('\n')) {
    const match = /^([a-z][a-z0-9-]*)=(.*)$/.exec(row.trim());
    if (match) values.set(match[1] as string, (match[2] as string).trim());
  }
  const cuda = values.get('cuda');
  const extra: Record<string, string> = {};
  for (const [key, value] of values) if (!['version', 'cuda', 'gpu-op'].includes(key)) extra[key] = value;
  return {
    version: values.get('version') ?? null,
    cuda: cuda === 'True' ? true : cuda === 'False' ? false : null,
    gpuOp: values.get('gpu-op') ?? null,
    extra,
    line,
  };
}

/**
 * Runs the recipe's verification program and reads it: the library imports,
 * shows its version, and sees the GPU where the recipe requires it. The
 * failure says what to do next; after a skip (`alreadyInstalled`) that is a
 * reinstall, since no step of ours ran.
 */
export async function verifyInstall(
  link: BoardLink,
  title: string,
  plan: SupportedPlan,
  options: { alreadyInstalled: boolean; signal?: AbortSignalLike },
): Promise<VerifiedVersions> {
  const argv = ['python3', '-c', plan.verification.program];
  const line = commandLine(...argv);
  const result = await link.exec(argv, options.signal ? { signal: options.signal } : {});
  const verification = parseVerification(result.stdout, line);
  const reinstall = 'start the install again with "Reinstall" ticked (jwb install --force) to run its steps anyway';
  if (result.code !== 0 || verification.version === null)
    throw new WorkbenchFailure(
      'internal',
      options.alreadyInstalled
        ? `${title} is on the board but does not import: ${reinstall}.`
        : `${title} was installed but does not import. See the log; starting the install again repeats only what failed.`,
      result.stderr.trim().split('\n').slice(-6).join('\n'),
    );
  if (plan.verification.requiresCuda && verification.cuda !== true)
    throw new WorkbenchFailure(
      'internal',
      options.alreadyInstalled
        ? `${title} ${verification.version} is on the board but does not see the GPU (a CPU-only build, or CUDA missing): ${reinstall}.`
        : `${title} ${verification.version} is installed but does not see the GPU (a CPU-only build, or CUDA missing). Install nvidia-jetpack and NVIDIA's wheel for this JetPack.`,
    );
  return verification;
}
