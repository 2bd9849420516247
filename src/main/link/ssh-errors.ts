import { WorkbenchFailure } from '../../shared/errors.ts';

/**
 * ssh2 and the socket report failures as bare `Error`s with a `level`
 * (`client-authentication`, `client-timeout`, `client-socket`, …) or an errno
 * `code`. A student needs one sentence naming the board and what to check, so
 * every connection failure goes through here.
 */
interface LowLevelError extends Error {
  level?: string;
  code?: string | number;
}

export interface Endpoint {
  host: string;
  port: number;
  username?: string;
}

function where(endpoint: Endpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

export function connectFailure(error: unknown, endpoint: Endpoint, readyTimeoutMs: number): WorkbenchFailure {
  if (error instanceof WorkbenchFailure) return error;
  const low = (error instanceof Error ? error : new Error(String(error))) as LowLevelError;
  const detail = `${where(endpoint)}: ${low.message}${low.code === undefined ? '' : ` (${String(low.code)})`}`;
  if (low.level === 'client-authentication') return authFailure(endpoint, detail);
  if (low.level === 'client-timeout' || low.code === 'ETIMEDOUT') {
    return new WorkbenchFailure(
      'timeout',
      `The board at ${where(endpoint)} did not answer within ${Math.round(readyTimeoutMs / 1000)} seconds. Is it switched on and on this network?`,
      detail,
    );
  }
  if (low.code === 'ECONNREFUSED') {
    return new WorkbenchFailure(
      'unavailable',
      `Nothing accepts SSH connections at ${where(endpoint)}: the board may still be booting, SSH may be off, or the port is wrong.`,
      detail,
    );
  }
  if (low.code === 'ENOTFOUND' || low.code === 'EAI_AGAIN' || low.level === 'client-dns') {
    return new WorkbenchFailure('unavailable', `The name "${endpoint.host}" could not be found on this network.`, detail);
  }
  if (low.code === 'EHOSTUNREACH' || low.code === 'ENETUNREACH' || low.code === 'EHOSTDOWN') {
    return new WorkbenchFailure(
      'unavailable',
      `The board at ${where(endpoint)} cannot be reached from this computer. Check the cable or network.`,
      detail,
    );
  }
  return new WorkbenchFailure('unavailable', `The connection to the board at ${where(endpoint)} failed.`, detail);
}

export function authFailure(endpoint: Endpoint, detail: string): WorkbenchFailure {
  const user = endpoint.username === undefined ? '' : ` as "${endpoint.username}"`;
  return new WorkbenchFailure(
    'auth-failed',
    `The board at ${where(endpoint)} refused the login${user}: the password is wrong, or the workbench key is not installed on it yet.`,
    detail,
  );
}

/** The connection went away while something was running: a reboot, a pulled cable, a crashed sshd. */
export function droppedFailure(endpoint: Endpoint, what = 'the command'): WorkbenchFailure {
  return new WorkbenchFailure(
    'unavailable',
    `The board at ${where(endpoint)} stopped answering while ${what} was running — unplugged or rebooted?`,
    `${where(endpoint)}: connection closed`,
  );
}

export function notConnectedFailure(endpoint: Endpoint): WorkbenchFailure {
  return new WorkbenchFailure('unavailable', `The workbench is not connected to the board at ${where(endpoint)}.`, where(endpoint));
}
