/**
 * WebSocket frames built by hand on a raw TCP socket, for tests that must
 * send what a well-behaved client never would (unmasked frames, unknown
 * opcodes, RSV bits, invalid UTF-8, lying length headers) and read how the
 * serve shell closes the connection (RFC 6455 §5.2, §7.4).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  /** Default true: the last frame of its message. */
  fin?: boolean;
  /** The three RSV bits (0–7); default 0. */
  rsv?: number;
  /** Default true: a client must mask (the server must refuse an unmasked frame). */
  masked?: boolean;
  /** A length header that lies about the payload (bigger: the frame is truncated). */
  declaredLength?: number;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const length = spec.declaredLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** A text frame carrying `value` as JSON. */
export function jsonFrame(value: unknown): Buffer {
  return frame({ opcode: opcodes.text, payload: JSON.stringify(value) });
}

export interface RawConnection {
  readonly socket: Socket;
  /** The close code of the server's close frame (1005 when it had none), or null when the socket ended without one. */
  readonly closed: Promise<number | null>;
}

/** The HTTP request that asks `/ws` for an upgrade. */
export function upgradeRequest(port: number, query: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET /ws${query} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens `/ws` with the given query and headers; resolves once the server answered 101, rejects with its status line otherwise. */
export function openRaw(port: number, query: string, headers: Record<string, string> = {}): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    let settleClose: (code: number | null) => void = () => {};
    const closed = new Promise<number | null>((done) => (settleClose = done));
    socket.on('error', () => {}); // a reset after the server's close frame is expected
    socket.on('close', () => {
      if (!upgraded) reject(new Error('closed before the handshake ended'));
      settleClose(null);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buffered.subarray(0, buffered.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          socket.destroy();
          return reject(new Error(status));
        }
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        resolve({ socket, closed });
      }
      const code = closeCodeIn(buffered);
      if (code !== undefined) settleClose(code);
    });
    socket.write(upgradeRequest(port, query, headers));
  });
}

/** Walks the server's (unmasked) frames; the code of the first close frame, if one has arrived whole. */
function closeCodeIn(data: Buffer): number | undefined {
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = data[offset]! & 0x0f;
    let length = data[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (start + 2 > data.length) return undefined;
      length = data.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > data.length) return undefined;
      length = Number(data.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > data.length) return undefined;
    if (opcode === opcodes.close) return length >= 2 ? data.readUInt16BE(start) : 1005;
    offset = start + length;
  }
  return undefined;
}

/** Sends `bytes` on a new connection and resets it at once, without waiting for any answer. */
export function sendAndReset(port: number, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      socket.resetAndDestroy();
      resolve();
    });
    socket.on('error', () => resolve());
  });
}
