/**
 * Who may talk to the serve shell: a client that holds this start's token
 * (from the printed URL, then as an HttpOnly cookie), on our own host name,
 * from our own origin. The Host check stops DNS-rebinding pages; the Origin
 * check stops other sites' pages from using a token cookie they can't read.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenCookie = 'jwb_token';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export class ServeAuth {
  readonly token: string;
  readonly #hosts: Set<string>;

  constructor(token: string, port: number) {
    this.token = token;
    this.#hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  /** The origin the renderer is served from (what browsers send as `Origin`). */
  isOwnOrigin(origin: string): boolean {
    const match = /^http:\/\/(.+)$/.exec(origin);
    return match !== null && this.#hosts.has(match[1] ?? '');
  }

  isOwnHost(request: IncomingMessage): boolean {
    return this.#hosts.has(request.headers.host ?? '');
  }

  /** A foreign origin is refused; no Origin (curl, the CLI, Node clients) is allowed with the token. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    return origin === undefined || this.isOwnOrigin(origin);
  }

  tokenFromQuery(url: URL): boolean {
    return this.matches(url.searchParams.get('token'));
  }

  tokenFromCookie(request: IncomingMessage): boolean {
    return this.matches(readCookie(request.headers.cookie, tokenCookie));
  }

  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const expected = Buffer.from(this.token);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  cookieHeader(): string {
    return `${tokenCookie}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
