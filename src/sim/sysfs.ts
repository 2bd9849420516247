/**
 * The simulated board's sysfs/procfs files, under `root` (the board's `/`), laid
 * out as jtop and our agent read them (../shared/reference/jetson-facts.md §2.2-2.4):
 *
 * - power, JetPack 5+: `sys/bus/i2c/devices/<addr>/name` = `ina3221`,
 *   `…/hwmon/hwmon<N>/in<k>_label`, `in<k>_input` (mV), `curr<k>_input` (mA);
 * - power, JetPack 4: `name` = `ina3221x`, `…/iio:device<N>/rail_name_<k>`,
 *   `in_voltage<k>_input` (mV), `in_current<k>_input` (mA), `in_power<k>_input` (mW);
 * - `sys/devices/virtual/thermal/thermal_zone<N>/{type,temp}` (m°C; offline sensors
 *   have no readable temp, which jtop shows as -256);
 * - GPU: `<device>/load` (‰) and devfreq `cur_freq`/`max_freq`/`min_freq` (Hz), reached
 *   from `sys/class/devfreq/<name>` whose `device/of_node/name` says which GPU;
 * - `sys/devices/system/cpu/cpu<N>/online` and `cpufreq/scaling_cur_freq` (kHz);
 * - `proc/device-tree/model` (NUL-terminated) and `etc/nv_tegra_release`;
 * - desktop GPU host: its `nvidia-smi` program and the values it prints (nvidia-smi-shim.ts).
 *
 * Every value file is written to a temporary name and renamed, so a reader never
 * sees a half-written number.
 */
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BoardSnapshot, SimProfile } from './model.ts';
import { nvidiaSmiProgram, nvidiaSmiScript, nvidiaSmiValues, nvidiaSmiValuesFile } from './nvidia-smi-shim.ts';

interface GpuLayout {
  /** Device folder relative to root. */
  device: string;
  /** devfreq name (`sys/class/devfreq/<name>`). */
  devfreq: string;
  /** `of_node/name`, which jtop matches (gp10b, gv11b, ga10b, gpu). */
  ofNode: string;
}

export class SimSysfs {
  readonly #root: string;
  readonly #profile: SimProfile;
  #queue: Promise<void> = Promise.resolve();
  #counter = 0;

  constructor(root: string, profile: SimProfile) {
    this.#root = root;
    this.#profile = profile;
  }

  init(): Promise<void> {
    return this.#enqueue(() => this.#writeStatic());
  }

  update(snapshot: BoardSnapshot): Promise<void> {
    return this.#enqueue(() => this.#writeValues(snapshot));
  }

  /** Writes never interleave: an update waits for init and for the previous update. */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task).catch((error: unknown) => {
      // The board's folder removed under us at shutdown is not an error worth a crash.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeStatic(): Promise<void> {
    const profile = this.#profile;
    await this.#write('proc/device-tree/model', `${profile.model}\0`);
    if (profile.nvTegraRelease !== null) await this.#write('etc/nv_tegra_release', profile.nvTegraRelease);
    if (profile.kind === 'desktop-gpu') await this.#write(nvidiaSmiProgram, nvidiaSmiScript, 0o755);
    for (const [index, monitor] of (profile.powerMonitors ?? []).entries()) {
      const device = `sys/bus/i2c/devices/${monitor.address}`;
      await this.#write(`${device}/name`, this.#isHwmon() ? 'ina3221\n' : 'ina3221x\n');
      for (const [channel, rail] of monitor.rails.entries()) {
        if (this.#isHwmon()) {
          await this.#write(`${device}/hwmon/hwmon${3 + index}/in${channel + 1}_label`, `${rail}\n`);
        } else {
          await this.#write(`${device}/iio:device${index}/rail_name_${channel}`, `${rail}\n`);
        }
      }
    }
    for (const [index, zone] of profile.thermalZones.entries()) {
      await this.#write(`sys/devices/virtual/thermal/thermal_zone${index}/type`, `${this.#zoneType(zone)}\n`);
    }
    const gpu = this.#gpuLayout();
    if (gpu !== null) {
      await this.#write(`${gpu.device}/of_node/name`, `${gpu.ofNode}\n`);
      const range = profile.gpuMhz ?? { idle: 0, max: 0 };
      const devfreq = `${gpu.device}/devfreq/${gpu.devfreq}`;
      await this.#write(`${devfreq}/max_freq`, `${range.max * 1_000_000}\n`);
      await this.#write(`${devfreq}/min_freq`, `${range.idle * 1_000_000}\n`);
      await this.#link(`sys/class/devfreq/${gpu.devfreq}`, join('../../..', devfreq));
      await this.#link(`${devfreq}/device`, '../..');
    }
  }

  async #writeValues(snapshot: BoardSnapshot): Promise<void> {
    const writes: Promise<void>[] = [];
    const railsByName = new Map<string, BoardSnapshot['rails']>();
    for (const rail of snapshot.rails) railsByName.set(rail.name, [...(railsByName.get(rail.name) ?? []), rail]);
    for (const [index, monitor] of (this.#profile.powerMonitors ?? []).entries()) {
      const device = `sys/bus/i2c/devices/${monitor.address}`;
      for (const [channel, name] of monitor.rails.entries()) {
        // Two `NC` channels share a name: take them in order.
        const rail = railsByName.get(name)?.shift() ?? { mv: 0, ma: 0, mw: 0 };
        if (this.#isHwmon()) {
          const folder = `${device}/hwmon/hwmon${3 + index}`;
          writes.push(this.#write(`${folder}/in${channel + 1}_input`, `${rail.mv}\n`));
          writes.push(this.#write(`${folder}/curr${channel + 1}_input`, `${rail.ma}\n`));
        } else {
          const folder = `${device}/iio:device${index}`;
          writes.push(this.#write(`${folder}/in_voltage${channel}_input`, `${rail.mv}\n`));
          writes.push(this.#write(`${folder}/in_current${channel}_input`, `${rail.ma}\n`));
          writes.push(this.#write(`${folder}/in_power${channel}_input`, `${rail.mw}\n`));
        }
      }
    }
    for (const [index, temp] of snapshot.temps.entries()) {
      if (temp.celsius === -256) continue;
      writes.push(this.#write(`sys/devices/virtual/thermal/thermal_zone${index}/temp`, `${Math.round(temp.celsius * 1000)}\n`));
    }
    const gpu = this.#gpuLayout();
    if (gpu !== null) {
      writes.push(this.#write(`${gpu.device}/load`, `${snapshot.gpu.loadPct * 10}\n`));
      writes.push(this.#write(`${gpu.device}/devfreq/${gpu.devfreq}/cur_freq`, `${snapshot.gpu.mhz * 1_000_000}\n`));
    }
    if (this.#profile.kind === 'desktop-gpu') writes.push(this.#write(nvidiaSmiValues, nvidiaSmiValuesFile(this.#profile, snapshot)));
    for (const [index, core] of snapshot.cpus.entries()) {
      const folder = `sys/devices/system/cpu/cpu${index}`;
      writes.push(this.#write(`${folder}/online`, core === null ? '0\n' : '1\n'));
      if (core !== null) writes.push(this.#write(`${folder}/cpufreq/scaling_cur_freq`, `${core.mhz * 1000}\n`));
    }
    await Promise.all(writes);
  }

  /** JetPack 5+ (L4T ≥ 34) exposes INA3221 through hwmon, older releases through iio. */
  #isHwmon(): boolean {
    return Number.parseInt(this.#profile.l4t ?? '0', 10) >= 34;
  }

  /**
   * Zone `type` text: tegrastats and jtop print it cut at the first `-` or `_`.
   * JetPack 6 Orin types are `cpu-thermal` … (jetson-facts.md §2.4); the older
   * `-therm` / `PMIC-Die` / `_tegra` suffixes are as recalled, not in the reference.
   */
  #zoneType(zone: string): string {
    if (/^[a-z]/.test(zone)) return `${zone}-thermal`;
    if (zone === 'thermal') return 'thermal-fan-est';
    if (zone === 'PMIC') return 'PMIC-Die';
    if (zone === 'Tboard' || zone === 'Tdiode') return `${zone}_tegra`;
    return `${zone}-therm`;
  }

  #gpuLayout(): GpuLayout | null {
    const profile = this.#profile;
    if (profile.kind !== 'jetson') return null;
    const l4tMajor = Number.parseInt(profile.l4t ?? '0', 10);
    const device = l4tMajor >= 34 ? 'sys/devices/platform/gpu.0' : 'sys/devices/gpu.0';
    // Device-tree names per SoC: gm20b has no entry in jtop's list, which also accepts `gpu`.
    if (['tx1', 'nano'].includes(profile.id)) return { device, devfreq: '57000000.gpu', ofNode: 'gpu' };
    if (profile.id === 'tx2') return { device, devfreq: '17000000.gp10b', ofNode: 'gp10b' };
    if (['agx-xavier', 'xavier-nx'].includes(profile.id)) return { device, devfreq: '17000000.gv11b', ofNode: 'gv11b' };
    return { device, devfreq: '17000000.ga10b', ofNode: 'ga10b' };
  }

  async #write(relative: string, content: string, mode = 0o666): Promise<void> {
    const path = join(this.#root, relative);
    await mkdir(dirname(path), { recursive: true });
    this.#counter += 1;
    const temporary = `${path}.tmp-${process.pid}-${this.#counter}`;
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
  }

  async #link(relative: string, target: string): Promise<void> {
    const path = join(this.#root, relative);
    await mkdir(dirname(path), { recursive: true });
    try {
      await symlink(target, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
