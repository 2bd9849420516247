import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServeShell, type ServeShell } from './serve.ts';

let root: string;
let shell: ServeShell;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jwb-serve-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>jwb</title>');
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');
  shell = await startServeShell({ dataDir: join(root, 'data'), rendererDir });
});

afterAll(async () => {
  await shell.close();
  rmSync(root, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, port = shell.port) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The cookie `target` sets for its printed URL, as a `Cookie` header would carry it. */
async function pagePass(target: ServeShell): Promise<string> {
  const response = await get(`/?token=${target.token}`, {}, target.port);
  return String(response.headers['set-cookie']).split(';')[0]!;
}

/** Resolves with the HTTP status the upgrade got (101 when it was accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('the serve shell', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses a page request without the token', async () => {
    const response = await get('/');
    expect(response.status).toBe(401);
    expect(response.body).toContain('npm run serve');
  });

  it('moves the token to the fragment, sets a page pass cookie for this port and serves the renderer with a strict CSP', async () => {
    const first = await get(`/?token=${shell.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/#token=${shell.token}`);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^jwb_page_${shell.port}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(shell.token);
    const page = await get('/', { cookie: await pagePass(shell) });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>jwb</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a wrong token, a foreign Origin, a foreign Host and files outside the renderer', async () => {
    const cookie = await pagePass(shell);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { cookie, host: 'attacker.example' })).status).toBe(403);
    expect((await get('/../secret.txt', { cookie })).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', { cookie })).status).toBe(404);
  });

  it('accepts a WebSocket with the token from our own origin and refuses one without it or from anywhere else', async () => {
    const ws = `ws://127.0.0.1:${shell.port}/ws`;
    const origin = shell.origin;
    expect(await upgradeStatus(`${ws}?token=${shell.token}`, { origin })).toBe(101);
    expect(await upgradeStatus(ws, { origin })).toBe(401);
    expect(await upgradeStatus(`${ws}?token=nope`, { origin })).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${shell.token}`)).toBe(403);
    expect(await upgradeStatus(`${ws}?token=${shell.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${ws}?token=${shell.token}`, { origin: `http://127.0.0.1:${shell.port + 1}` })).toBe(403);
  });

  it('never lets its cookie open the WebSocket: other programs on 127.0.0.1 receive it too', async () => {
    const ws = `ws://127.0.0.1:${shell.port}/ws`;
    const cookie = await pagePass(shell);
    expect(await upgradeStatus(ws, { cookie })).not.toBe(101);
    expect(await upgradeStatus(ws, { cookie, origin: 'http://127.0.0.1:1' })).not.toBe(101);
    // A program that saw the cookie can forge our Origin; the cookie still opens nothing.
    expect(await upgradeStatus(ws, { cookie, origin: shell.origin })).toBe(401);
  });

  it('keeps two workbenches of one browser apart: each its own cookie, neither opening the other', async () => {
    const other = await startServeShell({ dataDir: join(root, 'other-data'), rendererDir: join(root, 'renderer') });
    try {
      const [ours, theirs] = [await pagePass(shell), await pagePass(other)];
      expect(ours.split('=')[0]).not.toBe(theirs.split('=')[0]);
      expect((await get('/', { cookie: `${ours}; ${theirs}` })).status).toBe(200);
      expect((await get('/', { cookie: theirs })).status).toBe(401);
      expect(await upgradeStatus(`ws://127.0.0.1:${shell.port}/ws?token=${other.token}`, { origin: shell.origin, cookie: theirs })).toBe(
        401,
      );
    } finally {
      await other.close();
    }
  });

  it('answers a malformed request frame without crashing and keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin });
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ type: 'nonsense' }));
    ws.send(JSON.stringify({ type: 'request', id: 7, method: 'app.shutdown', input: {} }));
    ws.send(JSON.stringify({ type: 'request', id: 8, method: 'app.info', input: { extra: 1 } }));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies).toEqual([
      { type: 'response', id: 7, result: { ok: false, error: expect.objectContaining({ code: 'unknown-method' }) } },
      { type: 'response', id: 8, result: { ok: false, error: expect.objectContaining({ code: 'invalid-request' }) } },
    ]);
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send('{not json');
    expect(await closed).toBe(1007);
  });

  it('will not listen on anything but loopback', async () => {
    await expect(startServeShell({ dataDir: root, host: '0.0.0.0' })).rejects.toThrow(/only listens on this computer/);
  });
});
