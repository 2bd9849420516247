import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WorkbenchFailure } from '../../shared/errors.ts';

/**
 * Trust on first use for board host keys, kept in our own JSON file in the
 * data folder (not ~/.ssh/known_hosts: a re-flashed lab board changes its key
 * often, and we want to store when we first saw it and explain a change in
 * words, not in OpenSSH's wall of @ signs).
 */
export interface KnownHost {
  keyType: string;
  /** `SHA256:` + unpadded base64, exactly as `ssh-keygen -lf` and `ssh` print it. */
  fingerprint: string;
  /** ISO 8601 time the key was first trusted. */
  firstSeen: string;
}

export interface NewHostRequest {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

/** Asks the person at the keyboard whether to trust a board never seen before. */
export type ConfirmNewHost = (request: NewHostRequest) => Promise<boolean>;

export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown'; keyType: string; fingerprint: string }
  | { kind: 'changed'; known: KnownHost; keyType: string; fingerprint: string };

interface KnownHostsFile {
  version: 1;
  hosts: Record<string, KnownHost>;
}

/** OpenSSH's fingerprint of a raw host key blob (the wire format ssh2 hands to hostVerifier). */
export function fingerprintOf(hostKey: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/** The key's algorithm name (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …) read from the blob itself. */
export function keyTypeOf(hostKey: Buffer): string {
  // RFC 4253 §6.6: the blob starts with the algorithm name as an SSH string (uint32 length + bytes).
  if (hostKey.length < 4) return 'unknown';
  const length = hostKey.readUInt32BE(0);
  if (length === 0 || length > 64 || hostKey.length < 4 + length) return 'unknown';
  return hostKey.subarray(4, 4 + length).toString('latin1');
}

export function hostKeyChangedFailure(host: string, port: number, known: KnownHost, fingerprint: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'host-key-changed',
    `The board at ${host}:${port} shows a different identity (host key) than the one trusted on ${known.firstSeen.slice(0, 10)}. ` +
      'This is expected after the board was re-flashed or reinstalled; otherwise someone may be in between. ' +
      'The workbench did not connect. If you re-flashed this board, choose "Trust the new key".',
    `host ${host}:${port}; trusted ${known.keyType} ${known.fingerprint}; offered ${fingerprint}`,
  );
}

export class KnownHosts {
  readonly #path: string;
  #cache: KnownHostsFile | undefined;
  /** Writes are serialized so two connections finishing together cannot lose an entry. */
  #writing: Promise<unknown> = Promise.resolve();

  /** `path`: the JSON file, normally `<data folder>/known-hosts.json`. */
  constructor(path: string) {
    this.#path = path;
  }

  async get(host: string, port: number): Promise<KnownHost | undefined> {
    const file = await this.#load();
    return file.hosts[hostKeyId(host, port)];
  }

  async list(): Promise<Array<{ host: string; port: number } & KnownHost>> {
    const file = await this.#load();
    return Object.entries(file.hosts).map(([id, entry]) => ({ ...splitHostKeyId(id), ...entry }));
  }

  async check(host: string, port: number, hostKey: Buffer): Promise<HostKeyVerdict> {
    const fingerprint = fingerprintOf(hostKey);
    const keyType = keyTypeOf(hostKey);
    const known = await this.get(host, port);
    if (known === undefined) return { kind: 'unknown', keyType, fingerprint };
    if (known.fingerprint === fingerprint) return { kind: 'trusted' };
    return { kind: 'changed', known, keyType, fingerprint };
  }

  /** Records a key seen for the first time (after the person confirmed it). Refuses to overwrite a different key. */
  async remember(host: string, port: number, keyType: string, fingerprint: string): Promise<void> {
    await this.#update((hosts) => {
      const id = hostKeyId(host, port);
      const known = hosts[id];
      if (known !== undefined && known.fingerprint !== fingerprint) throw hostKeyChangedFailure(host, port, known, fingerprint);
      hosts[id] = known ?? { keyType, fingerprint, firstSeen: new Date().toISOString() };
    });
  }

  /**
   * The explicit "I re-flashed this board, trust the new key" action: replaces
   * whatever was trusted for host:port by the given fingerprint (the one shown
   * in the host-key-changed error), and only that fingerprint.
   */
  async trustNewKey(host: string, port: number, fingerprint: string, keyType = 'unknown'): Promise<void> {
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
      throw new WorkbenchFailure('invalid-request', 'That does not look like a host key fingerprint.', fingerprint);
    }
    await this.#update((hosts) => {
      const id = hostKeyId(host, port);
      const previous = hosts[id];
      const type = keyType === 'unknown' && previous !== undefined ? previous.keyType : keyType;
      hosts[id] = { keyType: type, fingerprint, firstSeen: new Date().toISOString() };
    });
  }

  async forget(host: string, port: number): Promise<void> {
    await this.#update((hosts) => {
      delete hosts[hostKeyId(host, port)];
    });
  }

  async #load(): Promise<KnownHostsFile> {
    if (this.#cache !== undefined) return this.#cache;
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.#cache = { version: 1, hosts: {} };
      return this.#cache;
    }
    this.#cache = parseKnownHostsFile(text, this.#path);
    return this.#cache;
  }

  async #update(change: (hosts: Record<string, KnownHost>) => void): Promise<void> {
    const run = this.#writing.then(async () => {
      const file = await this.#load();
      const hosts = { ...file.hosts };
      change(hosts);
      const next: KnownHostsFile = { version: 1, hosts };
      await mkdir(dirname(this.#path), { recursive: true });
      // Write then rename: a crash mid-write must not leave a half file that loses every trusted board.
      const temporary = `${this.#path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.#path);
      this.#cache = next;
    });
    this.#writing = run.catch(() => undefined);
    await run;
  }
}

function hostKeyId(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

function splitHostKeyId(id: string): { host: string; port: number } {
  const colon = id.lastIndexOf(':');
  return { host: id.slice(0, colon), port: Number(id.slice(colon + 1)) };
}

function parseKnownHostsFile(text: string, path: string): KnownHostsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WorkbenchFailure('internal', 'The list of trusted boards is damaged.', `${path}: ${String(error)}`);
  }
  if (typeof data !== 'object' || data === null || !('hosts' in data) || typeof data.hosts !== 'object' || data.hosts === null) {
    throw new WorkbenchFailure('internal', 'The list of trusted boards is damaged.', path);
  }
  const hosts: Record<string, KnownHost> = {};
  for (const [id, value] of Object.entries(data.hosts as Record<string, unknown>)) {
    if (isKnownHost(value)) hosts[id] = { keyType: value.keyType, fingerprint: value.fingerprint, firstSeen: value.firstSeen };
  }
  return { version: 1, hosts };
}

function isKnownHost(value: unknown): value is KnownHost {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.keyType === 'string' && typeof entry.fingerprint === 'string' && typeof entry.firstSeen === 'string';
}
