/**
 * Measures what the simulated board is doing, so the power model can follow a
 * real benchmark: the CPU time of the processes the board runs (tracked pids and
 * all their descendants, from /proc/<pid>/stat utime+stime), simulated in-process
 * work, and a GPU-load number the on-board agent writes to the file named by
 * JWB_SIM_GPU_LOAD_FILE.
 */
import { readFileSync } from 'node:fs';
import type { BoardLoad } from './model.ts';

/** Kernel clock ticks per second for /proc stat times (USER_HZ, 100 on every Linux ABI we run on). */
const ticksPerSecond = 100;

export class LoadSampler {
  readonly #cores: number;
  readonly #gpuLoadFile: string | undefined;
  readonly #tracked = new Set<number>();
  /** Ticks seen per pid at the previous sample (or at track time). */
  #lastTicks = new Map<number, number>();
  #lastTime: number | null = null;
  #busy: { cores: number; untilMs: number }[] = [];

  constructor(options: { cores: number; gpuLoadFile?: string }) {
    this.#cores = options.cores;
    this.#gpuLoadFile = options.gpuLoadFile;
  }

  track(pid: number): void {
    this.#tracked.add(pid);
    // Baseline now, so time the process spent before it was tracked does not count.
    for (const each of withDescendants([pid])) {
      const ticks = readTicks(each);
      if (ticks !== null) this.#lastTicks.set(each, ticks);
    }
  }

  untrack(pid: number): void {
    this.#tracked.delete(pid);
    this.#lastTicks.delete(pid);
  }

  /** Simulated work inside the sim itself (e.g. a fake `apt-get` unpacking), until `untilMs`. */
  addBusy(cores: number, untilMs: number): void {
    this.#busy.push({ cores, untilMs });
  }

  sample(now: number): BoardLoad {
    const elapsedS = this.#lastTime === null ? 0 : (now - this.#lastTime) / 1000;
    this.#lastTime = now;
    const busyTicks = this.#measureTicks();
    this.#busy = this.#busy.filter((entry) => entry.untilMs > now);
    let busyCores = this.#busy.reduce((sum, entry) => sum + entry.cores, 0);
    if (elapsedS > 0) busyCores += busyTicks / ticksPerSecond / elapsedS;
    return { cpu: spreadOverCores(busyCores, this.#cores), gpu: this.#readGpuLoad() };
  }

  /** Ticks the tracked trees used since the previous sample. */
  #measureTicks(): number {
    const next = new Map<number, number>();
    let delta = 0;
    for (const pid of withDescendants([...this.#tracked])) {
      const ticks = readTicks(pid);
      if (ticks === null) continue;
      // A pid seen for the first time started after the previous sample: all its time is new.
      delta += Math.max(0, ticks - (this.#lastTicks.get(pid) ?? 0));
      next.set(pid, ticks);
    }
    this.#lastTicks = next;
    return delta;
  }

  #readGpuLoad(): number {
    if (this.#gpuLoadFile === undefined) return 0;
    try {
      const value = Number.parseFloat(readFileSync(this.#gpuLoadFile, 'utf8'));
      return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
    } catch {
      return 0; // missing file: the agent is not running a GPU workload
    }
  }
}

/** Fills cores in order: 1.5 busy cores → [1, 0.5, 0, …], as tegrastats shows a single-threaded job. */
function spreadOverCores(busyCores: number, cores: number): number[] {
  return Array.from({ length: cores }, (_, index) => Math.min(1, Math.max(0, busyCores - index)));
}

/** utime + stime of a pid, or null when it is gone. */
function readTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** The pids and all their descendants, via /proc/<pid>/task/<tid>/children. */
function withDescendants(roots: number[]): number[] {
  const seen = new Set<number>();
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop();
    if (pid === undefined || seen.has(pid)) continue;
    seen.add(pid);
    for (const child of readChildren(pid)) pending.push(child);
  }
  return [...seen];
}

function readChildren(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(' ')
      .filter((entry) => entry.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}
