/**
 * Puts the agent and the datasets on a board, only when they changed: each
 * goes to a folder named after (or holding) the hash of its files, and a
 * `.complete` marker written LAST says the copy is whole. Every file travels
 * with `BoardLink.upload`, which verifies it on the board with sha256sum.
 * There is no tar on the simulator nor a guarantee of one on a minimal image,
 * so files go one by one (the agent is ~20 small files).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AbortSignalLike, BoardLink } from '../link/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';

/** Everything the workbench puts on a board lives under `~/.jwb`. */
export const remoteBase = '.jwb';
const markerName = '.complete';

export interface FileTree {
  /** Local folder the relative paths start from. */
  root: string;
  /** Relative paths with `/`, sorted. */
  files: string[];
  /** sha256 over every path and its content. */
  hash: string;
}

export interface PushResult {
  /** Remote folder, relative to the login's home. */
  remoteDir: string;
  hash: string;
  /** False when the board already had this exact copy. */
  uploaded: boolean;
  files: number;
}

async function listFiles(root: string, folder: string, keep: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === '__pycache__' ? [] : listFiles(root, path, keep);
      return entry.isFile() && keep(entry.name) ? [relative(root, path).split('\\').join('/')] : [];
    }),
  );
  return nested.flat();
}

export async function hashTree(root: string, subfolder: string, keep: (name: string) => boolean = () => true): Promise<FileTree> {
  const files = (await listFiles(root, join(root, subfolder), keep)).sort();
  if (files.length === 0) throw new WorkbenchFailure('not-found', `There are no files to send in ${join(root, subfolder)}.`);
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(await readFile(join(root, file)))
      .update('\0');
  return { root, files, hash: hash.digest('hex') };
}

/** The agent's files (`jwb_agent/**.py`) and their hash; the remote folder is `.jwb/agent-<first 12 hex>`. */
export function agentTree(agentRoot: string): Promise<FileTree> {
  return hashTree(agentRoot, 'jwb_agent', (name) => name.endsWith('.py'));
}

export function agentRemoteDir(tree: FileTree): string {
  return `${remoteBase}/agent-${tree.hash.slice(0, 12)}`;
}

/** `agentRoot`: the folder holding `jwb_agent/` (Resources.agentDir). */
export async function pushAgent(link: BoardLink, agentRoot: string, signal?: AbortSignalLike): Promise<PushResult> {
  const tree = await agentTree(agentRoot);
  return pushTree(link, tree, agentRemoteDir(tree), signal);
}

/** Sends a tree to `remoteDir` unless the board's `.complete` marker already holds its hash. */
export async function pushTree(
  link: BoardLink,
  tree: FileTree,
  remoteDir: string,
  signal: AbortSignalLike | undefined,
): Promise<PushResult> {
  const marker = `${remoteDir}/${markerName}`;
  const present = await link.exec(['cat', marker], { signal });
  if (present.code === 0 && present.stdout.trim() === tree.hash) {
    return { remoteDir, hash: tree.hash, uploaded: false, files: tree.files.length };
  }
  const folders = new Set(tree.files.map((file) => `${remoteDir}/${file}`.split('/').slice(0, -1).join('/')));
  const made = await link.exec(['mkdir', '-p', ...[...folders].sort()], { signal });
  if (made.code !== 0) throw new WorkbenchFailure('unavailable', `Could not create ${remoteDir} on the board.`, made.stderr.trim());
  await link.exec(['rm', '-f', marker], { signal });
  for (const file of tree.files) await link.upload(join(tree.root, file), `${remoteDir}/${file}`, { signal });
  const scratch = await mkdtemp(join(tmpdir(), 'jwb-push-'));
  try {
    const local = join(scratch, markerName);
    await writeFile(local, `${tree.hash}\n`);
    await link.upload(local, marker, { signal });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { remoteDir, hash: tree.hash, uploaded: true, files: tree.files.length };
}
