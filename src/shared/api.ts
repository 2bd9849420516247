/**
 * The contract: the only thing the renderer and the main side share at run
 * time. Each method is `capability.verb` with an input and an output schema;
 * each event topic is `capability.onDidX` with a payload schema. Main
 * validates every input against these schemas before a service sees it,
 * because the renderer (or a browser tab of the serve shell) is untrusted.
 */
import { z } from 'zod';
import type { Result } from './errors.ts';
import { telemetryEvents, telemetryMethods } from './telemetry/contract.ts';
import { benchEvents, benchMethods } from './bench/contract.ts';
import { boardsEvents, boardsMethods } from './boards-contract.ts';
import { discoveryEvents, discoveryMethods } from './discovery-contract.ts';
import { installEvents, installMethods } from './install/contract.ts';
import { flashEvents, flashMethods } from './flash/contract.ts';

export const languages = ['en', 'fr'] as const;
export const themes = ['system', 'light', 'dark'] as const;
export const shellKinds = ['electron', 'serve', 'cli', 'test'] as const;

export const Preferences = z.object({
  language: z.enum(languages),
  theme: z.enum(themes),
});
export type Preferences = z.infer<typeof Preferences>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  runtime: z.string(),
  shell: z.enum(shellKinds),
  dataDir: z.string(),
  database: z.object({ path: z.string(), schemaVersion: z.number().int() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

const NoInput = z.object({}).strict();

export const SimProfileSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['jetson', 'desktop-gpu']),
  l4t: z.string().nullable(),
  jetpack: z.string().nullable(),
});
export type SimProfileSummary = z.infer<typeof SimProfileSummary>;

/** A simulated board the app started in-process (demo mode), with what a student needs to log in. */
export const DemoBoard = z.object({
  id: z.string(),
  profile: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  password: z.string(),
  fingerprint: z.string(),
  startedAt: z.number(),
});
export type DemoBoard = z.infer<typeof DemoBoard>;

export const methods = {
  'app.info': { input: NoInput, output: AppInfo },
  'settings.get': { input: NoInput, output: Preferences },
  'settings.update': { input: Preferences.partial().strict(), output: Preferences },
  'demo.profiles': { input: NoInput, output: z.array(SimProfileSummary) },
  'demo.list': { input: NoInput, output: z.array(DemoBoard) },
  'demo.add': { input: z.object({ profile: z.string().min(1).max(40) }).strict(), output: DemoBoard },
  'demo.remove': { input: z.object({ id: z.string().min(1).max(80) }).strict(), output: z.object({ removed: z.boolean() }) },
  ...boardsMethods,
  ...discoveryMethods,
  ...telemetryMethods,
  ...benchMethods,
  ...installMethods,
  ...flashMethods,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  'settings.onDidChange': { payload: Preferences },
  'demo.onDidChange': { payload: z.array(DemoBoard) },
  ...boardsEvents,
  ...discoveryEvents,
  ...telemetryEvents,
  ...benchEvents,
  ...installEvents,
  ...flashEvents,
} as const satisfies Record<string, { payload: z.ZodType }>;

export type MethodName = keyof typeof methods;
export type TopicName = keyof typeof events;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
/** What a handler receives: the input after validation and defaults. */
export type ParsedInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]['output']>;
export type EventPayload<T extends TopicName> = z.output<(typeof events)[T]['payload']>;

export { BoardDetails, BoardSummary, boardStates, ConnectOutcome, type BoardState } from './boards-contract.ts';
export { isMethodName, isTopicName, methodNames, topicNames } from './contract-names.ts';

/**
 * What a renderer holds, whatever the shell: `window.workbench` in Electron
 * (built by the preload), a WebSocket client in the serve shell, an in-memory
 * pair in tests. It offers one function per method of the closed list above.
 */
export interface WorkbenchBridge {
  readonly call: {
    readonly [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
  };
  on<T extends TopicName>(topic: T, listener: (payload: EventPayload<T>) => void): () => void;
}
