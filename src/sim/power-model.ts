/**
 * How much power a simulated board draws, rail by rail, for a given load.
 *
 * Per rail: idle + cpuMw × CPU activity + gpuMw × GPU activity, where activity is
 * load × (clock / top clock)² summed over the cores the power mode keeps online
 * (dynamic power grows with f·V², and V with f). The nvpmodel budget caps the
 * input power (the board throttles its clocks, so we scale the load-driven part
 * and the clocks down to fit). Readings then ramp with a first-order lag (~1 s to
 * settle, as INA3221 readings do on real boards when a benchmark starts), carry
 * ±1.5 % seeded noise, and are quantised the way the INA3221 files are (whole mV
 * and mA). Figures and their sources are in each profile and in README.md.
 */
import { tempOf, type Sample } from '../shared/telemetry/sample.ts';
import { parseTegrastats } from '../shared/telemetry/tegrastats-parser.ts';
import type { BoardLoad, BoardSnapshot, PowerMode, RailReading, SimProfile } from './model.ts';
import { referenceLineFor } from './profiles.ts';

/** Time constant of the power ramp, seconds: 95 % of a step after ~1 s. */
const powerTauS = 0.33;
/** Time constant of the temperatures, seconds. */
const thermalTauS = 8;
/** Temperature rise, °C, of a hot zone at the module's full load-driven power. */
const fullLoadRiseC = 30;

interface Clocks {
  cpuMhz: number[];
  cpuTop: number;
  gpuMhz: number;
  gpuTop: number;
}

export class PowerModel {
  /** Max clocks (jetson_clocks): clocks pinned at the mode's top, so idle power rises. */
  jetsonClocks = false;
  readonly #profile: SimProfile;
  readonly #random: () => number;
  readonly #reference: Sample | null;
  #modeId: number | null;
  #lastTime: number | null = null;
  #smoothedMw: number[] = [];
  #averageSumMw: number[] = [];
  #averageCount = 0;
  #temps: number[] = [];
  #ramUsedMb = 0;

  constructor(profile: SimProfile, options: { seed?: number } = {}) {
    this.#profile = profile;
    this.#modeId = profile.nvpmodel?.defaultId ?? null;
    this.#random = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    const line = referenceLineFor(profile);
    this.#reference = line === null ? null : parseTegrastats(line);
  }

  get mode(): PowerMode | null {
    return this.#profile.nvpmodel?.modes.find((mode) => mode.id === this.#modeId) ?? null;
  }

  setMode(id: number): void {
    const modes = this.#profile.nvpmodel?.modes ?? [];
    if (!modes.some((mode) => mode.id === id)) {
      const valid = modes.map((mode) => mode.id).join(', ') || 'none';
      throw new Error(`Unknown power mode ${id} for ${this.#profile.name} (valid: ${valid}).`);
    }
    this.#modeId = id;
  }

  /** Restarts the running averages (tegrastats' second number), as a new tegrastats does. */
  resetAverages(): void {
    this.#averageSumMw = [];
    this.#averageCount = 0;
  }

  snapshot(load: BoardLoad, now: number): BoardSnapshot {
    const profile = this.#profile;
    const elapsedS = this.#lastTime === null ? Number.POSITIVE_INFINITY : Math.max(0, now - this.#lastTime) / 1000;
    this.#lastTime = now;
    const online = onlineCores(profile, this.mode);
    const coreLoads = distributeLoad(load.cpu, online);
    const gpuLoad = clamp01(load.gpu);
    const clocks = this.#clocks(coreLoads, gpuLoad);
    const activity = this.#activity(coreLoads, clocks, gpuLoad);
    const targets = this.#railTargets(activity);
    const alpha = 1 - Math.exp(-elapsedS / powerTauS);
    const rails = profile.rails.map((rail, index) => {
      const previous = this.#smoothedMw[index] ?? targets.mw[index] ?? 0;
      const smoothed = previous + alpha * ((targets.mw[index] ?? 0) - previous);
      this.#smoothedMw[index] = smoothed;
      return this.#reading(rail.name, smoothed, index);
    });
    this.#averageCount += 1;
    const throttle = Math.sqrt(targets.scale);
    const cpus: BoardSnapshot['cpus'] = Array.from({ length: profile.cpu.cores }, () => null);
    online.forEach((core, index) => {
      const mhz = Math.max(profile.cpu.idleMhz, Math.round((clocks.cpuMhz[index] ?? 0) * throttle));
      cpus[core] = { loadPct: Math.round((coreLoads[index] ?? 0) * 100), mhz: Math.min(mhz, clocks.cpuTop) };
    });
    const cpuAverage = coreLoads.reduce((sum, value) => sum + value, 0) / Math.max(1, online.length);
    return {
      time: now,
      ramUsedMb: this.#ramUsed(cpuAverage, gpuLoad, elapsedS),
      swapUsedMb: Math.min(this.#reference?.swapUsedMb ?? 0, profile.memory.swapMb),
      cpus,
      emc: this.#emc(cpuAverage, gpuLoad),
      gpu: {
        loadPct: Math.round(gpuLoad * 100),
        mhz: Math.max(gpuRange(profile).idle, Math.round(clocks.gpuMhz * throttle)),
      },
      temps: this.#temperatures(targets.inputDynamicMw, elapsedS),
      rails,
    };
  }

  #clocks(coreLoads: number[], gpuLoad: number): Clocks {
    const mode = this.mode;
    const gpu = gpuRange(this.#profile);
    const cpuTop = mode?.cpuMaxMhz ?? this.#profile.cpu.maxMhz;
    const gpuTop = mode?.gpuMaxMhz ?? gpu.max;
    const cpuIdle = Math.min(this.#profile.cpu.idleMhz, cpuTop);
    // A governor like schedutil raises the clock with the load; jetson_clocks pins it at the top.
    const cpuMhz = coreLoads.map((value) => (this.jetsonClocks ? cpuTop : cpuIdle + (cpuTop - cpuIdle) * Math.min(1, value * 1.25)));
    const gpuMhz = this.jetsonClocks ? gpuTop : gpu.idle + (gpuTop - gpu.idle) * Math.min(1, gpuLoad * 1.5);
    return { cpuMhz, cpuTop, gpuMhz, gpuTop };
  }

  #activity(coreLoads: number[], clocks: Clocks, gpuLoad: number): { cpu: number; gpu: number } {
    const profile = this.#profile;
    const gpuMax = gpuRange(profile).max;
    let cpu = 0;
    coreLoads.forEach((value, index) => {
      cpu += (value * ((clocks.cpuMhz[index] ?? 0) / profile.cpu.maxMhz) ** 2) / profile.cpu.cores;
    });
    let gpu = gpuLoad * (clocks.gpuMhz / gpuMax) ** 2;
    if (this.jetsonClocks) {
      // Pinned clocks cost power even when idle (no DVFS down-clocking, rails at top voltage).
      cpu += 0.1 * (coreLoads.length / profile.cpu.cores) * (clocks.cpuTop / profile.cpu.maxMhz) ** 2;
      gpu += 0.06 * (clocks.gpuTop / gpuMax) ** 2;
    }
    return { cpu, gpu };
  }

  /** Target mW per rail after the budget cap; `scale` is the factor the cap applied (1 = none). */
  #railTargets(activity: { cpu: number; gpu: number }): { mw: number[]; scale: number; inputDynamicMw: number } {
    const rails = this.#profile.rails;
    const dynamic = rails.map((rail) => rail.cpuMw * activity.cpu + rail.gpuMw * activity.gpu);
    const idle = rails.map((rail) => rail.idleMw);
    const input = inputOf(this.#profile, idle, dynamic);
    const budgetMw = (this.mode?.budgetW ?? Number.POSITIVE_INFINITY) * 1000;
    let scale = 1;
    if (input.idle + input.dynamic > budgetMw && input.dynamic > 0) {
      scale = Math.max(0, (budgetMw - input.idle) / input.dynamic);
    }
    return { mw: idle.map((value, index) => value + (dynamic[index] ?? 0) * scale), scale, inputDynamicMw: input.dynamic * scale };
  }

  #reading(name: string, smoothedMw: number, index: number): RailReading {
    const noisy = smoothedMw <= 0 ? 0 : smoothedMw * (1 + (this.#random() - 0.5) * 0.03);
    const nominalMv = /1V8/.test(name) ? 1800 : 5000;
    const mv = name === 'NC' ? 0 : Math.round(nominalMv + (this.#random() - 0.5) * 16);
    const ma = mv === 0 ? 0 : Math.round((noisy * 1000) / mv);
    const mw = Math.round((mv * ma) / 1000);
    this.#averageSumMw[index] = (this.#averageSumMw[index] ?? 0) + mw;
    const avgMw = Math.round((this.#averageSumMw[index] ?? mw) / (this.#averageCount + 1));
    return { name, mw, avgMw, mv, ma };
  }

  #ramUsed(cpuAverage: number, gpuLoad: number, elapsedS: number): number {
    const ramMb = this.#profile.memory.ramMb;
    const used = this.#reference?.ramUsedMb ?? null;
    const total = this.#reference?.ramTotalMb ?? null;
    const idleMb = used !== null && total !== null ? (used / total) * ramMb : ramMb * 0.25;
    const target = Math.min(ramMb * 0.95, idleMb + ramMb * (0.04 * cpuAverage + 0.1 * gpuLoad));
    const alpha = 1 - Math.exp(-elapsedS / 2);
    this.#ramUsedMb = this.#ramUsedMb === 0 ? target : this.#ramUsedMb + alpha * (target - this.#ramUsedMb);
    return Math.round(this.#ramUsedMb);
  }

  #emc(cpuAverage: number, gpuLoad: number): BoardSnapshot['emc'] {
    const range = this.#profile.emcMhz ?? { idle: 1600, max: 1600 };
    const loadPct = Math.min(100, Math.round(cpuAverage * 20 + gpuLoad * 55 + this.#random() * 2));
    const busy = this.jetsonClocks || loadPct > 8;
    return { loadPct, mhz: busy ? range.max : range.idle };
  }

  #temperatures(inputDynamicMw: number, elapsedS: number): BoardSnapshot['temps'] {
    const profile = this.#profile;
    const fullDynamicMw = Math.max(
      1,
      inputOf(
        profile,
        profile.rails.map(() => 0),
        profile.rails.map((rail) => rail.cpuMw + rail.gpuMw),
      ).dynamic,
    );
    const alpha = 1 - Math.exp(-elapsedS / thermalTauS);
    return profile.thermalZones.map((zone, index) => {
      const seen = this.#reference === null ? undefined : tempOf(this.#reference, zone);
      // PMIC prints a constant (100C or 50C) and -256C (null: offline) marks an offline sensor: keep them as printed.
      if (seen === null) return { zone, celsius: -256 };
      const idleC = seen ?? 40;
      if (/PMIC/i.test(zone)) return { zone, celsius: idleC };
      const share = /board|diode|AO|AUX|PLL/i.test(zone) ? 0.5 : 1;
      const target = idleC + share * fullLoadRiseC * (inputDynamicMw / fullDynamicMw);
      const previous = this.#temps[index] ?? target;
      const celsius = previous + alpha * (target - previous);
      this.#temps[index] = celsius;
      return { zone, celsius };
    });
  }
}

function gpuRange(profile: SimProfile): { idle: number; max: number } {
  return profile.gpuMhz ?? { idle: 100, max: 1000 };
}

/** The input rail's idle and load-driven mW, or the sum of all rails where no rail totals (jtop's rule). */
function inputOf(profile: SimProfile, idle: number[], dynamic: number[]): { idle: number; dynamic: number } {
  const totalIndex = profile.rails.findIndex((rail) => rail.total === true);
  if (totalIndex >= 0) return { idle: idle[totalIndex] ?? 0, dynamic: dynamic[totalIndex] ?? 0 };
  return { idle: idle.reduce((sum, value) => sum + value, 0), dynamic: dynamic.reduce((sum, value) => sum + value, 0) };
}

function onlineCores(profile: SimProfile, mode: PowerMode | null): number[] {
  if (mode?.onlineCpuList) return [...mode.onlineCpuList];
  const count = Math.min(profile.cpu.cores, mode?.onlineCpus ?? profile.cpu.cores);
  return Array.from({ length: count }, (_, index) => index);
}

/**
 * Load per online core. Work measured on a core the mode turned off (or beyond the
 * core count) migrates to online cores with headroom, as the scheduler would move it.
 */
export function distributeLoad(loads: readonly number[], online: readonly number[]): number[] {
  const result = online.map((core) => clamp01(loads[core] ?? 0));
  let spill = loads.reduce((sum, value, core) => (online.includes(core) ? sum : sum + clamp01(value)), 0);
  while (spill > 1e-9) {
    const open = result.map((value, index) => (value < 1 ? index : -1)).filter((index) => index >= 0);
    if (open.length === 0) break;
    const share = spill / open.length;
    for (const index of open) {
      const added = Math.min(share, 1 - (result[index] ?? 0));
      result[index] = (result[index] ?? 0) + added;
      spill -= added;
    }
  }
  return result;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** Small, fast, seedable PRNG (mulberry32): deterministic noise for tests. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
