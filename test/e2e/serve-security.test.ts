/**
 * What a browser may not do to the serve shell: open it without the token
 * printed at start, or reach it from a page of another origin (framing,
 * WebSocket, reading it with fetch), even in a browser that holds the cookie;
 * and what its cookie must not give a program on another port of 127.0.0.1
 * (browsers send it there too): any way to drive the workbench. Two
 * workbenches in one browser stay logged in, each to its own.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServeShell, type ServeShell } from '../../src/main/shell/serve.ts';
import { launchChromium, requireRendererBuild } from './browser.ts';

let browser: Browser;
let shell: ServeShell;
let dataDir: string;

beforeAll(async () => {
  requireRendererBuild();
  dataDir = await mkdtemp(join(tmpdir(), 'jwb-e2e-'));
  shell = await startServeShell({ dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await shell?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function withContext<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await use(context);
  } finally {
    await context.close();
  }
}

/** A page on another origin (another port of 127.0.0.1) that tries to use the workbench. */
function foreignPage(target: ServeShell): string {
  return `<!doctype html><meta charset="utf-8"><title>elsewhere</title>
<iframe id="frame" src="${target.origin}/"></iframe>
<script>
  const results = {};
  const socket = new Promise((resolve) => {
    const ws = new WebSocket('ws://127.0.0.1:${target.port}/ws');
    ws.onopen = () => resolve('open');
    ws.onclose = () => resolve('refused');
  });
  const read = fetch('${target.origin}/', { credentials: 'include' }).then((r) => r.text()).then(() => 'read', () => 'blocked');
  const framed = new Promise((resolve) => document.getElementById('frame').addEventListener('load', () => resolve('loaded')));
  Promise.all([socket, read, framed]).then(([socket, read, framed]) => {
    window.results = { socket, read, framed };
  });
</script>`;
}

/** A server on another port of 127.0.0.1 that records the cookies the browser sends it. */
async function startSpy(): Promise<{ origin: string; cookies: string[]; close(): Promise<void> }> {
  const cookies: string[] = [];
  const spy: Server = createServer((request, response) => {
    if (request.headers.cookie) cookies.push(request.headers.cookie);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>spy</title>');
  });
  await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(spy.address() as AddressInfo).port}`,
    cookies,
    close: () => new Promise((resolve) => spy.close(() => resolve())),
  };
}

/** The status a WebSocket upgrade to `target` gets from Node (which, unlike a page, may send any Origin). */
function upgradeStatus(target: ServeShell, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws`, { headers });
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('the serve shell in a browser', () => {
  it('refuses the page without the token, or with a wrong one', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const bare = await page.goto(`${shell.origin}/`);
      expect(bare?.status()).toBe(401);
      expect(await page.locator('body').innerText()).toContain('npm run serve');
      expect(await page.getByRole('navigation').count()).toBe(0);

      const wrong = await page.goto(`${shell.origin}/?token=${'x'.repeat(shell.token.length)}`);
      expect(wrong?.status()).toBe(401);

      // Not even the renderer's files or the WebSocket.
      const script = await page.request.get(`${shell.origin}/index.html`);
      expect(script.status()).toBe(401);
      const socket = await page.evaluate(`new Promise((resolve) => {
        const ws = new WebSocket('ws://127.0.0.1:${shell.port}/ws');
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('refused');
      })`);
      expect(socket).toBe('refused');
    });
  });

  it('cannot be used from a page of another origin, even with the cookie', async () => {
    const foreign: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(foreignPage(shell));
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    try {
      await withContext(async (context) => {
        // This browser holds the token cookie: the workbench works in its own tab.
        const own = await context.newPage();
        await own.goto(shell.url);
        await own.getByRole('region', { name: 'Application' }).waitFor();
        await own.getByRole('contentinfo').getByText('Connected').waitFor();

        const page = await context.newPage();
        await page.goto(`${foreignOrigin}/`);
        await page.waitForFunction('window.results !== undefined');
        const results = (await page.evaluate('window.results')) as Record<string, string>;
        expect(results).toEqual({ socket: 'refused', read: 'blocked', framed: 'loaded' });
        // The frame "loaded" Chromium's error page: frame-ancestors 'none' kept the workbench out.
        const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
        expect(frame?.url()).not.toContain(shell.origin);
        expect(await frame?.getByRole('navigation').count()).toBe(0);
      });
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('keeps two workbenches of one browser logged in, each to its own, across reloads', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'jwb-e2e-other-'));
    const other = await startServeShell({ dataDir: otherDir });
    try {
      await withContext(async (context) => {
        const pages = [];
        for (const target of [shell, other]) {
          const page = await context.newPage();
          await page.goto(target.url);
          await page.getByRole('contentinfo').getByText('Connected').waitFor();
          expect(page.url()).not.toContain(target.token); // the token left the address bar
          pages.push(page);
        }
        for (const page of pages) {
          await page.reload();
          await page.getByRole('contentinfo').getByText('Connected').waitFor();
        }
        // What this browser holds for one workbench opens nothing of the other.
        const cookies = await context.cookies();
        const theirs = cookies.filter((cookie) => cookie.name.endsWith(`_${other.port}`));
        expect(theirs).toHaveLength(1);
        const cookie = `${theirs[0]!.name}=${theirs[0]!.value}`;
        expect((await fetch(`${shell.origin}/`, { headers: { cookie } })).status).toBe(401);
        expect(await upgradeStatus(shell, { cookie, origin: shell.origin })).toBe(401);
      });
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('gives a program on another port of 127.0.0.1 nothing it can drive the workbench with', async () => {
    const spy = await startSpy();
    try {
      await withContext(async (context) => {
        const own = await context.newPage();
        await own.goto(shell.url);
        await own.getByRole('contentinfo').getByText('Connected').waitFor();
        // Browsers send a host's cookies to every port of it: the spy gets ours.
        const page = await context.newPage();
        await page.goto(`${spy.origin}/`);
        expect(spy.cookies.length).toBeGreaterThan(0);
        for (const cookie of spy.cookies) {
          expect(cookie).not.toContain(shell.token);
          expect(await upgradeStatus(shell, { cookie })).toBe(403);
          expect(await upgradeStatus(shell, { cookie, origin: spy.origin })).toBe(403);
          // Replayed from a program, which can forge our Origin: still no way in.
          expect(await upgradeStatus(shell, { cookie, origin: shell.origin })).toBe(401);
        }
      });
    } finally {
      await spy.close();
    }
  });
});
