import { z } from 'zod';

/**
 * A library install recipe as data (resources/recipes/<library>.json): per
 * JetPack family, the prerequisites, the steps as argv arrays (never a shell
 * string: the runner builds each line with `commandLine`), a probe, a
 * verification program and the sources the versions come from
 * (/work/shared/reference/flashing-and-installing.md §5).
 */

export const jetpackFamilies = ['jp4', 'jp5', 'jp6'] as const;
export type JetpackFamily = (typeof jetpackFamilies)[number];

const argv = z.array(z.string().min(1)).min(1);

const stepSchema = z
  .object({
    kind: z.enum(['apt', 'pip', 'run']),
    title: z.string().min(1),
    argv,
    sudo: z.boolean().optional(),
    /** The public page this step's command, package names, version or URL come from (as the reference cites it). */
    source: z.url().optional(),
    /**
     * false: the reference (/work/shared/reference/flashing-and-installing.md,
     * jetson-facts.md) does not confirm this step; `note` says what is not
     * confirmed. Left out: confirmed.
     */
    verified: z.boolean().optional(),
    note: z.string().min(1).optional(),
    /**
     * What the board simulator runs instead: it has no compiler, so a source
     * build is stood in for by installing the simulator's package. Used only
     * when the runner is told the board is simulated; the procedure document
     * records the line actually run. Also stands in where the simulator's
     * package catalogue (src/sim/packages.ts) lags the recipe: `note` says so.
     */
    simulator: z.object({ argv, sudo: z.boolean().optional() }).optional(),
  })
  .refine((step) => step.verified !== false || step.note !== undefined, {
    message: 'An unverified step says what is unverified in its note.',
    path: ['note'],
  });

const probeSchema = z.object({
  argv,
  /** A regular expression with one group: the installed version, read from stdout. No match or exit ≠ 0: not installed. */
  versionPattern: z.string().min(1),
  /**
   * The oldest version that counts as installed for this recipe (the one its
   * steps pin, usually). Left out: any installed version does. The runner
   * skips the install steps when the probe finds a version that satisfies it.
   */
  minVersion: z
    .string()
    .regex(/^\d+(\.\d+)*$/)
    .optional(),
});

const verificationSchema = z.object({
  /** A `python3 -c` program printing `version=…`, `cuda=True|False` and `gpu-op=…` lines. */
  program: z.string().min(1),
  /** Fail the verification when the library does not see the GPU. */
  requiresCuda: z.boolean(),
});

const supportedSchema = z.object({
  prerequisites: z.object({
    apt: z.array(z.string()),
    /** `major.minor` of the board's python3 the wheels are built for. */
    python: z.string().regex(/^\d+\.\d+$/),
    /**
     * The oldest L4T release the wheels are built for, when the family spans
     * releases with other CUDA/cuDNN (JetPack 6.0 = L4T 36.3, CUDA 12.2 and
     * cuDNN 8.9; 6.1+ = 36.4, CUDA 12.6 and cuDNN 9.3: reference jetson-facts.md
     * §3.6). An older board is warned about before the install.
     */
    minL4t: z
      .string()
      .regex(/^\d+(\.\d+)*$/)
      .optional(),
    /** Swap a source build needs on small boards; 0 when none. */
    swapMb: z.number().int().min(0),
    diskMb: z.number().int().positive(),
  }),
  steps: z.array(stepSchema).min(1),
  probe: probeSchema,
  verification: verificationSchema,
  estimate: z.object({ minutes: z.number().positive(), diskMb: z.number().int().positive() }),
  notes: z.string().optional(),
  sources: z.array(z.url()).min(1),
});

const unsupportedSchema = z.object({ unsupported: z.string().min(1), sources: z.array(z.url()).optional() });

export const recipeSchema = z.object({
  library: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** Taught for symbolic graphs only, or unmaintained: shown with a warning. */
  legacy: z.boolean().optional(),
  families: z.object({
    jp4: z.union([supportedSchema, unsupportedSchema]),
    jp5: z.union([supportedSchema, unsupportedSchema]),
    jp6: z.union([supportedSchema, unsupportedSchema]),
  }),
});

export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeStep = z.infer<typeof stepSchema>;
export type SupportedPlan = z.infer<typeof supportedSchema>;
export type FamilyPlan = z.infer<typeof supportedSchema> | z.infer<typeof unsupportedSchema>;

export function isSupported(plan: FamilyPlan): plan is SupportedPlan {
  return !('unsupported' in plan);
}

/**
 * The JetPack family of an L4T release (reference §5.1): R32 = JetPack 4,
 * R34–35 = JetPack 5, R36 = JetPack 6. Older (R24/R28, JetPack 2–3) and newer
 * (R38+, JetPack 7) releases have no recipe: null.
 */
export function familyOfL4t(l4t: string | null): JetpackFamily | null {
  const major = Number((l4t ?? '').split('.')[0]);
  if (major === 32) return 'jp4';
  if (major === 34 || major === 35) return 'jp5';
  if (major === 36) return 'jp6';
  return null;
}

export function parseRecipe(value: unknown): Recipe {
  return recipeSchema.parse(value);
}
