/**
 * The simulated modules. Data lives in ./profiles/<id>.ts, one module a file,
 * each fact with its source and each gap listed in `missing`.
 */
import type { ProfileId, SimProfile } from './model.ts';
import { agxOrin } from './profiles/agx-orin.ts';
import { agxXavier } from './profiles/agx-xavier.ts';
import { desktopGpu } from './profiles/desktop-gpu.ts';
import { nano } from './profiles/nano.ts';
import { orinNano } from './profiles/orin-nano.ts';
import { orinNx } from './profiles/orin-nx.ts';
import { tx1 } from './profiles/tx1.ts';
import { tx2 } from './profiles/tx2.ts';
import { xavierNx } from './profiles/xavier-nx.ts';

const profiles: readonly SimProfile[] = [tx1, tx2, nano, xavierNx, agxXavier, orinNano, orinNx, agxOrin, desktopGpu];

export const profileIds: readonly ProfileId[] = profiles.map((profile) => profile.id);

/** A fresh copy, so a caller that edits its profile (a test, a fault) cannot change another board's. */
export function getProfile(id: string): SimProfile {
  const profile = profiles.find((candidate) => candidate.id === id);
  if (!profile) {
    throw new Error(`Unknown simulated board "${id}". Valid: ${profileIds.join(', ')}.`);
  }
  return structuredClone(profile);
}

export function listProfiles(): SimProfile[] {
  return profiles.map((profile) => structuredClone(profile));
}

/** The real tegrastats line whose format a profile reproduces (its own, or its formatSource's). */
export function referenceLineFor(profile: SimProfile): string | null {
  if (profile.referenceLine !== null) return profile.referenceLine;
  if (profile.formatSource === undefined) return null;
  return getProfile(profile.formatSource).referenceLine;
}
