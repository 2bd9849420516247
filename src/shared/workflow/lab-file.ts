/**
 * The teacher's lab file: the course's choices fixed in one small JSON file
 * (module families allowed, the JetPack, the libraries to install, the
 * benchmark plan, the report's title and fields). Checked field by field;
 * an error names the field and the line it is on, and nothing starts.
 */
import { z } from 'zod';
import type { BoardRef } from '../boards/board-ref.ts';
import type { BenchPlanInput } from '../bench/contract.ts';
import { benchFrameworks, benchSuites } from '../bench/plan.ts';
import { PowerModeSetting } from '../bench/results.ts';
import { locateJsonPath, jsonSyntaxLine } from './json-locations.ts';

/** What `/proc/device-tree/model` says, by family: a lab allows families, not exact carrier boards. */
export const moduleFamilies = {
  'jetson-nano': /\bJetson Nano\b/i,
  'jetson-tx1': /\bTX1\b/i,
  'jetson-tx2': /\bTX2\b/i,
  'xavier-nx': /\bXavier NX\b/i,
  'agx-xavier': /\bAGX Xavier\b/i,
  'orin-nano': /\bOrin Nano\b/i,
  'orin-nx': /\bOrin NX\b/i,
  'agx-orin': /\bAGX Orin\b/i,
} as const;
export type ModuleFamily = keyof typeof moduleFamilies;
const familyNames = Object.keys(moduleFamilies) as [ModuleFamily, ...ModuleFamily[]];

/** The family of a board's module string, or null (a desktop GPU, an unknown board). */
export function moduleFamilyOf(module: string | null): ModuleFamily | null {
  if (module === null) return null;
  return familyNames.find((family) => moduleFamilies[family].test(module)) ?? null;
}

/** Every figure needs a 95 % confidence interval, which takes at least 6 repeats (src/shared/bench/stats.ts). */
export const minimumLabRepeats = 6;
/** A lab file is a page of JSON: anything larger is not one. */
export const labFileMaxBytes = 64 * 1024;

const Slug = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'Use lower-case letters, digits, - and _ (at most 32).');

export const LabPlan = z
  .object({
    suites: z.array(z.enum(benchSuites)).min(1).max(4),
    /** Frameworks to compare; "installed" means every framework the board has. */
    frameworks: z.union([z.literal('installed'), z.array(Slug).min(1).max(8)]).default('installed'),
    batchSizes: z.array(z.number().int().min(1).max(4096)).max(8).default([]),
    powerModes: z.array(PowerModeSetting).max(8).default([]),
    repeats: z
      .number()
      .int()
      .min(minimumLabRepeats, `Use at least ${minimumLabRepeats} repeats: fewer give no confidence interval.`)
      .max(50)
      .default(minimumLabRepeats),
    epochs: z.number().int().min(1).max(100).optional(),
    trainLimit: z.number().int().min(1).max(1_000_000).optional(),
    testLimit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const reportFields = ['student', 'group', 'date'] as const;

export const LabFile = z
  .object({
    /** The lab file's own format; a newer one is refused with "update the workbench". */
    version: z.literal(1, { error: 'This workbench reads lab files of version 1: set "version": 1, or update the workbench.' }),
    title: z.string().min(1).max(200),
    modules: z.array(z.enum(familyNames)).min(1).max(familyNames.length).optional(),
    jetpack: z
      .string()
      .regex(/^\d+(\.\d+){0,2}$/, 'Write the JetPack version as numbers, such as 6.2 or 5.1.3.')
      .optional(),
    libraries: z.array(Slug).max(8).default([]),
    plan: LabPlan,
    report: z
      .object({
        title: z.string().min(1).max(200).optional(),
        fields: z
          .array(z.enum(reportFields))
          .max(3)
          .default([...reportFields]),
      })
      .strict()
      .default({ fields: [...reportFields] }),
  })
  .strict();
export type LabFile = z.infer<typeof LabFile>;

/** The lab of the original internship: the board's installed frameworks compared on MNIST training, throughput and joules per image. */
export const defaultLab: LabFile = LabFile.parse({
  version: 1,
  title: 'MNIST training energy lab',
  libraries: [],
  plan: { suites: ['mnist-train'], frameworks: 'installed', repeats: minimumLabRepeats, epochs: 1 },
  report: { title: 'Energy per image of MNIST training, by framework' },
});

export type LabFileResult = { ok: true; lab: LabFile } | { ok: false; errors: string[] };

/** Parses and checks a lab file; each error reads `name:line: field: what to change`. */
export function parseLabFile(text: string, name: string): LabFileResult {
  // Characters, not bytes (shared code has no TextEncoder): readers check the file's size in bytes before reading it.
  if (text.length > labFileMaxBytes) {
    return { ok: false, errors: [`${name}: the file is over ${labFileMaxBytes / 1024} KiB; a lab file is a page of JSON.`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const line = jsonSyntaxLine(text, (error as Error).message);
    return { ok: false, errors: [`${name}:${line ?? 1}: not valid JSON (${(error as Error).message}).`] };
  }
  const parsed = LabFile.safeParse(raw);
  if (parsed.success) return { ok: true, lab: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const field = issue.path.length === 0 ? '(the file)' : issue.path.join('.');
      return `${name}:${locateJsonPath(text, issue.path) ?? 1}: ${field}: ${issue.message}`;
    }),
  };
}

/**
 * The lab's benchmark plan for one board; `"installed"` becomes the
 * frameworks the agent can run that the board has (`installed`: their names
 * from identification). Null when that leaves none.
 */
export function labPlanFor(lab: LabFile, board: BoardRef, installed: readonly string[]): BenchPlanInput | null {
  const frameworks =
    lab.plan.frameworks === 'installed' ? benchFrameworks.filter((name) => installed.includes(name)) : [...lab.plan.frameworks];
  if (frameworks.length === 0) return null;
  const { suites, batchSizes, powerModes, repeats, epochs, trainLimit, testLimit } = lab.plan;
  return {
    boards: [board],
    frameworks,
    suites,
    batchSizes,
    powerModes,
    repeats,
    title: lab.title,
    ...(epochs === undefined ? {} : { epochs }),
    ...(trainLimit === undefined ? {} : { trainLimit }),
    ...(testLimit === undefined ? {} : { testLimit }),
  };
}
