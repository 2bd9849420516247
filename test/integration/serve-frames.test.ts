/**
 * What a broken or hostile WebSocket client can do to the serve shell (run
 * as `jwb serve`, so a crash ends the process and not just a test): each bad
 * frame closes its own connection with the code RFC 6455 gives it, and the
 * process and every other client carry on. Messages that are JSON but not
 * ours are answered where they carry an id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frame, opcodes, openRaw, sendAndReset, upgradeRequest, type FrameSpec } from '../support/raw-websocket.ts';
import { startServeProcess, type ServeProcess } from '../support/serve-process.ts';

let shell: ServeProcess;
let bystander: WebSocket;
let nextId = 1;

beforeAll(async () => {
  shell = await startServeProcess();
  bystander = await openClient();
});

afterAll(async () => {
  bystander?.close();
  await shell?.stop();
});

function openClient(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin });
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject));
}

/** One request on `ws`, resolved with the response to it. */
function ask(ws: WebSocket, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onClose = (code: number) => reject(new Error(`the connection closed (${code}) before answering`));
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type !== 'response' || message.id !== id) return;
      ws.off('message', onMessage).off('close', onClose);
      resolve(message);
    };
    ws.on('message', onMessage).once('close', onClose);
    ws.send(JSON.stringify({ type: 'request', id, ...request }));
  });
}

async function expectStillServing(): Promise<void> {
  expect(shell.alive(), shell.stderr()).toBe(true);
  const reply = await ask(bystander, { method: 'app.info', input: {} });
  expect(reply.result).toMatchObject({ ok: true });
}

async function closeCodeFor(frames: Buffer[]): Promise<number | null> {
  const raw = await openRaw(shell.port, `?token=${shell.token}`, { Origin: shell.origin });
  for (const bytes of frames) raw.socket.write(bytes);
  return raw.closed;
}

const mib = 1024 * 1024;
const text = (payload: Buffer | string, extra: Partial<FrameSpec> = {}) => frame({ opcode: opcodes.text, payload, ...extra });
const paste = (size: number) =>
  JSON.stringify({ type: 'request', id: 1, method: 'terminal.input', input: { terminalId: 't', data: 'x'.repeat(size) } });

describe('a bad frame closes only its own connection', () => {
  const cases: Array<[string, number, () => Buffer[]]> = [
    ['a message over 1 MiB (a 1.5 MB paste)', 1009, () => [text(paste(1.5 * mib))]],
    ['a length header over 1 MiB with no payload behind it', 1009, () => [text('', { declaredLength: 8 * mib })]],
    [
      'fragments that add up to more than 1 MiB',
      1009,
      () => [text('a'.repeat(0.6 * mib), { fin: false }), frame({ opcode: opcodes.continuation, payload: 'b'.repeat(0.6 * mib) })],
    ],
    ['invalid UTF-8 in a text frame', 1007, () => [text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))]],
    ['an unmasked frame', 1002, () => [text('{}', { masked: false })]],
    ['an unknown opcode', 1002, () => [frame({ opcode: 0x3, payload: 'hello' })]],
    ['RSV1 without a negotiated extension', 1002, () => [text('{}', { rsv: 4 })]],
    ['a continuation with nothing to continue', 1002, () => [frame({ opcode: opcodes.continuation, payload: 'x' })]],
    ['a ping over 125 bytes', 1002, () => [frame({ opcode: opcodes.ping, payload: 'p'.repeat(200) })]],
    ['a binary frame', 1003, () => [frame({ opcode: opcodes.binary, payload: Buffer.from([1, 2, 3]) })]],
    ['text that is not JSON', 1007, () => [text('{not json')]],
  ];

  it.each(cases)('%s: closed with %i, the shell keeps serving', async (_name, code, frames) => {
    expect(await closeCodeFor(frames())).toBe(code);
    await expectStillServing();
  });

  it('survives clients that hang up in the middle of the handshake or of a frame', async () => {
    const headers = { Origin: shell.origin };
    const truncated = text('{"type":"request"', { declaredLength: 500 });
    for (let round = 0; round < 100; round++) {
      await Promise.all([
        ...Array.from({ length: 5 }, () => sendAndReset(shell.port, upgradeRequest(shell.port, '?token=wrong', headers))),
        ...Array.from({ length: 5 }, () =>
          sendAndReset(shell.port, Buffer.concat([Buffer.from(upgradeRequest(shell.port, `?token=${shell.token}`, headers)), truncated])),
        ),
      ]);
    }
    await expectStillServing();
  });
});

describe('messages that are JSON but not ours', () => {
  it('answers a malformed request that carries an id with invalid-request, and keeps the connection', async () => {
    const ws = await openClient();
    try {
      const tooLong = await ask(ws, { method: 'x'.repeat(200), input: {} });
      expect(tooLong.result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      const noMethod = await ask(ws, {});
      expect(noMethod.result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      for (const junk of [[1, 2, 3], 'text', null, 42, { type: 'subscribe', topic: 5 }, { id: -1, type: 'request' }])
        ws.send(JSON.stringify(junk));
      expect((await ask(ws, { method: 'app.info', input: {} })).result).toMatchObject({ ok: true });
    } finally {
      ws.close();
    }
  });

  it('refuses a terminal input over the contract’s limit with a clear error', async () => {
    const reply = await ask(bystander, { method: 'terminal.input', input: { terminalId: 'terminal-x', data: 'y'.repeat(200 * 1024) } });
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'invalid-request', detail: expect.stringMatching(/^data: /) } });
  });
});
