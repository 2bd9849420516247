/**
 * The serve shell: the same core as Electron, behind HTTP + WebSocket on
 * loopback, for a browser (headless lab server, projector demo, e2e tests).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { maxMessageBytes, type ServerMessage } from '../../shared/wire.ts';
import { createWorkbench, type Workbench } from '../app.ts';
import { openConnection } from '../core/connection.ts';
import type { Resources } from '../resources.ts';
import { openConfStore } from '../store/conf-store.ts';
import { checkoutRendererDir, checkoutResources } from './checkout-resources.ts';
import { elevatedArgv } from './elevate.ts';
import { createToken, ServeAuth } from './http-auth.ts';
import { plain, serveStatic } from './static-files.ts';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir: string;
  rendererDir?: string;
  /** Pass a core to share; otherwise one is created (and disposed on close). */
  workbench?: Workbench;
  /** The agent and recipes the core ships to boards; the checkout's resources/ by default. */
  resources?: Resources;
}

export interface ServeShell {
  url: string;
  origin: string;
  token: string;
  port: number;
  /** Stops serving (and disposes the core it created); calling it again waits for the same shutdown. */
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startServeShell(options: ServeOptions): Promise<ServeShell> {
  const host = options.host ?? '127.0.0.1';
  if (!loopbackHosts.has(host)) {
    throw new Error(`The serve shell only listens on this computer (127.0.0.1); "${host}" is not a loopback address.`);
  }
  const rendererDir = options.rendererDir ?? checkoutRendererDir;
  const ownsWorkbench = options.workbench === undefined;
  const workbench =
    options.workbench ??
    createWorkbench({
      shell: 'serve',
      dataDir: options.dataDir,
      store: openConfStore(options.dataDir),
      resources: options.resources ?? checkoutResources,
      writer: { elevate: elevatedArgv },
    });

  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host === 'localhost' ? '127.0.0.1' : host, resolve);
  });
  // Once listening, an error of the server (a failed accept: too many open files) is no reason to stop serving.
  server.on('error', (error) => process.stderr.write(`jwb serve: ${error.message}\n`));
  const port = (server.address() as AddressInfo).port;
  const auth = new ServeAuth(createToken(), port);
  const urlHost = host === '::1' ? '[::1]' : '127.0.0.1';
  const origin = `http://${urlHost}:${port}`;

  server.on('request', (request, response) => {
    handleHttp(request, response, auth, rendererDir).catch(() => {
      if (!response.headersSent) plain(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  server.on('upgrade', (request, socket, head) => {
    // Node leaves an upgraded socket with no error listener: a client resetting mid-handshake would end the process.
    socket.on('error', () => socket.destroy());
    const refusal = refuseUpgrade(request, auth);
    if (refusal) return rejectSocket(socket, refusal);
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws, workbench));
  });

  const heartbeat = setInterval(() => {
    for (const ws of sockets.clients) {
      if ((ws as AliveSocket).isAlive === false) ws.terminate();
      else {
        (ws as AliveSocket).isAlive = false;
        ws.ping();
      }
    }
  }, 30_000);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${auth.token}`,
    origin,
    token: auth.token,
    port,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };

  async function shutDown(): Promise<void> {
    clearInterval(heartbeat);
    for (const ws of sockets.clients) ws.terminate();
    sockets.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ownsWorkbench) await workbench.dispose();
  }
}

type AliveSocket = WebSocket & { isAlive?: boolean };

async function handleHttp(request: IncomingMessage, response: ServerResponse, auth: ServeAuth, rendererDir: string): Promise<void> {
  for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
  if (!auth.isOwnHost(request)) return plain(response, 403, 'Refused: unexpected Host header.');
  if (!auth.originAllowed(request)) return plain(response, 403, 'Refused: requests from another site are not allowed.');
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (auth.tokenFromQuery(url)) {
    // Move the token from the query to the fragment, which no request carries (a reload, a link); the
    // page takes it from there into its own storage and out of the address bar. The page pass opens the files.
    url.searchParams.delete('token');
    response.writeHead(303, { location: `${url.pathname}${url.search}#token=${auth.token}`, 'set-cookie': auth.pagePassCookie() });
    return void response.end();
  }
  if (!auth.hasPagePass(request)) {
    return plain(response, 401, 'Jetson Workbench: open the full address printed by `npm run serve` (it carries an access token).');
  }
  await serveStatic(rendererDir, url.pathname, response);
}

function refuseUpgrade(request: IncomingMessage, auth: ServeAuth): string | undefined {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (url.pathname !== '/ws') return '404 Not Found';
  if (!auth.isOwnHost(request)) return '403 Forbidden';
  // Every upgrade, from our page or from a script, names our origin: a page elsewhere cannot, even with the token.
  if (!auth.hasOwnOrigin(request)) return '403 Forbidden';
  if (!auth.tokenFromQuery(url)) return '401 Unauthorized';
  return undefined;
}

function rejectSocket(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function attach(ws: AliveSocket, workbench: Workbench): void {
  ws.isAlive = true;
  ws.on('pong', () => (ws.isAlive = true));
  // A frame that breaks the protocol (too big: 1009, invalid UTF-8: 1007, unmasked, unknown opcode, RSV bits: 1002):
  // `ws` sends the close frame with that code and ends the socket itself; unheard, the error would end the process.
  ws.on('error', () => {});
  const connection = openConnection(
    workbench,
    (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    'websocket',
  );
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'Text frames only');
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return ws.close(1007, 'Invalid JSON');
    }
    void connection.receive(message);
  });
  ws.on('close', () => connection.close());
}
