/**
 * The writer runs as root, but the image it reads is the student's file: it
 * is opened with the student's rights, so a request for `/etc/shadow` as an
 * "image" fails as it would for them (the renderer that asks is untrusted,
 * ARCHITECTURE.md). pkexec says who asked in PKEXEC_UID, sudo in SUDO_UID;
 * with neither, the caller is root itself and nothing changes.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { WorkbenchFailure } from '../shared/errors.ts';
import { runChecked } from './run-program.ts';

export interface InvokingUser {
  uid: number;
  gid: number;
  groups: number[];
}

/** Who started the writer through pkexec or sudo; null when root started it directly. */
export async function invokingUser(env: NodeJS.ProcessEnv = process.env): Promise<InvokingUser | null> {
  const uid = Number(env.PKEXEC_UID ?? env.SUDO_UID ?? '0');
  if (!Number.isSafeInteger(uid) || uid <= 0) return null;
  // `id` asks NSS, so users from LDAP or systemd-homed are found as well as those in /etc/passwd.
  const groups = (await runChecked(['id', '-G', '--', String(uid)], `The user who started the writer (uid ${uid}) is unknown.`))
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((group) => Number.isSafeInteger(group) && group >= 0);
  const gid = groups[0];
  if (gid === undefined) throw new WorkbenchFailure('internal', `The user who started the writer (uid ${uid}) has no group.`);
  return { uid, gid, groups };
}

/** Opens a file for reading with `user`'s rights (root's when null). */
export async function openAsUser(path: string, user: InvokingUser | null): Promise<FileHandle> {
  if (user === null) return open(path, constants.O_RDONLY);
  const savedGroups = process.getgroups?.() ?? [];
  // Set the effective ids for one open(2) and put root's back at once; glibc applies them to every thread.
  process.setgroups?.(user.groups);
  process.setegid?.(user.gid);
  process.seteuid?.(user.uid);
  try {
    return await open(path, constants.O_RDONLY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new WorkbenchFailure('forbidden', `You may not read ${path}: choose an image file of your own.`, String(error));
    }
    if (code === 'ENOENT') throw new WorkbenchFailure('not-found', `The image ${path} is not there any more.`);
    throw error;
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
    process.setgroups?.(savedGroups);
  }
}
