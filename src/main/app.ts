/**
 * The composition root: builds every service once and wires them to the
 * contract. No logic lives here; each shell (Electron, serve, CLI) calls
 * `createWorkbench` and then only talks to `dispatcher` and `events`.
 */
import { join } from 'node:path';
import type { AppInfo, shellKinds } from '../shared/api.ts';
import { createInProcessSimulator } from '../sim/in-process.ts';
import { BenchService } from './bench/service.ts';
import { BenchStore } from './bench/bench-store.ts';
import { BoardConnections } from './boards/connections.ts';
import { mirrorDemoBoards } from './boards/demo-mirror.ts';
import { BoardInventory } from './boards/inventory.ts';
import { ObservedKnownHosts } from './boards/observed-known-hosts.ts';
import { routeTerminalSource } from './boards/serial-terminal.ts';
import { Terminals } from './boards/terminal.ts';
import { Dispatcher } from './core/dispatcher.ts';
import { DemoBoards, type Simulator } from './demo/demo-boards.ts';
import { EventHub } from './core/event-hub.ts';
import { DiscoveryService, type DiscoveryServiceOptions } from './discovery/service.ts';
import { identify } from './identify/identify.ts';
import { loadRecipes } from './install/recipes.ts';
import { InstallService, withPassword } from './install/service.ts';
import { PasswordCache } from './link/passwords.ts';
import type { SerialBinding } from './link/serial-port-open.ts';
import { productInfo } from './product.ts';
import { SqliteResultStore } from './store/result-store.ts';
import { connectTarget } from './telemetry/connect-target.ts';
import { RecordingStore } from './telemetry/recording-store.ts';
import { TelemetryService } from './telemetry/telemetry-service.ts';
import { StoreSettings, type KeyValueStore } from './store/settings.ts';

export interface WorkbenchOptions {
  shell: (typeof shellKinds)[number];
  dataDir: string;
  /** electron-store in Electron, conf elsewhere (see `openConfStore`). */
  store: KeyValueStore;
  /** Demo mode's simulated boards; the built-in simulator when left out. */
  simulator?: Simulator;
  /** Discovery's sources (fake sysfs, serial list, ssh config) and scan timeouts; the real ones when left out. */
  discovery?: DiscoveryServiceOptions;
  /** serialport's binding for serial terminals; MockBinding in tests. */
  serialBinding?: SerialBinding;
  onInternalError?: (method: string, error: unknown) => void;
  /** Prints a report's HTML to a PDF file: Electron's own Chromium in the desktop app, else the computer's Chromium. */
  printPdf?: (html: string, pdfPath: string) => Promise<void>;
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
  const inventory = new BoardInventory(options.store);
  // One KnownHosts for every SSH path (boards and telemetry): two objects on one file would each
  // write back their own in-memory copy and undo the other's trusts.
  const knownHosts = new ObservedKnownHosts(join(options.dataDir, 'known-hosts.json'));
  const connections = new BoardConnections({
    inventory,
    knownHosts,
    passwords: new PasswordCache(),
    keyFolder: join(options.dataDir, 'ssh'),
    identify: (link) => identify(link),
  });
  const discovery = new DiscoveryService(options.discovery);
  const stopDiscoveryEvents = discovery.onDidChange((state) => events.emit('discovery.onDidChange', state));
  const terminalSource = routeTerminalSource(
    (boardId) => connections.link(boardId),
    (path) => discovery.hasSerialPort(path),
    options.serialBinding === undefined ? {} : { binding: options.serialBinding },
  );
  const terminals = new Terminals(terminalSource, {
    output: (terminalId, data) => events.emit('terminal.onDidOutput', { terminalId, data }),
    exit: (terminalId, code) => events.emit('terminal.onDidExit', { terminalId, code }),
  });
  const emitBoards = () => events.emit('boards.onDidChange', connections.summaries());
  const stopBoardEvents = [inventory.onDidChange(emitBoards), connections.onDidChange(emitBoards)];
  const stopDemoMirror = mirrorDemoBoards(demo, inventory, connections);

  const connectedBoard = (id: string) => ({ link: connections.link(id), label: inventory.require(id).name });
  const recordings = new RecordingStore(results.path);
  const telemetry = new TelemetryService({
    openLink: (target) => connectTarget(target, () => demo.list(), knownHosts, connectedBoard),
    store: recordings,
    exportDir: join(options.dataDir, 'exports'),
    emit: (topic, payload) => events.emit(topic, payload),
  });

  const benchStore = new BenchStore(results.path);
  const bench = new BenchService({
    store: benchStore,
    openTarget: (target) => connectTarget(target, () => demo.list(), knownHosts, connectedBoard),
    sudoPasswordOf: (target) =>
      'demoBoardId' in target
        ? demo.list().find((board) => board.id === target.demoBoardId)?.password
        : 'password' in target
          ? target.password
          : undefined, // A board connected in the Boards view: its password is not handed to benchmarks.
    emit: (topic, payload) => events.emit(topic, payload),
    reportDir: join(options.dataDir, 'reports'),
    ...(options.printPdf === undefined ? {} : { printPdf: options.printPdf }),
  });

  const demoPasswordOf = (boardId: string) => demo.list().find((board) => board.id === connections.summary(boardId).demoId)?.password;
  const install = new InstallService({
    recipes: () => loadRecipes(),
    board: (boardId) => ({
      link: connections.link(boardId),
      facts: connections.details(boardId).facts,
      ...withPassword(demoPasswordOf(boardId)),
    }),
    facts: (boardId) => connections.details(boardId).facts,
    isDemo: (boardId) => connections.summary(boardId).demoId !== null,
    stateFolder: join(options.dataDir, 'installs'),
    emit: (topic, payload) => events.emit(topic, payload),
  });

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
      'boards.list': () => connections.summaries(),
      'boards.add': (board) => connections.summary(inventory.add(board).id),
      'boards.update': ({ id, name, notes }) => connections.summary(inventory.update(id, { name, notes }).id),
      'boards.remove': async ({ id, forgetKey }) => ({ removed: await connections.remove(id, forgetKey) }),
      'boards.connect': ({ id, password }) => connections.connect(id, password),
      'boards.disconnect': ({ id }) => connections.disconnect(id),
      'boards.trustHostKey': ({ id, fingerprint }) => connections.trustHostKey(id, fingerprint),
      'boards.installKey': ({ id }) => connections.installKey(id),
      'boards.details': ({ id }) => connections.details(id),
      'terminal.open': async ({ boardId, cols, rows }) => ({ terminalId: await terminals.open(boardId, cols, rows) }),
      'terminal.input': ({ terminalId, data }) => (terminals.input(terminalId, data), {}),
      'terminal.resize': ({ terminalId, cols, rows }) => (terminals.resize(terminalId, cols, rows), {}),
      'terminal.close': ({ terminalId }) => ({ closed: terminals.close(terminalId) }),
      'discovery.list': () => discovery.list(),
      'discovery.scan': ({ range, ports }) => discovery.scan(range, ports),
      'discovery.stop': async () => ({ stopped: await discovery.stopScan() }),
      'discovery.addSerialPort': ({ path }) => discovery.addSerialPort(path),
      'telemetry.start': ({ target, source, intervalMs }) => telemetry.start(target, source, intervalMs),
      'telemetry.stop': async ({ board }) => ({ stopped: await telemetry.stop(board) }),
      'telemetry.list': () => telemetry.list(),
      'telemetry.mark': ({ board, label }) => telemetry.mark(board, label),
      'telemetry.record.start': ({ board, title }) => telemetry.startRecording(board, title),
      'telemetry.record.stop': ({ board }) => telemetry.stopRecording(board),
      'telemetry.recordings': ({ limit }) => telemetry.recordings(limit),
      'telemetry.exportCsv': ({ id }) => telemetry.exportCsv(id),
      'bench.plan.estimate': ({ plan }) => bench.estimate(plan),
      'bench.start': ({ plan }) => bench.start(plan),
      'bench.cancel': ({ planId }) => ({ cancelled: bench.cancel(planId) }),
      'bench.runs': ({ planId, limit }) => bench.runs(planId, limit),
      'bench.report': ({ planId, save, pdf }) => bench.report(planId, save, pdf),
      'install.recipes': ({ boardId }) => install.recipes(boardId),
      'install.start': (request) => install.start(request),
      'install.cancel': ({ installId }) => ({ cancelled: install.cancel(installId) }),
      'install.procedure': ({ installId }) => install.procedure(installId),
    },
    options.onInternalError,
  );

  return {
    dispatcher,
    events,
    async dispose() {
      stopSettingsEvents();
      stopDemoEvents();
      stopDemoMirror();
      for (const stop of stopBoardEvents) stop();
      terminals.dispose();
      stopDiscoveryEvents();
      await discovery.dispose();
      await connections.dispose();
      await telemetry.dispose();
      await bench.dispose();
      await install.dispose();
      benchStore.close();
      recordings.close();
      await demo.dispose();
      results.close();
    },
  };
}
