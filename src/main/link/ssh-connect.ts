import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AuthenticationType, AuthHandlerMiddleware, Client as ClientType, NextAuthHandler } from 'ssh2';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { hostKeyChangedFailure, type ConfirmNewHost, type HostKeyVerdict, type KnownHosts } from './known-hosts.ts';
import { connectFailure, type Endpoint } from './ssh-errors.ts';

/**
 * Opens one authenticated ssh2 connection with host-key trust on first use.
 *
 * An unknown key never waits inside the handshake for the person to decide:
 * ssh2's readyTimeout would run out while they read the fingerprint. Instead
 * the first handshake is refused, the person is asked with no clock running,
 * and a second handshake must present exactly the confirmed key.
 */
export interface SshTarget {
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** Kept in memory only, tried last. */
  password?: string;
  /** Private key files, tried in order after the agent (unreadable or encrypted files are skipped). */
  identityFiles?: readonly string[];
  /** Private keys already in memory (OpenSSH/PEM text). */
  privateKeys?: ReadonlyArray<string | Buffer>;
  /** The agent socket; default `SSH_AUTH_SOCK`; `null` turns the agent off. */
  agentSocket?: string | null;
}

export interface ConnectSettings {
  knownHosts: KnownHosts;
  confirmNewHost?: ConfirmNewHost | undefined;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  env: NodeJS.ProcessEnv;
}

type AuthAttempt =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: string | Buffer }
  | { type: 'password'; username: string; password: string }
  | { type: 'keyboard-interactive'; username: string; prompt: (...args: unknown[]) => void };

export function endpointOf(target: SshTarget): Endpoint {
  return { host: target.host, port: target.port ?? 22, username: target.username };
}

export async function openClient(target: SshTarget, settings: ConnectSettings): Promise<ClientType> {
  const endpoint = endpointOf(target);
  const attempts = await authAttempts(target, settings.env);
  if (attempts.length === 0) {
    throw new WorkbenchFailure(
      'auth-failed',
      `There is no password or key to log in to ${endpoint.host}:${endpoint.port} with.`,
      endpoint.host,
    );
  }
  const first = await handshake(endpoint, attempts, settings);
  if ('client' in first) return first.client;
  await confirmFirstUse(endpoint, first.verdict, settings);
  const second = await handshake(endpoint, attempts, settings);
  if ('client' in second) return second.client;
  // The key changed between the two handshakes: the stored one wins.
  throw new WorkbenchFailure(
    'host-key-changed',
    `The board at ${endpoint.host}:${endpoint.port} changed its identity while connecting.`,
    second.verdict.fingerprint,
  );
}

async function confirmFirstUse(
  endpoint: Endpoint,
  verdict: Extract<HostKeyVerdict, { kind: 'unknown' }>,
  settings: ConnectSettings,
): Promise<void> {
  const request = { host: endpoint.host, port: endpoint.port, keyType: verdict.keyType, fingerprint: verdict.fingerprint };
  if (settings.confirmNewHost === undefined) {
    throw new WorkbenchFailure(
      'forbidden',
      `The board at ${endpoint.host}:${endpoint.port} has not been trusted yet; confirm its fingerprint first.`,
      `${verdict.keyType} ${verdict.fingerprint}`,
    );
  }
  if (!(await settings.confirmNewHost(request))) {
    throw new WorkbenchFailure(
      'cancelled',
      `You chose not to trust the board at ${endpoint.host}:${endpoint.port}.`,
      `${verdict.keyType} ${verdict.fingerprint}`,
    );
  }
  await settings.knownHosts.remember(endpoint.host, endpoint.port, verdict.keyType, verdict.fingerprint);
}

type HandshakeOutcome = { client: ClientType } | { verdict: Extract<HostKeyVerdict, { kind: 'unknown' }> };

function handshake(endpoint: Endpoint, attempts: readonly AuthAttempt[], settings: ConnectSettings): Promise<HandshakeOutcome> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let verdict: HostKeyVerdict | undefined;
    let settled = false;
    const settle = (outcome: { value: HandshakeOutcome } | { failure: WorkbenchFailure }): void => {
      if (settled) return;
      settled = true;
      client.removeAllListeners('ready');
      if ('failure' in outcome) {
        client.end();
        reject(outcome.failure);
      } else resolve(outcome.value);
    };
    const refusedByKey = (): boolean => {
      if (verdict?.kind === 'changed') {
        settle({ failure: hostKeyChangedFailure(endpoint.host, endpoint.port, verdict.known, verdict.fingerprint) });
        return true;
      }
      if (verdict?.kind === 'unknown') {
        client.end();
        settle({ value: { verdict } });
        return true;
      }
      return false;
    };
    client.on('ready', () => settle({ value: { client } }));
    client.on('error', (error) => {
      if (!refusedByKey()) settle({ failure: connectFailure(error, endpoint, settings.readyTimeoutMs) });
    });
    client.on('close', () => {
      if (!refusedByKey())
        settle({ failure: connectFailure(new Error('connection closed during the handshake'), endpoint, settings.readyTimeoutMs) });
    });
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username ?? '',
      readyTimeout: settings.readyTimeoutMs,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: settings.keepaliveCountMax,
      // Always verify: without hostVerifier ssh2 accepts any key (STYLE.md G.2).
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        settings.knownHosts.check(endpoint.host, endpoint.port, key).then(
          (result) => {
            verdict = result;
            verify(result.kind === 'trusted');
          },
          (error: unknown) => {
            // The trust file itself failed (damaged, unreadable): report that, not a vague "denied".
            if (error instanceof WorkbenchFailure) settle({ failure: error });
            verify(false);
          },
        );
      },
      authHandler: authHandler(attempts),
    });
  });
}

/** Walks our ordered attempts, skipping methods the server no longer offers. */
function authHandler(attempts: readonly AuthAttempt[]): AuthHandlerMiddleware {
  let next = 0;
  return (methodsLeft: AuthenticationType[] | null, _partialSuccess: boolean | null, callback: NextAuthHandler) => {
    while (next < attempts.length) {
      const attempt = attempts[next++];
      if (attempt === undefined) break;
      const method: AuthenticationType = attempt.type === 'agent' ? 'publickey' : attempt.type;
      if (methodsLeft === null || methodsLeft.includes(method)) {
        callback(attempt as Parameters<NextAuthHandler>[0]);
        return;
      }
    }
    callback(false as unknown as Parameters<NextAuthHandler>[0]);
  };
}

/** Agent, then key files, then the password (and keyboard-interactive, for sshds that only offer that). */
async function authAttempts(target: SshTarget, env: NodeJS.ProcessEnv): Promise<AuthAttempt[]> {
  const username = target.username;
  const attempts: AuthAttempt[] = [];
  const agent = target.agentSocket === undefined ? env.SSH_AUTH_SOCK : target.agentSocket;
  if (agent) attempts.push({ type: 'agent', username, agent });
  for (const key of target.privateKeys ?? []) if (isUsablePrivateKey(key)) attempts.push({ type: 'publickey', username, key });
  for (const path of target.identityFiles ?? []) {
    const key = await readFile(path).catch(() => undefined);
    if (key !== undefined && isUsablePrivateKey(key)) attempts.push({ type: 'publickey', username, key });
  }
  const password = target.password;
  if (password !== undefined) {
    attempts.push({ type: 'password', username, password });
    attempts.push({
      type: 'keyboard-interactive',
      username,
      prompt: (...args: unknown[]) => {
        const prompts = args[3] as unknown[];
        const finish = args[4] as (answers: string[]) => void;
        finish(prompts.map(() => password));
      },
    });
  }
  return attempts;
}

/** Encrypted keys need a passphrase we do not ask for yet; skipping them beats failing the whole login. */
function isUsablePrivateKey(key: string | Buffer): boolean {
  const parsed = ssh2.utils.parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return first !== undefined && !(first instanceof Error) && first.isPrivateKey();
}
