import { connect } from 'node:net';
import ssh2 from 'ssh2';
import { fingerprintOf, keyTypeOf } from '../link/known-hosts.ts';

/**
 * The two network probes of the SSH scan: a TCP connect that reads the
 * server's identification line (RFC 4253 §4.2, `SSH-2.0-…`), and a handshake
 * that stops right after the server shows its host key, for de-duplication.
 * Neither logs in.
 */
export function readSshBanner(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  if (signal?.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let buffered = '';
    let result: string | undefined;
    let finished = false;
    const socket = connect({ host, port });
    // Resolves only on 'close' (below): a stopped scan leaves no socket open behind it.
    const finish = (banner: string | undefined): void => {
      if (finished) return;
      finished = true;
      result = banner;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    const onAbort = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      // Servers may send other lines before the identification line (RFC 4253 §4.2).
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (line.startsWith('SSH-')) return finish(line.replace(/\r$/, '').slice(0, 255));
      }
      if (buffered.length > 4096) finish(undefined);
    });
    socket.on('error', () => finish(undefined));
    socket.on('close', () => {
      finish(result);
      resolve(result);
    });
  });
}

export interface HostKeyInfo {
  fingerprint: string;
  keyType: string;
}

/** Runs the key exchange until the host key arrives, records it, and refuses to go on. */
export function fetchHostKey(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<HostKeyInfo | undefined> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let key: HostKeyInfo | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', finish);
      client.removeAllListeners('ready');
      client.end();
    };
    if (signal?.aborted) return resolve(undefined);
    signal?.addEventListener('abort', finish, { once: true });
    client.on('error', finish);
    // Resolves on close, so no socket outlives the probe.
    client.on('close', () => {
      finish();
      resolve(key);
    });
    client.on('ready', finish);
    client.connect({
      host,
      port,
      username: 'jwb-probe',
      readyTimeout: timeoutMs,
      hostVerifier: (hostKey: Buffer) => {
        key = { fingerprint: fingerprintOf(hostKey), keyType: keyTypeOf(hostKey) };
        return false;
      },
    });
  });
}
