/**
 * A `MessagePipe` over one browser WebSocket: JSON text frames both ways.
 * Messages sent while the socket is still opening wait for it, so the first
 * requests of a page need not know when the socket came up.
 */
import { WorkbenchFailure } from '../../shared/errors.ts';
import { maxMessageBytes, type ClientMessage, type MessagePipe, type ServerMessage } from '../../shared/wire.ts';

/** The part of the browser's WebSocket we use, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

const CONNECTING = 0;
const OPEN = 1;

export function socketPipe(socket: SocketLike): MessagePipe {
  const waiting: string[] = [];
  socket.addEventListener('open', () => {
    for (const text of waiting.splice(0)) socket.send(text);
  });
  return {
    send(message: ClientMessage) {
      const text = JSON.stringify(message);
      // Over the limit the shell would close the socket (1009), failing every other request with it.
      if (overLimit(text)) {
        throw new WorkbenchFailure(
          'invalid-request',
          'This request is too large to send to the workbench.',
          `over ${maxMessageBytes} bytes`,
        );
      }
      if (socket.readyState === OPEN) socket.send(text);
      else if (socket.readyState === CONNECTING) waiting.push(text);
      // Closing or closed: the bridge has already failed the request as unavailable.
    },
    onMessage(listener) {
      socket.addEventListener('message', (event) => {
        const message = decodeServerMessage(event.data);
        if (message) listener(message);
      });
    },
    onClose(listener) {
      socket.addEventListener('close', (event) => {
        listener(event.reason ? `WebSocket closed (${event.code}: ${event.reason})` : `WebSocket closed (${event.code})`);
      });
    },
  };
}

/** Whether `text` is over the limit in UTF-8, measured only when it could be (a UTF-16 unit is at most 3 bytes). */
function overLimit(text: string): boolean {
  return text.length * 3 > maxMessageBytes && new TextEncoder().encode(text).length > maxMessageBytes;
}

/** Parses one frame; anything that is not a well-formed server message is dropped. */
export function decodeServerMessage(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'response' && typeof message.id === 'number' && isResult(message.result)) {
    return message as unknown as ServerMessage;
  }
  if (message.type === 'event' && typeof message.topic === 'string') return message as unknown as ServerMessage;
  return undefined;
}

function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  if (result.ok === true) return 'value' in result;
  return result.ok === false && typeof result.error === 'object' && result.error !== null;
}
