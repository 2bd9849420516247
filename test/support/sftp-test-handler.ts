import { closeSync, fstatSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import ssh2, { type Attributes, type SFTPWrapper } from 'ssh2';

const { STATUS_CODE } = ssh2.utils.sftp;

export interface SftpSwitches {
  /** Flip one byte of every write at offset 0: the link's checksum must notice. */
  corruptUploads: boolean;
  /** Refuse every write with a bare "Failure", as OpenSSH's sftp-server reports any write error. */
  failWrites: boolean;
  /** A full disk: writes fail as above, and the shell's `df` reports 0 bytes available. */
  diskFull: boolean;
}

/**
 * A small SFTP server over a folder (the test user's home): the requests
 * ssh2's client sends for open/read/write/close/stat. Paths resolve against
 * `home` like OpenSSH resolves them against the login's home folder.
 */
export function serveSftp(sftp: SFTPWrapper, home: string, switches: SftpSwitches): void {
  const handles = new Map<number, number>();
  let nextHandle = 1;
  const descriptorOf = (handle: Buffer): number | undefined => (handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined);
  const fail = (requestId: number, error: unknown): void => {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE;
    sftp.status(requestId, code, (error as Error).message);
  };

  sftp.on('OPEN', (requestId, filename, flags) => {
    const mode = ssh2.utils.sftp.flagsToString(flags);
    if (mode === null) return sftp.status(requestId, STATUS_CODE.OP_UNSUPPORTED);
    try {
      const descriptor = openSync(resolve(home, filename), mode);
      const id = nextHandle++;
      handles.set(id, descriptor);
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(id, 0);
      sftp.handle(requestId, handle);
    } catch (error) {
      fail(requestId, error);
    }
  });
  sftp.on('WRITE', (requestId, handle, offset, data) => {
    const descriptor = descriptorOf(handle);
    if (descriptor === undefined) return sftp.status(requestId, STATUS_CODE.FAILURE);
    if (switches.failWrites || switches.diskFull) return sftp.status(requestId, STATUS_CODE.FAILURE, 'Failure');
    const bytes = Buffer.from(data);
    if (switches.corruptUploads && offset === 0 && bytes.length > 0) bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    writeSync(descriptor, bytes, 0, bytes.length, offset);
    sftp.status(requestId, STATUS_CODE.OK);
  });
  sftp.on('READ', (requestId, handle, offset, length) => {
    const descriptor = descriptorOf(handle);
    if (descriptor === undefined) return sftp.status(requestId, STATUS_CODE.FAILURE);
    const buffer = Buffer.alloc(length);
    const read = readSync(descriptor, buffer, 0, length, offset);
    if (read === 0) sftp.status(requestId, STATUS_CODE.EOF);
    else sftp.data(requestId, buffer.subarray(0, read));
  });
  sftp.on('CLOSE', (requestId, handle) => {
    const descriptor = descriptorOf(handle);
    if (descriptor === undefined) return sftp.status(requestId, STATUS_CODE.FAILURE);
    closeSync(descriptor);
    handles.delete(handle.readUInt32BE(0));
    sftp.status(requestId, STATUS_CODE.OK);
  });
  sftp.on('FSTAT', (requestId, handle) => {
    const descriptor = descriptorOf(handle);
    if (descriptor === undefined) return sftp.status(requestId, STATUS_CODE.FAILURE);
    sftp.attrs(requestId, attributesOf(fstatSync(descriptor)));
  });
  const statPath = (requestId: number, path: string): void => {
    try {
      sftp.attrs(requestId, attributesOf(statSync(resolve(home, path))));
    } catch (error) {
      fail(requestId, error);
    }
  };
  sftp.on('STAT', statPath);
  sftp.on('LSTAT', statPath);
  sftp.on('REALPATH', (requestId, path) => {
    sftp.name(requestId, [{ filename: resolve(home, path), longname: path, attrs: {} as Attributes }]);
  });
  sftp.on('close', () => {
    for (const descriptor of handles.values()) closeSync(descriptor);
    handles.clear();
  });
}

function attributesOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}
