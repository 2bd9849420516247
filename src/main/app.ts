/**
 * The composition root: builds every service once and spreads each
 * capability's handlers into the dispatcher. No logic lives here; each shell
 * (Electron, serve, CLI) calls `createWorkbench` and then only talks to
 * `dispatcher` and `events`.
 */
import { join } from 'node:path';
import { createInProcessSimulator } from '../sim/in-process.ts';
import { benchHandlers } from './bench/handlers.ts';
import { BenchService } from './bench/service.ts';
import { BenchRuns } from './store/bench-runs.ts';
import { BoardRegistry } from './boards/board-registry.ts';
import { mirrorDemoBoards } from './boards/demo-mirror.ts';
import { boardsHandlers, terminalHandlers } from './boards/handlers.ts';
import { routeTerminalSource } from './boards/serial-terminal.ts';
import { Terminals } from './boards/terminal.ts';
import { Dispatcher } from './core/dispatcher.ts';
import type { Workbench, WorkbenchOptions } from './workbench-options.ts';
import { EventHub } from './core/event-hub.ts';
import { DemoBoards } from './demo/demo-boards.ts';
import { demoHandlers } from './demo/handlers.ts';
import { discoveryHandlers } from './discovery/handlers.ts';
import { DiscoveryService } from './discovery/service.ts';
import { ConsoleSessions } from './flash/console-sessions.ts';
import { FlashJobs } from './flash/flash-jobs.ts';
import { flashHandlers } from './flash/handlers.ts';
import { RecoveryFlashService } from './flash/recovery-flash.ts';
import { SdFlashService } from './flash/sd-flash.ts';
import { installHandlers } from './install/handlers.ts';
import { loadRecipes } from './install/recipes.ts';
import { InstallService } from './install/service.ts';
import { appInfo } from './product.ts';
import { settingsHandlers } from './store/handlers.ts';
import { ResultsDb } from './store/results-db.ts';
import { StoreSettings } from './store/settings.ts';
import { telemetryHandlers } from './telemetry/handlers.ts';
import { Recordings } from './store/recordings.ts';
import { TelemetryService } from './telemetry/telemetry-service.ts';

export function createWorkbench(options: WorkbenchOptions): Workbench {
  const { dataDir, resources } = options;
  const events = new EventHub();
  const emit = events.emit.bind(events);
  const settings = new StoreSettings(options.store);
  const results = new ResultsDb(join(dataDir, 'results.sqlite'));
  const demo = new DemoBoards(options.simulator ?? createInProcessSimulator(join(dataDir, 'simulated-boards')));
  const boards = new BoardRegistry({ store: options.store, dataDir, simulated: demo, trust: options.trust ?? { kind: 'known-only' } });
  const { inventory, connections } = boards;
  // One serial binding for the console terminals and the console login.
  const discovery = new DiscoveryService(
    options.serialBinding === undefined ? options.discovery : { ...options.discovery, serialBinding: options.serialBinding },
  );
  const terminalSource = routeTerminalSource(
    (id) => connections.link(id),
    (path) => discovery.hasSerialPort(path),
    options.serialBinding === undefined ? {} : { binding: options.serialBinding },
  );
  const terminals = new Terminals(terminalSource, {
    output: (terminalId, data) => emit('terminal.onDidOutput', { terminalId, data }),
    exit: (terminalId, code) => emit('terminal.onDidExit', { terminalId, code }),
  });
  const recordings = new Recordings(results);
  const telemetry = new TelemetryService({
    boards,
    agentRoot: resources.agentDir,
    store: recordings,
    exportDir: join(dataDir, 'exports'),
    emit,
  });
  const benchRuns = new BenchRuns(results);
  const bench = new BenchService({
    store: benchRuns,
    boards,
    agentRoot: resources.agentDir,
    emit,
    reportDir: join(dataDir, 'reports'),
    ...(options.printPdf === undefined ? {} : { printPdf: options.printPdf }),
  });
  const install = new InstallService({
    recipes: () => loadRecipes(resources.recipesDir),
    boards,
    stateFolder: join(dataDir, 'installs'),
    emit,
  });
  const flashJobs = new FlashJobs(join(dataDir, 'flash-logs'), (event) => emit('flash.onDidProgress', event));
  const writer = options.writer ?? {};
  const sdFlash = new SdFlashService({
    jobs: flashJobs,
    writerEntry: resources.writerEntry,
    cacheDir: join(dataDir, 'images'),
    ...(writer.elevate === undefined ? {} : { elevate: writer.elevate }),
    ...(writer.env === undefined ? {} : { writerEnv: writer.env }),
    ...(writer.execPath === undefined ? {} : { writerExecPath: writer.execPath }),
  });
  const recoveryFlash = new RecoveryFlashService({
    jobs: flashJobs,
    ...(options.discovery?.usbDevicesFolder === undefined ? {} : { usbDevicesFolder: options.discovery.usbDevicesFolder }),
  });
  const consoles = new ConsoleSessions(options.serialBinding === undefined ? {} : { binding: options.serialBinding });

  const emitBoards = () => emit('boards.onDidChange', connections.summaries());
  const stop = [
    settings.onDidChangePreferences((preferences) => emit('settings.onDidChange', preferences)),
    demo.onDidChange((list) => emit('demo.onDidChange', list)),
    discovery.onDidChange((state) => emit('discovery.onDidChange', state)),
    inventory.onDidChange(emitBoards),
    connections.onDidChange(emitBoards),
    mirrorDemoBoards(demo, inventory, connections),
  ];
  const info = appInfo(options.shell, dataDir, { path: results.path, schemaVersion: results.schemaVersion });
  const dispatcher = new Dispatcher(
    {
      'app.info': () => info,
      ...settingsHandlers(settings),
      ...demoHandlers(demo),
      ...boardsHandlers(boards),
      ...terminalHandlers(terminals),
      ...discoveryHandlers(discovery),
      ...telemetryHandlers(telemetry),
      ...benchHandlers(bench),
      ...installHandlers(install),
      ...flashHandlers({ jobs: flashJobs, sd: sdFlash, recovery: recoveryFlash, consoles, workbenchKey: () => boards.workbenchKey() }),
    },
    options.onInternalError,
  );

  return {
    dispatcher,
    events,
    async dispose() {
      for (const unsubscribe of stop) unsubscribe();
      terminals.dispose();
      await consoles.dispose();
      flashJobs.dispose();
      for (const service of [discovery, telemetry, bench, install, boards, demo]) await service.dispose();
      results.close();
    },
  };
}
export type { Workbench, WorkbenchOptions } from './workbench-options.ts';
