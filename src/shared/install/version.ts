/**
 * Version comparison for a recipe's probe (issue 7, "already installed"):
 * only the leading numeric release counts, so NVIDIA's local tags
 * (`2.0.0+nv23.05`, `2.16.1+nv24.06`), pip's pre-release suffixes and a
 * CUDA tag (`2.5.0a0+872d972e41.nv24.08`) compare by their release.
 */

/** The numeric release of a version (`2.0.0+nv23.05` → [2, 0, 0]), or null when it starts with no number. */
export function releaseOf(version: string): number[] | null {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return match ? (match[1] as string).split('.').map(Number) : null;
}

/** Negative, zero or positive as `a` is older, the same release or newer than `b`; missing parts count as 0. */
export function compareReleases(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Whether an installed version is good enough for a recipe: any version
 * when the recipe names no minimum, else a release at least `minVersion`.
 * A version with no readable release never satisfies a minimum.
 */
export function versionSatisfies(installed: string, minVersion: string | undefined): boolean {
  if (minVersion === undefined) return true;
  const have = releaseOf(installed);
  const need = releaseOf(minVersion);
  return have !== null && need !== null && compareReleases(have, need) >= 0;
}

/** Whether a release (an L4T `36.3.0`) is older than a minimum (`36.4`); false when either is unreadable or absent. */
export function isOlderRelease(version: string | null, minimum: string | undefined): boolean {
  const have = releaseOf(version ?? '');
  const need = releaseOf(minimum ?? '');
  return have !== null && need !== null && compareReleases(have, need) < 0;
}
