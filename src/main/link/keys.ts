import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BoardLink } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { generateEd25519Pair } from './ed25519.ts';
import { fingerprintOf } from './known-hosts.ts';

export { generateEd25519Pair };

/**
 * The workbench's own login key: created once (ed25519), kept in the data
 * folder with owner-only permissions, and installed on a board like
 * `ssh-copy-id` does, so a student types the board password once.
 */
export interface WorkbenchKey {
  privateKeyPath: string;
  publicKeyPath: string;
  /** `ssh-ed25519 AAAA… comment`, one line as in authorized_keys. */
  publicKeyLine: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

const keyFileName = 'id_ed25519';

/** Loads the key pair from `folder`, creating it the first time. */
export async function ensureWorkbenchKey(folder: string, comment = defaultComment()): Promise<WorkbenchKey> {
  const privateKeyPath = join(folder, keyFileName);
  const publicKeyPath = `${privateKeyPath}.pub`;
  try {
    const publicKeyLine = (await readFile(publicKeyPath, 'utf8')).trim();
    await readFile(privateKeyPath);
    return { privateKeyPath, publicKeyPath, publicKeyLine, fingerprint: publicKeyFingerprint(publicKeyLine) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return createKeyPair(folder, comment);
}

/** Writes a new ed25519 pair (replacing any old one): private key mode 0600, public key 0644. */
export async function createKeyPair(folder: string, comment = defaultComment()): Promise<WorkbenchKey> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const pair = generateEd25519Pair(comment);
  const privateKeyPath = join(folder, keyFileName);
  const publicKeyPath = `${privateKeyPath}.pub`;
  await writeFile(privateKeyPath, pair.private, { mode: 0o600 });
  // writeFile's mode applies only to a new file; an older key file keeps its mode unless we set it.
  await chmod(privateKeyPath, 0o600);
  const publicKeyLine = pair.public.trim();
  await writeFile(publicKeyPath, `${publicKeyLine}\n`, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, publicKeyLine, fingerprint: publicKeyFingerprint(publicKeyLine) };
}

const publicKeyPattern = /^((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})(?: [^\r\n]*)?$/;

export function publicKeyFingerprint(publicKeyLine: string): string {
  const match = publicKeyPattern.exec(publicKeyLine.trim());
  if (match === null) throw new WorkbenchFailure('invalid-request', 'That is not an SSH public key line.', publicKeyLine.slice(0, 80));
  return fingerprintOf(Buffer.from(match[2] ?? '', 'base64'));
}

/**
 * Idempotent `ssh-copy-id`: the script is a constant; the key travels as
 * arguments ($1 the whole line, $2 its "type base64" part that identifies
 * it), quoted by the link like every argument. A missing final newline in
 * authorized_keys is repaired first so our line is not glued to the last one.
 */
const installScript = [
  'umask 077',
  'mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh" || exit 1',
  'file="$HOME/.ssh/authorized_keys"',
  'touch "$file" && chmod 600 "$file" || exit 1',
  'if grep -qF -- "$2" "$file"; then echo present; exit 0; fi',
  'if [ -s "$file" ] && [ -n "$(tail -c 1 "$file")" ]; then echo >> "$file"; fi',
  'printf \'%s\\n\' "$1" >> "$file" && echo added',
].join('\n');

export async function installPublicKey(link: BoardLink, publicKeyLine: string): Promise<{ added: boolean }> {
  const line = publicKeyLine.trim();
  const match = publicKeyPattern.exec(line);
  if (match === null) throw new WorkbenchFailure('invalid-request', 'That is not an SSH public key line.', line.slice(0, 80));
  const identity = `${match[1] ?? ''} ${match[2] ?? ''}`;
  const result = await link.exec(['sh', '-c', installScript, 'install-key', line, identity]);
  const answer = result.stdout.trim();
  if (result.code !== 0 || (answer !== 'added' && answer !== 'present')) {
    throw new WorkbenchFailure(
      'unavailable',
      'The workbench key could not be installed on the board.',
      result.stderr.trim() || `exit ${String(result.code)}`,
    );
  }
  return { added: answer === 'added' };
}

function defaultComment(): string {
  return `jetson-workbench@${hostname()}`;
}
