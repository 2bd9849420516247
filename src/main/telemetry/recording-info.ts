/**
 * A stored recording as the contract shows it. Rows are read, not rejected:
 * an older workbench stored an infinite energy (from absurd readings) as
 * `null`, and one bad row made `telemetry.recordings` fail for every
 * recording. A figure that is not a number is left out (a rail, a gap) or
 * taken as none (the input, the energy); the rest of the row still shows.
 */
import { z } from 'zod';
import type { RecordingInfo } from '../../shared/telemetry/contract.ts';
import type { RecordingRun } from '../store/recordings.ts';

const nullableNumber = z.number().nullable().catch(null);
const StoredRail = z.object({ joules: z.number(), averageW: nullableNumber, peakW: nullableNumber });
type StoredRail = z.infer<typeof StoredRail>;
const StoredGap = z.object({ fromT: z.number(), toT: z.number() });

const StoredEnergy = z.object({
  fromT: z.number().catch(0),
  toT: z.number().catch(0),
  input: StoredRail.nullable().catch(null),
  rails: z
    .record(z.string(), StoredRail.nullable().catch(null))
    .catch({})
    .transform((rails) => Object.fromEntries(Object.entries(rails).filter((entry): entry is [string, StoredRail] => entry[1] !== null))),
  coveredS: z.number().catch(0),
  gaps: z
    .array(StoredGap.nullable().catch(null))
    .catch([])
    .transform((gaps) => gaps.filter((gap) => gap !== null)),
  gapS: z.number().catch(0),
});

const StoredMetrics = z
  .object({
    samples: z.number().int().nonnegative().catch(0),
    energy: StoredEnergy.nullable().catch(null),
    reason: z.string().nullable().catch(null),
  })
  .catch({ samples: 0, energy: null, reason: null });

const StoredPowerMode = z.object({ name: z.string(), id: z.number().int().nullable() }).nullable().catch(null);

export function recordingInfoOf(run: RecordingRun): RecordingInfo {
  const metrics = StoredMetrics.parse(run.metrics);
  return {
    id: run.id,
    board: run.board,
    title: run.title,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    samples: metrics.samples,
    powerMode: StoredPowerMode.parse(run.params.powerMode ?? null),
    energy: metrics.energy,
    reason: metrics.reason,
  };
}
