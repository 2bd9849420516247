/**
 * An in-process transport: the renderer-side bridge and the core connected by
 * a pipe that structured-clones every message, as IPC and JSON would. Used by
 * the contract tests and by anything that wants the core without a socket.
 */
import type { WorkbenchBridge } from '../../src/shared/api.ts';
import { createRemoteBridge, type ServerMessage } from '../../src/shared/wire.ts';
import type { Workbench } from '../../src/main/app.ts';
import { openConnection } from '../../src/main/core/connection.ts';

export function createMemoryBridge(workbench: Workbench): { bridge: WorkbenchBridge; close(): void } {
  let toClient: (message: ServerMessage) => void = () => {};
  let onClose: (reason: string) => void = () => {};
  const connection = openConnection(workbench, (message) => queueMicrotask(() => toClient(structuredClone(message))), 'memory');
  const bridge = createRemoteBridge({
    send: (message) => void connection.receive(structuredClone(message)),
    onMessage: (listener) => (toClient = listener),
    onClose: (listener) => (onClose = listener),
  });
  return {
    bridge,
    close() {
      connection.close();
      onClose('closed');
    },
  };
}
