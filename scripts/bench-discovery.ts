/**
 * Budget of issue 4: 32 simulated boards on 127.0.0.2–.33 all found and
 * identified in under 3 s. The fleet runs in a child `jwb sim` process (as a
 * lab's boards would be elsewhere); this process scans the range for SSH,
 * then logs in to each board (trusting its key on first use, as a first
 * session would) and runs the one-round-trip identification.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DiscoveryAggregator } from '../src/main/discovery/aggregator.ts';
import { SshScanSource } from '../src/main/discovery/ssh-scan-source.ts';
import { createWorkbench } from '../src/main/app.ts';
import { checkoutResources } from '../src/main/shell/checkout-resources.ts';
import { openConfStore } from '../src/main/store/conf-store.ts';
import type { BoardDescriptor } from '../src/sim/fleet.ts';

const count = 32;
const port = 22024;

export async function benchDiscovery(): Promise<Record<string, number>> {
  const jwb = new URL('../bin/jwb.js', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [jwb, 'sim', '--model', 'orin-nano', '--count', String(count), '--host', '127.0.0.2', '--port', String(port), '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'jwb-bench-discovery-'));
  try {
    const boards: BoardDescriptor[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      boards.push(JSON.parse(line) as BoardDescriptor);
      if (boards.length === count) break;
    }
    // The product's path: the workbench's dispatcher, trusting each board on first use as `jwb discover --identify` does.
    const workbench = createWorkbench({
      shell: 'cli',
      dataDir,
      store: openConfStore(dataDir),
      resources: checkoutResources,
      discovery: { sources: { usb: false, serial: false, sshConfig: false } },
      trust: { kind: 'on-first-use', onNewHost: () => undefined },
    });
    const started = performance.now();
    const scan = new SshScanSource({ range: '127.0.0.2-127.0.0.33', ports: [port], timeoutMs: 500, hostKeys: false });
    const identifications: Array<Promise<boolean>> = [];
    scan.onDidChange((event) => {
      if (event.type !== 'add') return;
      const board = { kind: 'address', host: String(event.port.properties.host), port, user: 'jetson', password: 'jetson' };
      identifications.push(
        workbench.dispatcher
          .handle('boards.identify', { board }, { via: 'cli' })
          .then((result) => result.ok && (result.value as { facts: { kind: string; jetpack: string | null } }).facts.jetpack !== null),
      );
    });
    const aggregator = new DiscoveryAggregator([scan]);
    await aggregator.start();
    const found = aggregator.flush().length;
    const foundMs = performance.now() - started;
    const identified = (await Promise.all(identifications)).filter(Boolean).length;
    const totalMs = performance.now() - started;
    await aggregator.stop();
    await workbench.dispose();
    process.stdout.write(
      `  found ${found} of ${count} boards in ${foundMs.toFixed(0)} ms; ${identified} identified after ${totalMs.toFixed(0)} ms\n`,
    );
    return {
      'boards found': found,
      'boards identified': identified,
      'discover 32 boards, ms': foundMs,
      'discover + identify 32 boards, ms': totalMs,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchDiscovery();
  for (const [label, value] of Object.entries(figures)) process.stdout.write(`  ${label.padEnd(40)} ${value.toFixed(0)}\n`);
}
