/**
 * Who may talk to the serve shell. Browsers send a host's cookies to every
 * port of it, so a cookie on 127.0.0.1 reaches any program listening there:
 * no cookie may carry the power to drive the workbench. Hence two secrets:
 *
 * - the token (from the printed URL) opens the WebSocket, the only way to
 *   the core. The page keeps it in its own storage, which browsers scope to
 *   the origin, port included (src/renderer/lib/access-token.ts), and sends
 *   it in the socket's address; the upgrade must also come from our own
 *   origin, so another page that learnt it still cannot use it;
 * - the page pass, an HttpOnly cookie named after our port (two workbenches
 *   in one browser keep theirs apart), opens only the renderer's files,
 *   which hold nothing secret: it only spares a reload the printed URL.
 *
 * The Host check stops DNS-rebinding pages; the Origin check on HTTP stops
 * other sites' pages from reading the files with our page pass.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export class ServeAuth {
  readonly token: string;
  readonly #pagePass = createToken();
  readonly #cookieName: string;
  readonly #hosts: Set<string>;

  constructor(token: string, port: number) {
    this.token = token;
    this.#cookieName = `jwb_page_${port}`;
    this.#hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  isOwnHost(request: IncomingMessage): boolean {
    return this.#hosts.has(request.headers.host ?? '');
  }

  /** The origin the renderer is served from, as browsers send it in `Origin`. */
  hasOwnOrigin(request: IncomingMessage): boolean {
    const match = /^http:\/\/(.+)$/.exec(request.headers.origin ?? '');
    return match !== null && this.#hosts.has(match[1] ?? '');
  }

  /** For page loads: a foreign origin is refused; none (a navigation, curl) is allowed. */
  originAllowed(request: IncomingMessage): boolean {
    return request.headers.origin === undefined || this.hasOwnOrigin(request);
  }

  tokenFromQuery(url: URL): boolean {
    return matches(url.searchParams.get('token'), this.token);
  }

  hasPagePass(request: IncomingMessage): boolean {
    return matches(readCookie(request.headers.cookie, this.#cookieName), this.#pagePass);
  }

  pagePassCookie(): string {
    return `${this.#cookieName}=${this.#pagePass}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function matches(candidate: string | null | undefined, expected: string): boolean {
  if (!candidate) return false;
  const want = Buffer.from(expected);
  const given = Buffer.from(candidate);
  return given.length === want.length && timingSafeEqual(given, want);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
