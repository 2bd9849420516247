/**
 * The composition root: builds every service once and wires them to the
 * contract. No logic lives here; each shell (Electron, serve, CLI) calls
 * `createWorkbench` and then only talks to `dispatcher` and `events`.
 */
import { join } from 'node:path';
import type { AppInfo, shellKinds } from '../shared/api.ts';
import { createInProcessSimulator } from '../sim/in-process.ts';
import { Dispatcher } from './core/dispatcher.ts';
import { DemoBoards, type Simulator } from './demo/demo-boards.ts';
import { EventHub } from './core/event-hub.ts';
import { productInfo } from './product.ts';
import { SqliteResultStore } from './store/result-store.ts';
import { StoreSettings, type KeyValueStore } from './store/settings.ts';

export interface WorkbenchOptions {
  shell: (typeof shellKinds)[number];
  dataDir: string;
  /** electron-store in Electron, conf elsewhere (see `openConfStore`). */
  store: KeyValueStore;
  /** Demo mode's simulated boards; the built-in simulator when left out. */
  simulator?: Simulator;
  onInternalError?: (method: string, error: unknown) => void;
}

export interface Workbench {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  dispose(): Promise<void>;
}

export function createWorkbench(options: WorkbenchOptions): Workbench {
  const events = new EventHub();
  const settings = new StoreSettings(options.store);
  const results = new SqliteResultStore(join(options.dataDir, 'results.sqlite'));
  const demo = new DemoBoards(options.simulator ?? createInProcessSimulator(join(options.dataDir, 'simulated-boards')));
  const stopSettingsEvents = settings.onDidChangePreferences((preferences) => events.emit('settings.onDidChange', preferences));
  const stopDemoEvents = demo.onDidChange((boards) => events.emit('demo.onDidChange', boards));

  const info: AppInfo = {
    name: productInfo.name,
    version: productInfo.version,
    platform: process.platform,
    arch: process.arch,
    runtime: process.versions.electron ? `Electron ${process.versions.electron}` : `Node.js ${process.versions.node}`,
    shell: options.shell,
    dataDir: options.dataDir,
    database: { path: results.path, schemaVersion: results.schemaVersion },
  };

  const dispatcher = new Dispatcher(
    {
      'app.info': () => info,
      'settings.get': () => settings.preferences(),
      'settings.update': (patch) => settings.updatePreferences(patch),
      'demo.profiles': () => demo.profiles(),
      'demo.list': () => demo.list(),
      'demo.add': ({ profile }) => demo.add(profile),
      'demo.remove': async ({ id }) => ({ removed: await demo.remove(id) }),
    },
    options.onInternalError,
  );

  return {
    dispatcher,
    events,
    async dispose() {
      stopSettingsEvents();
      stopDemoEvents();
      await demo.dispose();
      results.close();
    },
  };
}
