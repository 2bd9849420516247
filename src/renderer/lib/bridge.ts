/**
 * Picks the transport to the core: Electron's preload exposes the bridge as
 * `window.workbench`; anywhere else the page was served by the serve shell,
 * which listens for a WebSocket at `/ws` on the same origin and opens it to
 * the access token only. This is the only module that knows about
 * transports; the rest sees a `WorkbenchBridge`.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import { accessToken, adoptAccessToken, type TokenScope } from './access-token.ts';
import { alwaysConnected } from './connection.ts';
import { openWebSocketBridge, type BridgeHandle, type WebSocketBridgeOptions } from './websocket-bridge.ts';

export type { BridgeHandle };

interface PageScope extends TokenScope {
  readonly location: TokenScope['location'] & { readonly protocol: string; readonly host: string };
  readonly workbench?: WorkbenchBridge;
}

export function openBridge(scope: PageScope, options?: WebSocketBridgeOptions): BridgeHandle {
  if (scope.workbench) return { bridge: scope.workbench, connection: alwaysConnected(), dispose() {} };
  adoptAccessToken(scope);
  const protocol = scope.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socketUrl = `${protocol}//${scope.location.host}/ws`;
  return openWebSocketBridge(() => `${socketUrl}?token=${encodeURIComponent(accessToken(scope))}`, options);
}
