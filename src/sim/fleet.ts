import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBoard } from './board.ts';
import type { FaultSettings } from './faults.ts';
import { SerialConsole } from './serial-console.ts';
import { SimSshServer } from './ssh-server.ts';

export interface FleetOptions {
  profile: string;
  count: number;
  /** First address; the next boards take the following ones (127.0.0.2, .3, …). */
  host?: string;
  /** The same port on every address; 0 picks a free port per board. */
  port?: number;
  /** Where the sandboxes live; a temporary folder (removed on dispose) when left out. */
  dataRoot?: string;
  user?: string;
  password?: string;
  firstBoot?: boolean;
  /** Start a serial console (one socat process) per board. Off by default: fleets stay light. */
  serial?: boolean;
  rebootDelayMs?: number;
  faults?: Partial<FaultSettings>;
  tickMs?: number;
}

/** What a client needs to reach one simulated board (`jwb sim --json` prints these). */
export interface BoardDescriptor {
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Profile id, e.g. `orin-nano`. */
  model: string;
  /** `/proc/device-tree/model`. */
  modelName: string;
  /** Host-key fingerprint as OpenSSH prints it (`SHA256:…`). */
  fingerprint: string;
  /** The pseudo-terminal to open with a serial program, or null without a console. */
  serialPath: string | null;
}

export interface RunningBoard {
  board: SimBoard;
  ssh: SimSshServer;
  serial: SerialConsole | null;
  descriptor(): BoardDescriptor;
}

export interface Fleet {
  boards: BoardDescriptor[];
  running: RunningBoard[];
  dispose(): Promise<void>;
}

/** 127.0.0.x + offset; refuses anything outside 127.0.0.0/8 (the sim never leaves loopback). */
export function loopbackAddress(first: string, offset: number): string {
  const parts = first.split('.').map(Number);
  if (parts.length !== 4 || parts[0] !== 127 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`${first} is not a loopback address: simulated boards only listen on 127.0.0.0/8.`);
  }
  const value = ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0) + offset;
  if (value >= 1 << 24 || (value & 0xff) === 255) throw new Error(`Not enough loopback addresses after ${first} for ${offset + 1} boards.`);
  return `127.${(value >> 16) & 0xff}.${(value >> 8) & 0xff}.${value & 0xff}`;
}

/** Starts one board with its ssh server (and serial console when asked). */
export async function startBoard(options: ConstructorParameters<typeof SimBoard>[0] & { serial?: boolean }): Promise<RunningBoard> {
  const board = new SimBoard(options);
  await board.start();
  const ssh = new SimSshServer(board);
  let serial: SerialConsole | null = null;
  try {
    await ssh.listen();
    if (options.serial) {
      serial = new SerialConsole(board);
      await serial.start();
    }
  } catch (error) {
    await ssh.dispose();
    await serial?.dispose();
    board.dispose();
    throw error;
  }
  return {
    board,
    ssh,
    serial,
    descriptor: () => ({
      name: board.options.name,
      host: board.options.host,
      port: ssh.port,
      user: board.user,
      password: board.state.password,
      model: board.profile.id,
      modelName: board.profile.model,
      fingerprint: board.fingerprint,
      serialPath: serial?.path ?? null,
    }),
  };
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const ownsData = options.dataRoot === undefined;
  const dataRoot = options.dataRoot ?? mkdtempSync(join(tmpdir(), 'jwb-sim-'));
  const first = options.host ?? '127.0.0.2';
  const hosts = Array.from({ length: options.count }, (_, index) => loopbackAddress(first, index));
  const settled = await Promise.allSettled(
    hosts.map((host, index) =>
      startBoard({
        name: `${options.profile}-${String(index + 1).padStart(2, '0')}`,
        profile: options.profile,
        dataRoot,
        host,
        port: options.port ?? 2222,
        user: options.user,
        password: options.password,
        firstBoot: options.firstBoot,
        rebootDelayMs: options.rebootDelayMs,
        faults: options.faults,
        tickMs: options.tickMs,
        seed: index + 1,
        serial: options.serial,
      }),
    ),
  );
  const running = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const dispose = async (): Promise<void> => {
    await Promise.all(
      running.map(async (item) => {
        await item.ssh.dispose();
        await item.serial?.dispose();
        item.board.dispose();
      }),
    );
    if (ownsData) rmSync(dataRoot, { recursive: true, force: true });
  };
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await dispose();
    throw failure.reason;
  }
  return { boards: running.map((item) => item.descriptor()), running, dispose };
}
