import { describe, expect, it } from 'vitest';
import { compareReleases, isOlderRelease, releaseOf, versionSatisfies } from './version.ts';

describe('versionSatisfies', () => {
  it('reads the numeric release of NVIDIA and pip versions', () => {
    expect(releaseOf('2.0.0+nv23.05')).toEqual([2, 0, 0]);
    expect(releaseOf('2.5.0a0+872d972e41.nv24.08')).toEqual([2, 5, 0]);
    expect(releaseOf('v4.3.2')).toEqual([4, 3, 2]);
    expect(releaseOf('unknown')).toBeNull();
  });

  it('compares releases part by part, missing parts as zero', () => {
    expect(compareReleases([2, 10], [2, 9, 9])).toBeGreaterThan(0);
    expect(compareReleases([1, 0], [1, 0, 0])).toBe(0);
    expect(compareReleases([1, 16, 3], [1, 19, 2])).toBeLessThan(0);
  });

  it('accepts any version without a minimum, else only an equal or newer release', () => {
    expect(versionSatisfies('0.1', undefined)).toBe(true);
    expect(versionSatisfies('2.5.0', '2.5.0')).toBe(true);
    expect(versionSatisfies('2.5.0a0+872d972e41.nv24.08', '2.5.0')).toBe(true);
    expect(versionSatisfies('2.6.0', '2.5.0')).toBe(true);
    expect(versionSatisfies('2.3.0', '2.5.0')).toBe(false);
    expect(versionSatisfies('1.10.0', '1.9')).toBe(true);
    expect(versionSatisfies('garbage', '1.0')).toBe(false);
  });
});

describe('isOlderRelease', () => {
  it('tells an L4T release below a recipe minimum, and stays quiet when either is unknown', () => {
    expect(isOlderRelease('36.3.0', '36.4')).toBe(true);
    expect(isOlderRelease('34.1.1', '35')).toBe(true);
    expect(isOlderRelease('36.4.0', '36.4')).toBe(false);
    expect(isOlderRelease('36.4.7', '36.4')).toBe(false);
    expect(isOlderRelease(null, '36.4')).toBe(false);
    expect(isOlderRelease('36.3.0', undefined)).toBe(false);
  });
});
