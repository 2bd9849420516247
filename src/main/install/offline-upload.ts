import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import type { AbortSignalLike, BoardLink } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { localPath, offlineFolderName, type OfflinePlan } from './offline.ts';

export interface StagedFiles {
  remoteDir: string;
  uploaded: string[];
  /** Already on the board with the same SHA-256: not sent again. */
  kept: string[];
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `sha256sum` lines (`<hex>  <path>`) as path → hash; missing files simply have no line. */
function parseSums(stdout: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (match) sums.set(match[2] as string, match[1] as string);
  }
  return sums;
}

/**
 * Puts the plan's files in `~/.jwb/offline/` on the board: a file whose
 * SHA-256 there already matches is kept, the others are uploaded and checked
 * on the board by `BoardLink.upload`.
 */
export async function stageOfflineFiles(
  link: BoardLink,
  plan: OfflinePlan,
  options: { signal?: AbortSignalLike; onMessage?(message: string): void } = {},
): Promise<StagedFiles> {
  const signal = options.signal ? { signal: options.signal } : {};
  // sshd starts every command in the login user's home: `pwd` names it (the argv is quoted, so no `~` expansion).
  const home = (await link.exec(['pwd'], signal)).stdout.trim();
  if (!home.startsWith('/')) throw new WorkbenchFailure('internal', 'The board did not tell its home folder (pwd).');
  const remoteDir = posix.join(home, offlineFolderName);
  const made = await link.exec(['mkdir', '-p', remoteDir], signal);
  if (made.code !== 0) throw new WorkbenchFailure('internal', `Cannot create ${remoteDir} on the board.`, made.stderr.trim());
  const remote = (file: string): string => posix.join(remoteDir, file);
  const onBoard =
    plan.files.length === 0
      ? new Map<string, string>()
      : parseSums((await link.exec(['sha256sum', '--', ...plan.files.map(remote)], signal)).stdout);
  const staged: StagedFiles = { remoteDir, uploaded: [], kept: [] };
  for (const file of plan.files) {
    const local = await sha256Of(localPath(plan, file));
    if (onBoard.get(remote(file)) === local) {
      staged.kept.push(file);
      continue;
    }
    options.onMessage?.(`Uploading ${file} to ${remoteDir}`);
    const sent = await link.upload(localPath(plan, file), remote(file), signal);
    if (sent.sha256 !== local)
      throw new WorkbenchFailure(
        'internal',
        `${file} changed while it was uploaded; start the install again.`,
        `${local} ≠ ${sent.sha256}`,
      );
    staged.uploaded.push(file);
  }
  return staged;
}
