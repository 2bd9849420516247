import { describe, expect, it } from 'vitest';
import { getProfile, listProfiles, profileIds } from './profiles.ts';

describe('profiles', () => {
  it('lists every module once, with sources and its gaps said plainly', () => {
    expect([...profileIds]).toEqual(['tx1', 'tx2', 'nano', 'xavier-nx', 'agx-xavier', 'orin-nano', 'orin-nx', 'agx-orin', 'desktop-gpu']);
    for (const profile of listProfiles()) {
      expect(profile.sources.length).toBeGreaterThan(0);
      expect(profile.missing.length).toBeGreaterThan(0);
      expect(profile.rails.length).toBeGreaterThan(0);
      expect(profile.thermalZones.length).toBeGreaterThan(0);
    }
  });

  it('gives each Jetson its release facts', () => {
    expect(getProfile('tx1')).toMatchObject({ l4t: '32.7.1', jetpack: '4.6.1', arch: 'aarch64' });
    expect(getProfile('agx-orin')).toMatchObject({ l4t: '36.4.7', jetpack: '6.2.1' });
    expect(getProfile('nano').nvTegraRelease).toMatch(/^# R32 \(release\), REVISION: 7\.1, .*BOARD: t210ref/);
    expect(getProfile('orin-nano').nvTegraRelease?.split('\n')[1]).toBe('# KERNEL_VARIANT: oot');
    expect(getProfile('nano').uname).toMatch(/^Linux jetson-nano 4\.9\.253-tegra .* aarch64 GNU\/Linux$/);
    for (const profile of listProfiles().filter((each) => each.nvpmodel !== null)) {
      const modes = profile.nvpmodel?.modes ?? [];
      expect(modes.some((mode) => mode.id === profile.nvpmodel?.defaultId)).toBe(true);
      for (const mode of modes) expect(mode.onlineCpus).toBeLessThanOrEqual(profile.cpu.cores);
    }
  });

  it('hands out copies and names the valid ids for an unknown one', () => {
    const first = getProfile('nano');
    first.rails[0]!.idleMw = 1;
    expect(getProfile('nano').rails[0]!.idleMw).not.toBe(1);
    expect(() => getProfile('jetson-tk1')).toThrow(/tx1, tx2, nano, xavier-nx, agx-xavier, orin-nano, orin-nx, agx-orin, desktop-gpu/);
  });
});
