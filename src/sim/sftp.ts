import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmdirSync,
  statSync,
  lstatSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import ssh2, { type SFTPWrapper } from 'ssh2';
import type { SimBoard } from './board.ts';
import { boardPath, hostPath } from './sandbox-path.ts';

const { utils } = ssh2;

const { STATUS_CODE } = utils.sftp;

type Handle = { kind: 'file'; fd: number } | { kind: 'dir'; path: string; entries: string[] | null };

function attributes(stats: Stats): { mode: number; uid: number; gid: number; size: number; atime: number; mtime: number } {
  return {
    mode: stats.mode,
    uid: 1000,
    gid: 1000,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

function statusFor(error: unknown): number {
  const code = error && typeof error === 'object' && 'code' in error ? error.code : '';
  if (code === 'ENOENT') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

/**
 * The sftp subsystem over the board's sandbox folder: the board's `/` is
 * `<sandbox>/fs`; relative paths start at the user's home. Every path goes
 * through the sandbox resolver, so `..` and symlinks cannot leave it.
 */
export function serveSftp(sftp: SFTPWrapper, board: SimBoard, home: string): void {
  const handles = new Map<number, Handle>();
  let nextHandle = 1;
  const resolve = (path: string): string => hostPath(board.fsRoot, home, path);
  const newHandle = (handle: Handle): Buffer => {
    const id = nextHandle++;
    handles.set(id, handle);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const getHandle = (buffer: Buffer): Handle | undefined => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
  const attempt = (reqid: number, action: () => void): void => {
    try {
      action();
    } catch (error) {
      sftp.status(reqid, statusFor(error));
    }
  };

  sftp.on('OPEN', (reqid, filename, flags) =>
    attempt(reqid, () => {
      const mode = utils.sftp.flagsToString(flags) ?? 'r';
      sftp.handle(reqid, newHandle({ kind: 'file', fd: openSync(resolve(filename), mode, 0o644) }));
    }),
  );
  sftp.on('READ', (reqid, handleBuffer, offset, length) =>
    attempt(reqid, () => {
      const handle = getHandle(handleBuffer);
      if (handle?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      const buffer = Buffer.alloc(length);
      const read = readSync(handle.fd, buffer, 0, length, offset);
      if (read === 0) sftp.status(reqid, STATUS_CODE.EOF);
      else sftp.data(reqid, buffer.subarray(0, read));
    }),
  );
  sftp.on('WRITE', (reqid, handleBuffer, offset, data) =>
    attempt(reqid, () => {
      const handle = getHandle(handleBuffer);
      if (handle?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      writeSync(handle.fd, data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('FSTAT', (reqid, handleBuffer) =>
    attempt(reqid, () => {
      const handle = getHandle(handleBuffer);
      if (handle?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      sftp.attrs(reqid, attributes(fstatSync(handle.fd)));
    }),
  );
  sftp.on('CLOSE', (reqid, handleBuffer) =>
    attempt(reqid, () => {
      const handle = getHandle(handleBuffer);
      if (!handle) return void sftp.status(reqid, STATUS_CODE.FAILURE);
      if (handle.kind === 'file') closeSync(handle.fd);
      handles.delete(handleBuffer.readUInt32BE(0));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('STAT', (reqid, path) => attempt(reqid, () => sftp.attrs(reqid, attributes(statSync(resolve(path))))));
  sftp.on('LSTAT', (reqid, path) => attempt(reqid, () => sftp.attrs(reqid, attributes(lstatSync(resolve(path))))));
  sftp.on('OPENDIR', (reqid, path) =>
    attempt(reqid, () => {
      const target = resolve(path);
      if (!statSync(target).isDirectory()) return void sftp.status(reqid, STATUS_CODE.FAILURE);
      sftp.handle(reqid, newHandle({ kind: 'dir', path: target, entries: null }));
    }),
  );
  sftp.on('READDIR', (reqid, handleBuffer) =>
    attempt(reqid, () => {
      const handle = getHandle(handleBuffer);
      if (handle?.kind !== 'dir') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      if (handle.entries !== null) return void sftp.status(reqid, STATUS_CODE.EOF);
      handle.entries = readdirSync(handle.path);
      const names = handle.entries.map((filename) => {
        const stats = lstatSync(`${handle.path}/${filename}`);
        return {
          filename,
          longname: `${stats.isDirectory() ? 'd' : '-'}rw-r--r-- 1 ${board.user} ${board.user} ${stats.size} ${filename}`,
          attrs: attributes(stats),
        };
      });
      if (names.length === 0) sftp.status(reqid, STATUS_CODE.EOF);
      else sftp.name(reqid, names);
    }),
  );
  sftp.on('MKDIR', (reqid, path) =>
    attempt(reqid, () => {
      mkdirSync(resolve(path));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RMDIR', (reqid, path) =>
    attempt(reqid, () => {
      rmdirSync(resolve(path));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('REMOVE', (reqid, path) =>
    attempt(reqid, () => {
      unlinkSync(resolve(path));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    attempt(reqid, () => {
      renameSync(resolve(from), resolve(to));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('REALPATH', (reqid, path) =>
    attempt(reqid, () => {
      const absolute = boardPath(home, path === '' ? '.' : path);
      sftp.name(reqid, [
        { filename: absolute, longname: absolute, attrs: { mode: 0o40755, uid: 1000, gid: 1000, size: 0, atime: 0, mtime: 0 } },
      ]);
    }),
  );
  sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('close', () => {
    for (const handle of handles.values()) if (handle.kind === 'file') closeSync(handle.fd);
    handles.clear();
  });
}
