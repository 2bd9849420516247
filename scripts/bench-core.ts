/** Figures for the foundation: start-up and contract round trips. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createRemoteBridge, type ServerMessage } from '../src/shared/wire.ts';
import { startServeShell } from '../src/main/shell/serve.ts';
import { quantile } from './stats.ts';

export async function benchCore(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jwb-bench-'));
  try {
    const cliRuns = Array.from({ length: 5 }, () => {
      const started = performance.now();
      spawnSync(process.execPath, [new URL('../bin/jwb.js', import.meta.url).pathname, 'version', '--json'], {
        env: { ...process.env, JWB_DATA_DIR: dataDir },
      });
      return performance.now() - started;
    });

    const serveStarted = performance.now();
    const shell = await startServeShell({ dataDir });
    const serveStartMs = performance.now() - serveStarted;

    // The serve shell accepts upgrades from its own page only (issue 16): say so, as that page does.
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: `http://127.0.0.1:${shell.port}` });
    await new Promise((resolve) => ws.once('open', resolve));
    const bridge = createRemoteBridge({
      send: (message) => ws.send(JSON.stringify(message)),
      onMessage: (listener) => ws.on('message', (data) => listener(JSON.parse(data.toString()) as ServerMessage)),
      onClose: (listener) => ws.on('close', () => listener('closed')),
    });
    const roundTrips: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = performance.now();
      await bridge.call['app.info']({});
      roundTrips.push(performance.now() - started);
    }
    ws.close();
    await shell.close();
    return {
      'cli start (jwb version), median ms': quantile(cliRuns, 0.5),
      'serve shell start, ms': serveStartMs,
      'app.info over WebSocket, p50 ms': quantile(roundTrips, 0.5),
      'app.info over WebSocket, p95 ms': quantile(roundTrips, 0.95),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
