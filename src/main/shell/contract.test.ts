/**
 * The contract suite: the same behaviour through every transport a renderer
 * can use. In-memory, the serve shell's WebSocket, and Electron's IPC router
 * driven by an in-memory ipcMain/ipcRenderer pair (the Electron binary is
 * not available on our build machines).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WorkbenchBridge } from '../../shared/api.ts';
import { createRemoteBridge, type ServerMessage } from '../../shared/wire.ts';
import { createIpcBridge } from '../../preload/bridge.ts';
import { createWorkbench, type Workbench } from '../app.ts';
import { createMemoryBridge } from '../../../test/support/memory-transport.ts';
import { productInfo } from '../product.ts';
import { openConfStore } from '../store/conf-store.ts';
import { migrations } from '../store/migrations.ts';
import { createFakeIpc } from '../../../test/support/fake-ipc.ts';
import { routeIpc } from './ipc-router.ts';
import { startServeShell } from './serve.ts';
import { connect, exec } from '../../sim/testing.ts';
import { checkoutResources } from './checkout-resources.ts';

interface Harness {
  bridge: WorkbenchBridge;
  close(): Promise<void> | void;
}

const transports: Record<string, (workbench: Workbench) => Promise<Harness>> = {
  memory: async (workbench) => createMemoryBridge(workbench),
  websocket: async (workbench) => {
    const shell = await startServeShell({ dataDir: 'unused', workbench, rendererDir: tmpdir() });
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const bridge = createRemoteBridge({
      send: (message) => ws.send(JSON.stringify(message)),
      onMessage: (listener) => ws.on('message', (data) => listener(JSON.parse(data.toString()) as ServerMessage)),
      onClose: (listener) => ws.on('close', () => listener('closed')),
    });
    return { bridge, close: () => (ws.close(), shell.close()) };
  },
  ipc: async (workbench) => {
    const fake = createFakeIpc('file:///app/.vite/renderer/main_window/index.html');
    const detach = routeIpc(fake.ipcMain, workbench, (url) => url === 'file:///app/.vite/renderer/main_window/index.html');
    return { bridge: createIpcBridge(fake.ipcRenderer), close: detach };
  },
};

let dataDir: string;
let workbench: Workbench;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jwb-contract-'));
  workbench = createWorkbench({ shell: 'test', resources: checkoutResources, dataDir, store: openConfStore(dataDir) });
});

afterEach(async () => {
  await workbench.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(Object.keys(transports))('the contract over %s', (name) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await transports[name]!(workbench);
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers app.info with the product, shell and data folder', async () => {
    const result = await harness.bridge.call['app.info']({});
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ name: productInfo.name, version: productInfo.version, shell: 'test', dataDir }),
    });
    if (result.ok) expect(result.value.database).toEqual({ path: join(dataDir, 'results.sqlite'), schemaVersion: migrations.length });
  });

  it('updates settings, persists them and tells subscribers', async () => {
    const seen: string[] = [];
    const stop = harness.bridge.on('settings.onDidChange', (preferences) => seen.push(preferences.language));
    await harness.bridge.call['settings.get']({}); // a round trip, so the subscription has reached main
    expect(await harness.bridge.call['settings.update']({ language: 'fr' })).toEqual({
      ok: true,
      value: { language: 'fr', theme: 'system' },
    });
    await expect.poll(() => seen).toEqual(['fr']);
    stop();
    await harness.bridge.call['settings.update']({ theme: 'dark' });
    expect(await harness.bridge.call['settings.get']({})).toEqual({ ok: true, value: { language: 'fr', theme: 'dark' } });
    expect(seen).toEqual(['fr']);
    expect(openConfStore(dataDir).get('preferences')).toEqual({ language: 'fr', theme: 'dark' });
  });

  it('refuses an invalid value with a structured error, not a trace', async () => {
    const result = await harness.bridge.call['settings.update']({ language: 'de' as 'en' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.any(String) } });
    if (!result.ok) {
      expect(result.error.detail).toContain('language');
      expect(JSON.stringify(result)).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(await harness.bridge.call['settings.get']({})).toMatchObject({ ok: true, value: { language: 'en' } });
  });

  it('refuses fields the contract does not know', async () => {
    const result = await harness.bridge.call['settings.update']({ theme: 'dark', shell: 'x' } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('starts a simulated board that a real SSH client can log into, and stops it', async () => {
    const profiles = await harness.bridge.call['demo.profiles']({});
    expect(profiles.ok && profiles.value.map((profile) => profile.id)).toContain('orin-nano');
    const changes: number[] = [];
    harness.bridge.on('demo.onDidChange', (boards) => changes.push(boards.length));
    const added = await harness.bridge.call['demo.add']({ profile: 'orin-nano' });
    if (!added.ok) throw new Error(added.error.message);
    expect(added.value).toMatchObject({
      profile: 'orin-nano',
      host: expect.stringMatching(/^127\.0\.0\.\d+$/),
      fingerprint: expect.stringMatching(/^SHA256:/),
    });
    const client = await connect({ ...added.value, model: 'orin-nano', modelName: '', serialPath: null, name: added.value.name });
    const model = await exec(client, 'cat /proc/device-tree/model');
    client.end();
    expect(model.stdout).toMatch(/Orin Nano/);
    expect(await harness.bridge.call['demo.list']({})).toMatchObject({ ok: true, value: [{ id: added.value.id }] });
    expect(await harness.bridge.call['demo.remove']({ id: added.value.id })).toEqual({ ok: true, value: { removed: true } });
    expect(await harness.bridge.call['demo.remove']({ id: added.value.id })).toEqual({ ok: true, value: { removed: false } });
    await expect.poll(() => changes).toEqual([1, 0]);
    await expect(connect({ ...added.value, model: 'orin-nano', modelName: '', serialPath: null })).rejects.toThrow();
  });

  it('refuses a simulated board of an unknown kind', async () => {
    expect(await harness.bridge.call['demo.add']({ profile: 'jetson-tk1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });
});
