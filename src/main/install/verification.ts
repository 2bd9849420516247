import type { VerifiedVersions } from '../../shared/install/install-contract.ts';

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
