import type { SimBoard } from '../board.ts';
import type { Input } from './input.ts';

/** Where a command writes: an ssh channel, a pipe, a file in the sandbox. Commands never end it. */
export interface Output {
  write(data: string | Buffer): void;
}

/** The pseudo-terminal a session runs on, when it has one. */
export interface Terminal {
  /** `sudo` turns echo off while the password is typed, like a real tty. */
  setEcho(on: boolean): void;
}

/** One login: who, where, and the shell state that lives between command lines. */
export interface ShellSession {
  board: SimBoard;
  user: string;
  /** True inside `sudo` (or when logged in as root). */
  root: boolean;
  /** The working directory, as a board path (`/home/nvidia`). */
  cwd: string;
  env: Record<string, string>;
  lastStatus: number;
  /** Set by `exit`: the session ends with this status. */
  exitStatus: number | null;
  terminal: Terminal | null;
  /** Passwords `sudo` accepted in this session (sudo caches for a while; we cache per session). */
  sudoValidated: boolean;
}

export interface CommandContext {
  argv: string[];
  stdin: Input;
  stdout: Output;
  stderr: Output;
  /** The session environment plus this command's `NAME=value` prefixes. */
  env: Record<string, string>;
  session: ShellSession;
  /** Aborted on Ctrl-C, channel close, an ssh `signal`, a reboot, or a broken pipe downstream. */
  signal: AbortSignal;
}

/** Returns the exit status. Must stop promptly when `signal` aborts. */
export type CommandHandler = (context: CommandContext) => Promise<number>;

export function createSession(board: SimBoard, user: string, terminal: Terminal | null = null): ShellSession {
  const home = user === 'root' ? '/root' : `/home/${user}`;
  return {
    board,
    user,
    root: user === 'root',
    cwd: home,
    env: {
      HOME: home,
      USER: user,
      LOGNAME: user,
      SHELL: '/bin/bash',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/cuda/bin',
      LANG: 'en_US.UTF-8',
    },
    lastStatus: 0,
    exitStatus: null,
    terminal,
    sudoValidated: false,
  };
}

/** Writes `text` and a newline, the way most commands print. */
export function println(output: Output, text = ''): void {
  output.write(`${text}\n`);
}
