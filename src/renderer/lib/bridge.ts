/**
 * Picks the transport to the core: Electron's preload exposes the bridge as
 * `window.workbench`; anywhere else the page was served by the serve shell,
 * which listens for a WebSocket at `/ws` on the same origin. This is the only
 * module that knows about transports; the rest sees a `WorkbenchBridge`.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import { alwaysConnected } from './connection.ts';
import { openWebSocketBridge, type BridgeHandle, type WebSocketBridgeOptions } from './websocket-bridge.ts';

export type { BridgeHandle };

interface PageScope {
  readonly location: { readonly protocol: string; readonly host: string };
  readonly workbench?: WorkbenchBridge;
}

export function openBridge(scope: PageScope, options?: WebSocketBridgeOptions): BridgeHandle {
  if (scope.workbench) return { bridge: scope.workbench, connection: alwaysConnected(), dispose() {} };
  const protocol = scope.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return openWebSocketBridge(`${protocol}//${scope.location.host}/ws`, options);
}
