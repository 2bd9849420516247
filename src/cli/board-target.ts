import { UsageError } from './command.ts';

/** `user@host[:port]` (IPv6 as `user@[::1]:22`) → its parts; port 22 by default. */
export function parseBoardTarget(text: string): { username: string; host: string; port: number } {
  const match = /^([^@\s]+)@(\[[0-9a-fA-F:]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) throw new UsageError(`"${text}" is not user@host[:port]`);
  const port = match[3] === undefined ? 22 : Number(match[3]);
  if (port < 1 || port > 65535) throw new UsageError(`${match[3]} is not a TCP port number`);
  return { username: match[1], host: match[2].replace(/^\[(.*)\]$/, '$1'), port };
}

/** `--password-env VAR`: the password comes from the environment, never from the command line (shell history, ps). */
export function passwordFromEnv(name: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  if (value === undefined) throw new UsageError(`--password-env ${name}: the variable ${name} is not set`);
  return value;
}
