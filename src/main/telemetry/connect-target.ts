/**
 * Opens an SshLink for `telemetry.start`: a board connected in the Boards
 * view (its link is borrowed), a demo board (its fingerprint is
 * known, so it is trusted without asking) or a `{ host, port, user, password }`
 * target, which must already be trusted in the known-hosts file (a new board
 * is confirmed through the boards view first). The password stays in memory.
 */
import type { DemoBoard } from '../../shared/api.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { TelemetryTarget } from '../../shared/telemetry/contract.ts';
import type { BoardLink } from '../link/board-link.ts';
import type { KnownHosts } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';

export async function connectTarget(
  target: TelemetryTarget,
  demoBoards: () => DemoBoard[],
  knownHosts: KnownHosts,
  connectedBoard: (boardId: string) => { link: BoardLink; label: string } = (boardId) => {
    throw new WorkbenchFailure('unavailable', 'Connect to the board first.', boardId);
  },
): Promise<{ board: string; label: string; link: BoardLink; ownsLink: boolean }> {
  if ('boardId' in target) {
    // The Boards view owns this connection: telemetry borrows it and never closes it.
    const { link, label } = connectedBoard(target.boardId);
    return { board: target.boardId, label, link, ownsLink: false };
  }
  if ('demoBoardId' in target) {
    const demo = demoBoards().find((board) => board.id === target.demoBoardId);
    if (demo === undefined) throw new WorkbenchFailure('not-found', 'There is no such demo board.', target.demoBoardId);
    const link = await SshLink.connect(
      { host: demo.host, port: demo.port, username: demo.user, password: demo.password, agentSocket: null },
      { knownHosts, confirmNewHost: async (request) => request.fingerprint === demo.fingerprint },
    );
    return { board: demo.id, label: demo.name, link, ownsLink: true };
  }
  const link = await SshLink.connect(
    { host: target.host, port: target.port, username: target.user, password: target.password },
    { knownHosts },
  );
  const board = `${target.user}@${target.host}:${target.port}`;
  return { board, label: board, link, ownsLink: true };
}
