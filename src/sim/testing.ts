import ssh2, { type Client as ClientType, type ConnectConfig } from 'ssh2';
import type { BoardDescriptor } from './fleet.ts';

const { Client } = ssh2;

/** Helpers for tests that talk to simulated boards with a real ssh2 client. */
export function connect(board: BoardDescriptor, extra: Partial<ConnectConfig> = {}): Promise<ClientType> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: board.host,
      port: board.port,
      username: board.user,
      password: board.password,
      readyTimeout: 10_000,
      hostVerifier: () => true,
      ...extra,
    });
  });
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
}

export function exec(client: ClientType, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      const result: ExecResult = { stdout: '', stderr: '', code: null, signal: null };
      channel.on('data', (data: Buffer) => (result.stdout += data.toString()));
      channel.stderr.on('data', (data: Buffer) => (result.stderr += data.toString()));
      channel.on('exit', (code: number | null, signal?: string) => {
        result.code = code;
        result.signal = signal ?? null;
      });
      channel.on('close', () => resolve(result));
      if (stdin !== undefined) channel.end(stdin);
    });
  });
}
