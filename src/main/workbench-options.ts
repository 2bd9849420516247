/** What a shell gives `createWorkbench` (src/main/app.ts), and what it gets back. */
import type { shellKinds } from '../shared/api.ts';
import type { TrustPolicy } from './boards/board-registry.ts';
import type { Dispatcher } from './core/dispatcher.ts';
import type { EventHub } from './core/event-hub.ts';
import type { Simulator } from './demo/demo-boards.ts';
import type { DiscoveryServiceOptions } from './discovery/service.ts';
import type { Elevate } from './flash/writer-client.ts';
import type { SerialBinding } from './link/serial-port-open.ts';
import type { Resources } from './resources.ts';
import type { KeyValueStore } from './store/settings.ts';

export interface WorkbenchOptions {
  shell: (typeof shellKinds)[number];
  dataDir: string;
  /** electron-store in Electron, conf elsewhere (see `openConfStore`). */
  store: KeyValueStore;
  /** The agent and recipe folders, as the shell finds them (a checkout, a packaged app). */
  resources: Resources;
  /** How boards reached by address are trusted: known keys only (the app), or on first use (the CLI). */
  trust?: TrustPolicy;
  /** Demo mode's simulated boards; the built-in simulator when left out. */
  simulator?: Simulator;
  /** Discovery's sources (fake sysfs, serial list, ssh config) and scan timeouts; the real ones when left out. */
  discovery?: DiscoveryServiceOptions;
  /** serialport's binding for serial terminals; MockBinding in tests. */
  serialBinding?: SerialBinding;
  /** How the privileged SD writer is started: the shell's elevation and, under Electron, Node mode. */
  writer?: { elevate?: Elevate; env?: Readonly<Record<string, string>>; execPath?: string };
  onInternalError?: (method: string, error: unknown) => void;
  /** Prints a report's HTML to a PDF file: Electron's own Chromium in the desktop app, else the computer's Chromium. */
  printPdf?: (html: string, pdfPath: string) => Promise<void>;
}

export interface Workbench {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  dispose(): Promise<void>;
}
