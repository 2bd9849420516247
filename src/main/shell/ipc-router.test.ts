import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFakeIpc } from '../../../test/support/fake-ipc.ts';
import { createIpcBridge } from '../../preload/bridge.ts';
import { createWorkbench, type Workbench } from '../app.ts';
import { openConfStore } from '../store/conf-store.ts';
import { routeIpc } from './ipc-router.ts';
import { checkoutResources } from './checkout-resources.ts';

const appUrl = 'file:///opt/jwb/resources/app.asar/.vite/renderer/main_window/index.html';
let dataDir: string;
let workbench: Workbench;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-ipc-'));
  workbench = createWorkbench({ shell: 'test', resources: checkoutResources, dataDir, store: openConfStore(dataDir) });
});
afterEach(async () => {
  await workbench.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it.each([
  ['a page from another origin', 'https://evil.example/', false],
  ['another local file', 'file:///tmp/evil.html', false],
  ['an iframe inside our page', appUrl, true],
])('refuses requests from %s', async (_name, url, subframe) => {
  const fake = createFakeIpc(url, { subframe });
  routeIpc(fake.ipcMain, workbench, (candidate) => candidate === appUrl);
  const result = await createIpcBridge(fake.ipcRenderer).call['app.info']({});
  expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

it('stops sending events to a window once it is destroyed, and detaches completely', async () => {
  const fake = createFakeIpc(appUrl);
  const detach = routeIpc(fake.ipcMain, workbench, (candidate) => candidate === appUrl);
  const bridge = createIpcBridge(fake.ipcRenderer);
  const seen: string[] = [];
  bridge.on('settings.onDidChange', (preferences) => seen.push(preferences.theme));
  await bridge.call['settings.get']({});
  await bridge.call['settings.update']({ theme: 'light' });
  await expect.poll(() => seen).toEqual(['light']);
  fake.destroy();
  await bridge.call['settings.update']({ theme: 'dark' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(seen).toEqual(['light']);
  const listenersBefore = workbench.events.listenerCount;
  detach();
  expect(fake.handlerCount).toBe(0);
  expect(workbench.events.listenerCount).toBe(listenersBefore - 1);
});
