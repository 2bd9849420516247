import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PowerModel } from './power-model.ts';
import { getProfile } from './profiles.ts';
import { SimSysfs } from './sysfs.ts';

let root = '';

afterEach(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function read(path: string): Promise<string> {
  return (await readFile(join(root, path), 'utf8')).trim();
}

/** Reads power the way jtop's power.py does: scan i2c devices named ina3221*, then hwmon or iio. */
async function readLikeJtop(): Promise<Map<string, number>> {
  const rails = new Map<string, number>();
  const devices = join(root, 'sys/bus/i2c/devices');
  for (const device of await readdir(devices)) {
    if (!(await read(`sys/bus/i2c/devices/${device}/name`)).includes('ina3221')) continue;
    for (const entry of await readdir(join(devices, device))) {
      const base = `sys/bus/i2c/devices/${device}/${entry}`;
      if (entry === 'hwmon') {
        for (const hwmon of await readdir(join(root, base))) {
          for (const file of (await readdir(join(root, base, hwmon))).filter((name) => /^in\d_label$/.test(name))) {
            const channel = file.slice(2, 3);
            const label = await read(`${base}/${hwmon}/${file}`);
            if (label.includes('NC')) continue;
            const mv = Number(await read(`${base}/${hwmon}/in${channel}_input`));
            const ma = Number(await read(`${base}/${hwmon}/curr${channel}_input`));
            rails.set(label, (mv * ma) / 1000);
          }
        }
      } else if (entry.startsWith('iio:device')) {
        for (const file of (await readdir(join(root, base))).filter((name) => name.startsWith('rail_name_'))) {
          const channel = file.slice('rail_name_'.length);
          rails.set(await read(`${base}/${file}`), Number(await read(`${base}/in_power${channel}_input`)));
        }
      }
    }
  }
  return rails;
}

describe('SimSysfs', () => {
  for (const id of ['agx-orin', 'nano'] as const) {
    it(`${id}: writes the files jtop reads, and the power read back matches the snapshot`, async () => {
      root = await mkdtemp(join(tmpdir(), 'jwb-sysfs-'));
      const profile = getProfile(id);
      const sysfs = new SimSysfs(root, profile);
      const snapshot = new PowerModel(profile, { seed: 1 }).snapshot({ cpu: [1, 1], gpu: 0.5 }, 0);
      await sysfs.init();
      await sysfs.update(snapshot);
      const rails = await readLikeJtop();
      const expected = snapshot.rails.filter((rail) => rail.name !== 'NC');
      expect([...rails.keys()].sort()).toEqual(expected.map((rail) => rail.name).sort());
      for (const rail of expected) expect(rails.get(rail.name)).toBeCloseTo(rail.mw, -1);
      expect(await readFile(join(root, 'proc/device-tree/model'), 'utf8')).toBe(`${profile.model}\0`);
      expect(await read('etc/nv_tegra_release')).toBe(profile.nvTegraRelease?.trim());
      const zone0 = await read('sys/devices/virtual/thermal/thermal_zone0/type');
      expect(zone0.split(/[-_]/)[0]).toBe(profile.thermalZones[0]);
      expect(Number(await read('sys/devices/virtual/thermal/thermal_zone0/temp')) / 1000).toBeCloseTo(snapshot.temps[0]!.celsius, 2);
      // GPU via devfreq as jtop finds it: sys/class/devfreq/* → device/of_node/name, device/load (‰).
      const [devfreq] = await readdir(join(root, 'sys/class/devfreq'));
      const device = await realpath(join(root, 'sys/class/devfreq', devfreq ?? '', 'device'));
      expect(device.startsWith(await realpath(root))).toBe(true);
      expect(Number(await readFile(join(device, 'load'), 'utf8'))).toBe(snapshot.gpu.loadPct * 10);
      expect(Number(await read(`sys/class/devfreq/${devfreq}/cur_freq`))).toBe(snapshot.gpu.mhz * 1_000_000);
      expect(await read('sys/devices/system/cpu/cpu0/online')).toBe('1');
    });
  }

  it('leaves no temporary files behind and serialises concurrent updates', async () => {
    root = await mkdtemp(join(tmpdir(), 'jwb-sysfs-'));
    const profile = getProfile('xavier-nx');
    const model = new PowerModel(profile, { seed: 1 });
    const sysfs = new SimSysfs(root, profile);
    void sysfs.init();
    await Promise.all([0, 1, 2, 3].map((step) => sysfs.update(model.snapshot({ cpu: [step / 3], gpu: 0 }, step * 100))));
    const files = await readdir(join(root, 'sys/bus/i2c/devices/7-0040/hwmon/hwmon3'));
    expect(files.filter((file) => file.includes('.tmp-'))).toEqual([]);
    expect(files).toContain('curr1_input');
  });
});
