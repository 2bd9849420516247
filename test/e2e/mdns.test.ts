/**
 * mDNS end to end, with every packet inside network namespaces this test
 * makes (test/support/netns.ts): namespace A holds a responder that
 * announces a board like avahi; namespace B holds the whole workbench side,
 * the serve shell (`ip netns exec B jwb serve`), the simulated board's SSH
 * on B's own loopback and Chromium itself (started through a wrapper that
 * runs it in B, driven by Playwright over stdio pipes), so the page reaches
 * the serve shell on B's loopback. The person picks B's veth interface,
 * browses, sees the board, adds it and connects to it.
 *
 * The announced A record is the simulated board's loopback address in B:
 * simulated boards only listen on 127.0.0.0/8, so that is where it answers
 * SSH, while its announcement really crosses the veth from A.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespacePair, type NamespaceEnd, type NamespacePair } from '../support/netns.ts';
import { jwbEntry } from '../support/run-jwb.ts';
import type { BoardDescriptor } from '../../src/sim/fleet.ts';
import { connectFromCard } from './boards-page.ts';
import { collectProblems, findChromium, launchChromium, requireRendererBuild, watchPage } from './browser.ts';

const responderPath = new URL('../support/mdns-netns/responder.ts', import.meta.url).pathname;
const pair = createNamespacePair('jwbe2e-mdns');
const skipReason = typeof pair === 'string' ? pair : undefined;
if (skipReason !== undefined) process.stdout.write(`mdns.test.ts skipped: ${skipReason}\n`);

const children: ChildProcess[] = [];
let folder = '';
let browser: Browser | undefined;

/** Starts `argv` inside `end`'s namespace and resolves with its first stdout line (its JSON, or "ready"). */
async function startIn(namespaces: NamespacePair, end: NamespaceEnd, argv: string[]): Promise<string> {
  const child = spawn('ip', namespaces.exec(end, argv), { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (typeof first.value !== 'string') throw new Error(`${argv.join(' ')} exited before printing`);
  return first.value;
}

/** Chromium as Playwright launches it, but inside the namespace: the same flags and pipes, another network. */
function chromiumIn(end: NamespaceEnd): string {
  const wrapper = join(folder, 'chromium-in-namespace.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${end.name}' '${findChromium()}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

beforeAll(async () => {
  if (typeof pair === 'string') return;
  requireRendererBuild();
  folder = mkdtempSync(join(tmpdir(), 'jwb-e2e-mdns-'));
  browser = await launchChromium(chromiumIn(pair.b));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  if (typeof pair !== 'string') pair.dispose();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('mDNS browsing in the Boards view', () => {
  it('finds the board announced on the picked interface, adds it and connects to it', { timeout: 150_000 }, async () => {
    if (typeof pair === 'string' || browser === undefined) return;
    const { a, b } = pair;
    const env = ['env', `JWB_DATA_DIR=${join(folder, 'data')}`, process.execPath, jwbEntry];
    const sim = JSON.parse(await startIn(pair, b, [...env, 'sim', '--host', '127.0.0.2', '--port', '2222', '--json'])) as BoardDescriptor;
    expect(await startIn(pair, a, [process.execPath, responderPath, a.address, 'orin-lab', String(sim.port), sim.host])).toBe('ready');
    const { url } = JSON.parse(await startIn(pair, b, [...env, 'serve', '--json'])) as { url: string };

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = await watchPage(page);
    await page.goto(url);
    await page.getByRole('contentinfo').getByText('Connected').waitFor();
    await page.getByRole('link', { name: 'Boards', exact: true }).click();

    const browse = page.getByRole('region', { name: 'Browse the local network (mDNS)' });
    // The serve shell lists namespace B's interfaces: its veth end only (loopback is left out).
    const choice = browse.getByRole('combobox', { name: 'Network interface' });
    expect(await choice.locator('option:not([disabled])').allInnerTexts()).toEqual([`jwbv-b (${b.address})`]);
    await choice.selectOption(b.address);
    await browse.getByRole('button', { name: 'Browse', exact: true }).click();
    await browse.getByText(`Listening for boards on jwbv-b (${b.address})…`).waitFor();

    const address = `${sim.host}:${sim.port}`;
    const results = page.getByRole('list', { name: 'Boards found on the network' });
    const found = results.getByRole('listitem').filter({ hasText: 'orin-lab' });
    await found.getByText(address, { exact: true }).waitFor({ timeout: 30_000 });
    await found.getByRole('textbox', { name: `User for ${address}` }).fill(sim.user);
    await found.getByRole('button', { name: `Add ${address} to the boards` }).click();
    await page.getByRole('region', { name: 'orin-lab' }).getByText('Offline').waitFor();
    expect(await connectFromCard(page, 'orin-lab', sim.password)).toBe(sim.fingerprint);

    await browse.getByRole('button', { name: 'Stop browsing' }).click();
    await browse.getByText('Browsing on jwbv-b finished: 1 found.').waitFor();
    expect(await collectProblems(page, problems)).toEqual([]);
    await context.close();
  });
});
