/**
 * Random and malformed WebSocket traffic for the serve shell's fuzz test:
 * each call of `fuzzBatch` is what one hostile connection sends. Seeded, so
 * a failing run can be replayed with the same seed.
 */
import { frame, jsonFrame, opcodes } from './raw-websocket.ts';

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mib = 1024 * 1024;
const int = (random: Random, below: number) => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;
const bytes = (random: Random, length: number) => Buffer.from(Array.from({ length }, () => int(random, 256)));

/** Methods the junk is aimed at: ones whose refusal is the point, none that would start real work on valid input. */
const targets = ['app.info', 'settings.get', 'settings.update', 'terminal.input', 'terminal.resize', 'boards.details', 'no.such', ''];

function junkJson(random: Random, depth = 0): unknown {
  switch (int(random, depth > 3 ? 4 : 7)) {
    case 0:
      return null;
    case 1:
      return random() * 1e12 - 5e11;
    case 2:
      return 'x'.repeat(int(random, 300));
    case 3:
      return random() < 0.5;
    case 4:
      return Array.from({ length: int(random, 5) }, () => junkJson(random, depth + 1));
    case 5:
      return {
        type: pick(random, ['request', 'subscribe', 'unsubscribe', 'response', 'event', 7]),
        id: junkJson(random, depth + 1),
        method: pick(random, targets),
        topic: junkJson(random, depth + 1),
        input: junkJson(random, depth + 1),
      };
    default:
      return Object.fromEntries(Array.from({ length: int(random, 4) }, (_, i) => [`k${i}`, junkJson(random, depth + 1)]));
  }
}

/** The kinds of frame, each a function of the generator; named so the test can report what it sent. */
export const frameKinds: Record<string, (random: Random) => Buffer[]> = {
  unmasked: (random) => [frame({ opcode: opcodes.text, payload: '{}', masked: false, fin: random() < 0.9 })],
  badOpcode: (random) => [
    frame({ opcode: pick(random, [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload: bytes(random, int(random, 64)) }),
  ],
  rsvBits: (random) => [frame({ opcode: opcodes.text, payload: '{"type":"subscribe","topic":"x"}', rsv: 1 + int(random, 7) })],
  invalidUtf8: (random) => [
    frame({
      opcode: opcodes.text,
      payload: Buffer.concat([
        Buffer.from('{"a":"'),
        pick(random, [
          Buffer.from([0xff]),
          Buffer.from([0xc3, 0x28]),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from([0xf8, 0x88, 0x80, 0x80]),
        ]),
        Buffer.from('"}'),
      ]),
    }),
  ],
  fragmentedGarbage: (random) => [
    frame({
      opcode: pick(random, [opcodes.text, opcodes.binary, opcodes.continuation]),
      payload: bytes(random, int(random, 200)),
      fin: false,
    }),
    ...Array.from({ length: int(random, 4) }, () =>
      frame({
        opcode: pick(random, [opcodes.continuation, opcodes.text, opcodes.ping]),
        payload: bytes(random, int(random, 200)),
        fin: random() < 0.3,
      }),
    ),
  ],
  oversizedHeader: (random) => [frame({ opcode: opcodes.text, declaredLength: mib + 1 + int(random, 2 ** 40) })],
  truncated: (random) => [frame({ opcode: opcodes.text, payload: '{"type":"request","id":1', declaredLength: 200 + int(random, 5000) })],
  randomBytes: (random) => [bytes(random, 1 + int(random, 300))],
  control: (random) => [
    frame({
      opcode: pick(random, [opcodes.ping, opcodes.pong, opcodes.close]),
      payload: bytes(random, int(random, random() < 0.8 ? 126 : 400)),
    }),
  ],
  junkJson: (random) => [jsonFrame(junkJson(random))],
  hugeInput: (random) => [
    jsonFrame({
      type: 'request',
      id: int(random, 1e6),
      method: pick(random, ['terminal.input', 'settings.update', 'app.info', 'x'.repeat(5000)]),
      input: { terminalId: 'terminal-fuzz', data: 'y'.repeat(64 * 1024 + int(random, 0.9 * mib)) },
    }),
  ],
  oversizedMessage: () => [jsonFrame({ type: 'request', id: 1, method: 'terminal.input', input: { data: 'z'.repeat(1.2 * mib) } })],
  validRequest: (random) => [jsonFrame({ type: 'request', id: int(random, 1e6), method: 'app.info', input: {} })],
};

const kindNames = Object.keys(frameKinds);
/** Rare: the big ones cost the shell a megabyte of parsing each. */
const rareKinds = new Set(['hugeInput', 'oversizedMessage']);

/** What one hostile connection sends: a few frames of random kinds. */
export function fuzzBatch(random: Random): { kinds: string[]; frames: Buffer[] } {
  const kinds: string[] = [];
  const frames: Buffer[] = [];
  const count = 1 + int(random, 12);
  while (frames.length < count) {
    let kind = pick(random, kindNames);
    if (rareKinds.has(kind) && random() < 0.9) kind = 'junkJson';
    for (const bytes of frameKinds[kind]!(random)) {
      kinds.push(kind);
      frames.push(bytes);
    }
  }
  return { kinds, frames };
}
