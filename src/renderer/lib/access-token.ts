/**
 * The serve shell's access token, on the page's side. The printed address
 * `/?token=…` comes back as `/#token=…` (src/main/shell/http-auth.ts says
 * why no cookie carries it): the page moves it out of the address bar, so
 * it lingers in neither history nor screenshots, into localStorage, which
 * the browser keeps per origin, port included. A reload, a second window
 * and a second workbench on another port in the same browser all work.
 */

export interface TokenScope {
  readonly location: { readonly pathname: string; readonly search: string; readonly hash: string };
  readonly history: { replaceState(data: unknown, unused: string, url: string): void };
  readonly localStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

const storageKey = 'jwb.accessToken';
const fragment = /^#token=([\w-]+)$/;

/** Takes a token the address brought into storage, and out of the address. */
export function adoptAccessToken(scope: TokenScope): void {
  const token = fragment.exec(scope.location.hash)?.[1];
  if (token === undefined) return;
  scope.localStorage.setItem(storageKey, token);
  scope.history.replaceState(null, '', scope.location.pathname + scope.location.search);
}

/** Read at each connection: a newer token (the shell restarted on the same port, its new address opened in another tab) heals a lost one. */
export function accessToken(scope: TokenScope): string {
  return scope.localStorage.getItem(storageKey) ?? '';
}
