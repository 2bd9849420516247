/**
 * The serve shell under 10,000 random and malformed WebSocket frames, sent
 * by hand on raw TCP over many connections (unmasked, unknown opcodes, RSV
 * bits, invalid UTF-8, fragmented garbage, lying and oversized lengths,
 * truncated frames, junk JSON, huge inputs, handshakes without the token or
 * our Origin), while a real client keeps calling `app.info`. The shell runs
 * as `jwb serve`: it must stay up, answer every legitimate call, and keep
 * its resident memory under 300 MB. Behaviour only: no timing is asserted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openRaw, sendAndReset, upgradeRequest } from '../support/raw-websocket.ts';
import { startServeProcess, type ServeProcess } from '../support/serve-process.ts';
import { fuzzBatch, seededRandom, type Random } from '../support/websocket-fuzz.ts';

const totalFrames = 10_000;
const workers = 6;
const maxRssBytes = 300 * 1024 * 1024;
const seed = Number(process.env.JWB_FUZZ_SEED ?? 16);

let shell: ServeProcess;

beforeAll(async () => {
  shell = await startServeProcess();
});

afterAll(async () => {
  await shell?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Handshakes that must be refused (or that break off), each on its own connection. */
function badHandshake(random: Random): Buffer | string {
  const port = shell.port;
  const choices = [
    () => upgradeRequest(port, '?token=wrong', { Origin: shell.origin }),
    () => upgradeRequest(port, `?token=${shell.token}`),
    () => upgradeRequest(port, `?token=${shell.token}`, { Origin: 'http://127.0.0.1:1' }),
    () =>
      upgradeRequest(port, `?token=${shell.token}`, { Origin: shell.origin }).replace(
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Version: 99',
      ),
    () => `GET /ws HTTP/1.1\r\nHost: ${'h'.repeat(20_000)}\r\n\r\n`,
    () => Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))),
  ];
  return choices[Math.floor(random() * choices.length)]!();
}

interface Tally {
  frames: number;
  connections: number;
  refusedHandshakes: number;
  kinds: Record<string, number>;
  failures: string[];
}

async function fuzzWorker(random: Random, tally: Tally): Promise<void> {
  while (tally.frames < totalFrames) {
    if (random() < 0.1) {
      await sendAndReset(shell.port, badHandshake(random));
      tally.refusedHandshakes++;
      continue;
    }
    const raw = await openRaw(shell.port, `?token=${shell.token}`, { Origin: shell.origin }).catch((error: Error) => {
      tally.failures.push(`handshake refused: ${error.message}`);
    });
    if (!raw) return;
    tally.connections++;
    const { kinds, frames } = fuzzBatch(random);
    for (const [index, bytes] of frames.entries()) {
      if (raw.socket.destroyed) break;
      raw.socket.write(bytes);
      tally.frames++;
      tally.kinds[kinds[index]!] = (tally.kinds[kinds[index]!] ?? 0) + 1;
    }
    // Hang up every way a client can: at once, politely, or once the shell has closed (or had time to).
    const ending = random();
    if (ending < 0.3) raw.socket.resetAndDestroy();
    else if (ending < 0.6) raw.socket.end();
    else await Promise.race([raw.closed, pause(100)]);
    raw.socket.destroy();
  }
}

/** Calls `app.info` one after another until `done()`; every call must be answered. */
async function legitimateClient(done: () => boolean, failures: string[]): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let answered = 0;
  try {
    for (let id = 1; !done(); id++) {
      const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const onClose = (code: number) => reject(new Error(`the legitimate client was disconnected (${code})`));
        ws.once('close', onClose);
        ws.once('message', (data) => (ws.off('close', onClose), resolve(JSON.parse(data.toString()) as Record<string, unknown>)));
        ws.send(JSON.stringify({ type: 'request', id, method: 'app.info', input: {} }));
      });
      if (reply.id !== id || (reply.result as { ok?: boolean }).ok !== true) failures.push(`app.info #${id}: ${JSON.stringify(reply)}`);
      else answered++;
    }
  } finally {
    ws.close();
  }
  return answered;
}

it('survives 10,000 malformed frames, answers a real client all along and keeps its memory bounded', { timeout: 180_000 }, async () => {
  const tally: Tally = { frames: 0, connections: 0, refusedHandshakes: 0, kinds: {}, failures: [] };
  let peakRss = await shell.rss();
  let fuzzing = true;
  const sampler = setInterval(() => {
    shell.rss().then(
      (rss) => (peakRss = Math.max(peakRss, rss)),
      () => tally.failures.push('the serve shell is gone'),
    );
  }, 200);
  try {
    const legit = legitimateClient(() => !fuzzing, tally.failures).catch((error: Error) => (tally.failures.push(error.message), 0));
    const random = seededRandom(seed);
    await Promise.all(
      Array.from({ length: workers }, (_, worker) => fuzzWorker(seededRandom(seed * 1000 + worker + Math.floor(random() * 1e6)), tally)),
    );
    fuzzing = false;
    const answered = await legit;
    peakRss = Math.max(peakRss, await shell.rss());
    console.log(
      `fuzz (seed ${seed}): ${tally.frames} frames on ${tally.connections} connections, ${tally.refusedHandshakes} bad handshakes; ` +
        `${answered} app.info calls answered; peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB; kinds ${JSON.stringify(tally.kinds)}`,
    );
    expect(tally.failures).toEqual([]);
    expect(tally.frames).toBeGreaterThanOrEqual(totalFrames);
    expect(answered).toBeGreaterThan(0);
    expect(shell.alive(), shell.stderr()).toBe(true);
    expect(peakRss).toBeLessThan(maxRssBytes);
    // Still serving a new client once the storm is over.
    let checks = 0;
    expect(await legitimateClient(() => checks++ > 0, tally.failures)).toBe(1);
  } finally {
    clearInterval(sampler);
  }
});
