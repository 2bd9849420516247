/**
 * Files of a Jetson root filesystem unpacked or mounted at `root`, read and
 * written from this computer without chroot. Two dangers are closed here:
 * - **Links in the image point at this computer.** An image's `/etc/x → /y`
 *   means the image's `/y`, not ours. Directories on the way are resolved
 *   as the board would (absolute targets start again at `root`, `..` stops
 *   at it, 40 hops at most), so no path leaves `root`; the parent found is
 *   checked once more with `realpath`. A file's own name is never followed:
 *   reads open it with O_NOFOLLOW and a link there is refused, writes
 *   replace the link itself (rename), never what it points at.
 * - **A crash halfway.** Every file is written beside itself, flushed, then
 *   renamed over the old one, so `etc/passwd` is the old one or the new
 *   one, never half of each.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, lchown, lstat, mkdir, open, readdir, readlink, realpath, rename, rm, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join, posix, sep } from 'node:path';
import { WorkbenchFailure } from '../shared/errors.ts';

export interface Ownership {
  mode: number;
  uid: number;
  gid: number;
}

export const rootOwned = (mode: number): Ownership => ({ mode, uid: 0, gid: 0 });
const maxLinkHops = 40;

export function rootfsFailure(relative: string, why: string): WorkbenchFailure {
  return new WorkbenchFailure('forbidden', `The workbench will not change ${relative} in the image: ${why}.`, relative);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class RootfsFiles {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** `rootDir` must be a directory holding a real `etc/passwd`: the one file every Linux root has. */
  static async open(rootDir: string): Promise<RootfsFiles> {
    const notRootfs = (detail: string): WorkbenchFailure =>
      new WorkbenchFailure('invalid-request', `${rootDir} does not look like a Jetson root filesystem (it has no etc/passwd).`, detail);
    const root = await realpath(rootDir).catch((error: unknown) => {
      throw notRootfs(String(error));
    });
    const passwd = await lstat(join(root, 'etc', 'passwd')).catch(() => null);
    if (passwd === null || !passwd.isFile()) throw notRootfs(`${root}/etc/passwd: ${passwd === null ? 'missing' : 'not a regular file'}`);
    return new RootfsFiles(root);
  }

  /** `lstat` of the entry itself (a link is not followed), or null when it is not there. */
  async entry(relative: string): Promise<Stats | null> {
    const parent = await this.#directory(dirname(relative), 'existing');
    if (parent === null) return null;
    return lstat(join(parent, basename(relative))).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
  }

  /** Follows links the way the board would (inside the image) and says whether something is there. */
  async exists(relative: string, hops = 0): Promise<boolean> {
    const entry = await this.entry(relative).catch(() => null);
    if (entry === null || !entry.isSymbolicLink()) return entry !== null;
    if (hops >= maxLinkHops) return false;
    const target = await this.readLink(relative);
    return this.exists(target.startsWith('/') ? target : posix.join(dirname(relative), target), hops + 1);
  }

  async readLink(relative: string): Promise<string> {
    const parent = await this.#directory(dirname(relative), 'existing');
    if (parent === null) throw rootfsFailure(relative, 'it is not there');
    return readlink(join(parent, basename(relative)));
  }

  /** The file's text, or null when it is missing; a link or a non-file is refused. */
  async read(relative: string): Promise<{ text: string; owner: Ownership } | null> {
    const parent = await this.#directory(dirname(relative), 'existing');
    if (parent === null) return null;
    const path = join(parent, basename(relative));
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      if (isMissing(error)) return null;
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
        throw rootfsFailure(relative, `it is a link (to ${await readlink(path)}), and a link can point at this computer's own files`);
      }
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw rootfsFailure(relative, 'it is not a regular file');
      return { text: await handle.readFile('utf8'), owner: { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid } };
    } finally {
      await handle.close();
    }
  }

  /** Replaces (or creates) the file in one rename; missing parent directories are made root-owned 0755. */
  async write(relative: string, content: string | Buffer, owner: Ownership): Promise<void> {
    const parent = await this.#parentForWriting(relative);
    const name = basename(relative);
    const existing = await lstat(join(parent, name)).catch(() => null);
    if (existing?.isDirectory()) throw rootfsFailure(relative, 'a directory has that name');
    const temporary = join(parent, `.${name}.jwb-${randomBytes(6).toString('hex')}`);
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      await handle.chown(owner.uid, owner.gid);
      // After chown: it clears set-id bits, and the umask must not decide a mode.
      await handle.chmod(owner.mode);
      await handle.writeFile(content);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await this.#commit(temporary, join(parent, name));
  }

  /** Makes (or replaces) the link `relative → target`, where `target` means a path in the image. */
  async link(relative: string, target: string): Promise<void> {
    const parent = await this.#parentForWriting(relative);
    const name = basename(relative);
    const temporary = join(parent, `.${name}.jwb-${randomBytes(6).toString('hex')}`);
    await symlink(target, temporary);
    await this.#commit(temporary, join(parent, name));
  }

  async remove(relative: string): Promise<void> {
    const parent = await this.#directory(dirname(relative), 'existing');
    if (parent !== null) await unlink(join(parent, basename(relative)));
  }

  /** A directory that must not exist yet (a new user's home). */
  async makeDirectory(relative: string, owner: Ownership): Promise<void> {
    const parent = await this.#parentForWriting(relative);
    const path = join(parent, basename(relative));
    await mkdir(path, { mode: 0o700 });
    await lchown(path, owner.uid, owner.gid);
    await chmod(path, owner.mode);
  }

  /**
   * Copies `from` (a directory in the image, `etc/skel`) into the existing
   * directory `to`, everything owned by `owner`, as `useradd -m` does. Links
   * are copied as links; devices and sockets are left out.
   */
  async copyTree(from: string, to: string, owner: Pick<Ownership, 'uid' | 'gid'>): Promise<void> {
    const source = await this.#directory(from, 'existing');
    const target = await this.#directory(to, 'existing');
    if (source === null || target === null) return;
    await copyDirectory(source, target, owner);
  }

  /**
   * The host path of the directory `relative` names in the image, resolved as
   * the board would. `create` makes what is missing, but only on a path no
   * link has redirected: a link to somewhere the image lacks is refused.
   */
  async #directory(relative: string, how: 'existing' | 'create'): Promise<string | null> {
    const done: string[] = [];
    const queue = relative.split('/');
    let hops = 0;
    for (let part = queue.shift(); part !== undefined; part = queue.shift()) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        done.pop();
        continue;
      }
      const path = join(this.root, ...done, part);
      const stat = await lstat(path).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (stat === null) {
        if (how === 'existing') return null;
        if (hops > 0)
          throw rootfsFailure(relative, `a link on the way leads to ${posix.join('/', ...done, part)}, which the image does not have`);
        await mkdir(path, { mode: 0o755 });
        await chmod(path, 0o755);
      } else if (stat.isSymbolicLink()) {
        hops += 1;
        if (hops > maxLinkHops) throw rootfsFailure(relative, 'its links go round in a circle');
        const target = await readlink(path);
        if (target.startsWith('/')) done.length = 0;
        queue.unshift(...target.split('/'));
        continue;
      } else if (!stat.isDirectory()) {
        throw rootfsFailure(relative, `${posix.join(...done, part)} is not a directory`);
      }
      done.push(part);
    }
    const path = join(this.root, ...done);
    // Belt and braces: what was resolved by hand is where the kernel says it is, inside the image.
    const real = await realpath(path);
    if (real !== this.root && !real.startsWith(`${this.root}${sep}`)) throw rootfsFailure(relative, `it leads out of the image (${real})`);
    return real;
  }

  /** The directory a new file goes in, made when missing. */
  async #parentForWriting(relative: string): Promise<string> {
    const parent = await this.#directory(dirname(relative), 'create');
    if (parent === null) throw rootfsFailure(relative, 'its directory could not be made');
    return parent;
  }

  async #commit(temporary: string, path: string): Promise<void> {
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    // The rename itself must reach the disk before the card is pulled.
    const directory = await open(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY);
    await directory.sync().finally(() => directory.close());
  }
}

async function copyDirectory(source: string, target: string, owner: Pick<Ownership, 'uid' | 'gid'>): Promise<void> {
  for (const name of await readdir(source)) {
    const from = join(source, name);
    const to = join(target, name);
    const stat = await lstat(from);
    if (stat.isDirectory()) {
      await mkdir(to, { mode: 0o700 });
      await lchown(to, owner.uid, owner.gid);
      await chmod(to, stat.mode & 0o777);
      await copyDirectory(from, to, owner);
    } else if (stat.isSymbolicLink()) {
      await symlink(await readlink(from), to);
      await lchown(to, owner.uid, owner.gid);
    } else if (stat.isFile()) {
      await copyFile(from, to, { mode: stat.mode & 0o777, ...owner });
    }
  }
}

async function copyFile(from: string, to: string, owner: Ownership): Promise<void> {
  const input = await open(from, constants.O_RDONLY | constants.O_NOFOLLOW);
  const content = await input.readFile().finally(() => input.close());
  const output = await open(to, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await output.chown(owner.uid, owner.gid);
    await output.chmod(owner.mode);
    await output.writeFile(content);
  } finally {
    await output.close();
  }
}
