import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../shared/wire.ts';
import { openBridge } from './bridge.ts';
import type { ConnectionState } from './connection.ts';
import { decodeServerMessage, type SocketLike } from './socket-pipe.ts';
import { openWebSocketBridge } from './websocket-bridge.ts';

type Listener = (event: never) => void;

/** A scripted WebSocket: the test opens, answers and drops it. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientMessage[] = [];
  readonly #listeners = new Map<string, Listener[]>();
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send() on a socket that is not open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#fire('close', { code, reason });
  }

  open(): void {
    this.readyState = 1;
    this.#fire('open', {});
  }

  receive(message: ServerMessage): void {
    this.#fire('message', { data: JSON.stringify(message) });
  }

  #fire(type: string, event: object): void {
    for (const listener of this.#listeners.get(type) ?? []) listener(event as never);
  }
}

let sockets: FakeSocket[];
let states: ConnectionState[];

function open() {
  const handle = openWebSocketBridge(() => 'ws://127.0.0.1:1234/ws', {
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    initialDelayMs: 100,
    maxDelayMs: 400,
  });
  handle.connection.onDidChange((state) => states.push(state));
  return handle;
}

function last<T>(items: T[]): T {
  const item = items.at(-1);
  if (item === undefined) throw new Error('empty');
  return item;
}

beforeEach(() => {
  sockets = [];
  states = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('openWebSocketBridge', () => {
  it('holds requests until the socket opens, then answers them', async () => {
    const { bridge, connection } = open();
    expect(connection.state).toBe('connecting');
    const answer = bridge.call['app.info']({});

    const socket = last(sockets);
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(connection.state).toBe('connected');
    expect(socket.sent).toEqual([{ type: 'request', id: 1, method: 'app.info', input: {} }]);

    socket.receive({ type: 'response', id: 1, result: { ok: true, value: { language: 'en', theme: 'dark' } } });
    await expect(answer).resolves.toEqual({ ok: true, value: { language: 'en', theme: 'dark' } });
  });

  it('fails pending requests as unavailable when the socket drops', async () => {
    const { bridge } = open();
    last(sockets).open();
    const answer = bridge.call['settings.get']({});
    last(sockets).close(1006);

    const result = await answer;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('unavailable');
      expect(result.error.detail).toContain('1006');
    }
  });

  it('reconnects with growing delays and moves event listeners to the new socket', async () => {
    const { bridge } = open();
    const heard: unknown[] = [];
    bridge.on('settings.onDidChange', (preferences) => heard.push(preferences));
    last(sockets).open();
    expect(last(sockets).sent).toEqual([{ type: 'subscribe', topic: 'settings.onDidChange' }]);

    last(sockets).close(1006);
    expect(states).toEqual(['connected', 'lost']);
    await vi.advanceTimersByTimeAsync(99);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);

    // The second try fails before opening: the next wait doubles.
    last(sockets).close(1006);
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);

    const socket = last(sockets);
    socket.open();
    expect(states).toEqual(['connected', 'lost', 'connected']);
    expect(socket.sent).toEqual([{ type: 'subscribe', topic: 'settings.onDidChange' }]);
    socket.receive({ type: 'event', topic: 'settings.onDidChange', payload: { language: 'fr', theme: 'light' } });
    expect(heard).toEqual([{ language: 'fr', theme: 'light' }]);

    // A successful connection resets the back-off.
    socket.close(1006);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(4);
  });

  it('unsubscribes when the last listener of a topic leaves', () => {
    const { bridge } = open();
    last(sockets).open();
    const first = bridge.on('settings.onDidChange', () => {});
    const second = bridge.on('settings.onDidChange', () => {});
    first();
    expect(last(sockets).sent).toEqual([{ type: 'subscribe', topic: 'settings.onDidChange' }]);
    second();
    expect(last(sockets).sent.at(-1)).toEqual({ type: 'unsubscribe', topic: 'settings.onDidChange' });
  });

  it('stops reconnecting once disposed', async () => {
    const handle = open();
    last(sockets).open();
    handle.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect(last(sockets).readyState).toBe(3);
  });
});

/** A page's address, history and storage, as `openBridge` sees them. */
function pageScope(href: string, stored: Record<string, string> = {}) {
  const url = new URL(href);
  const location = { protocol: url.protocol, host: url.host, pathname: url.pathname, search: url.search, hash: url.hash };
  const addresses: string[] = [];
  return {
    location,
    addresses,
    stored,
    history: { replaceState: (_data: unknown, _unused: string, address: string) => void addresses.push(address) },
    localStorage: { getItem: (key: string) => stored[key] ?? null, setItem: (key: string, value: string) => void (stored[key] = value) },
  };
}

describe('openBridge', () => {
  const options = { createSocket: (url: string) => (sockets.push(new FakeSocket(url)), last(sockets)), initialDelayMs: 100 };

  it('uses the bridge exposed by the Electron preload when there is one', () => {
    const workbench = { call: {}, on: () => () => {} } as never;
    const handle = openBridge({ ...pageScope('file:///app/index.html'), workbench });
    expect(handle.bridge).toBe(workbench);
    expect(handle.connection.state).toBe('connected');
  });

  it('takes the token out of the address into storage, and opens /ws on the page origin with it', () => {
    const page = pageScope('http://127.0.0.1:8123/?lang=fr#token=abc-123');
    openBridge(page, options).dispose();
    expect(page.addresses).toEqual(['/?lang=fr']);
    expect(page.stored).toEqual({ 'jwb.accessToken': 'abc-123' });
    openBridge(pageScope('https://lab.example:443/#token=xyz'), options).dispose();
    expect(sockets.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:8123/ws?token=abc-123', 'wss://lab.example/ws?token=xyz']);
  });

  it('after a reload, or in a second window, uses the token kept in storage and leaves the address alone', () => {
    const page = pageScope('http://127.0.0.1:8123/#/settings', { 'jwb.accessToken': 'kept' });
    openBridge(page, options).dispose();
    expect(page.addresses).toEqual([]);
    expect(last(sockets).url).toBe('ws://127.0.0.1:8123/ws?token=kept');
  });

  it('reads the token again for each new socket', async () => {
    const page = pageScope('http://127.0.0.1:8123/#token=old');
    const handle = openBridge(page, options);
    last(sockets).close(1006);
    page.stored['jwb.accessToken'] = 'new';
    await vi.advanceTimersByTimeAsync(100);
    expect(last(sockets).url).toBe('ws://127.0.0.1:8123/ws?token=new');
    handle.dispose();
  });
});

describe('a request too large for the serve shell', () => {
  it('fails on its own, unsent, and the socket stays open for the others', async () => {
    const { bridge } = open();
    const socket = last(sockets);
    socket.open();
    const huge = await bridge.call['terminal.input']({ terminalId: 't', data: '\u0001'.repeat(200_000) });
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid-request', detail: 'over 1048576 bytes' } });
    expect(socket.sent).toEqual([]);
    expect(socket.readyState).toBe(1);
    const answer = bridge.call['app.info']({});
    expect(socket.sent).toEqual([{ type: 'request', id: 2, method: 'app.info', input: {} }]);
    socket.receive({ type: 'response', id: 2, result: { ok: true, value: {} } });
    await expect(answer).resolves.toMatchObject({ ok: true });
  });
});

describe('decodeServerMessage', () => {
  it('accepts responses and events and drops anything else', () => {
    const response = { type: 'response', id: 3, result: { ok: false, error: { code: 'internal', message: 'x' } } };
    expect(decodeServerMessage(JSON.stringify(response))).toEqual(response);
    expect(decodeServerMessage('{"type":"event","topic":"settings.onDidChange","payload":{}}')).toBeTruthy();
    expect(decodeServerMessage('not json')).toBeUndefined();
    expect(decodeServerMessage('{"type":"response","id":"3","result":{"ok":true,"value":1}}')).toBeUndefined();
    expect(decodeServerMessage('{"type":"response","id":3,"result":{"ok":true}}')).toBeUndefined();
    expect(decodeServerMessage(new ArrayBuffer(2))).toBeUndefined();
  });
});
