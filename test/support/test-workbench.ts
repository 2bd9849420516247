/**
 * A workbench for a test, as a shell builds one: a fresh data folder, the
 * checkout's resources, conf settings, and a renderer-side bridge over the
 * in-memory transport. `dispose` closes the bridge, the core and removes the
 * folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkbenchBridge } from '../../src/shared/api.ts';
import type { Result } from '../../src/shared/errors.ts';
import { createWorkbench, type Workbench, type WorkbenchOptions } from '../../src/main/app.ts';
import { checkoutResources } from '../../src/main/shell/checkout-resources.ts';
import { openConfStore } from '../../src/main/store/conf-store.ts';
import { createMemoryBridge } from './memory-transport.ts';

export interface TestWorkbench {
  dataDir: string;
  workbench: Workbench;
  bridge: WorkbenchBridge;
  dispose(): Promise<void>;
}

type Options = Partial<Omit<WorkbenchOptions, 'dataDir'>>;

/** `options` may depend on the data folder (a simulator's sandboxes, a fake sysfs inside it). */
export function openTestWorkbench(prefix: string, options: Options | ((dataDir: string) => Options) = {}): TestWorkbench {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const extra = typeof options === 'function' ? options(dataDir) : options;
  const workbench = createWorkbench({ shell: 'test', resources: checkoutResources, store: openConfStore(dataDir), ...extra, dataDir });
  const { bridge, close } = createMemoryBridge(workbench);
  return {
    dataDir,
    workbench,
    bridge,
    async dispose() {
      close();
      await workbench.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The value of a successful answer; a failed one fails the test with its code and message. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
