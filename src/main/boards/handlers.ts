/** `boards.*` and `terminal.*`: the Boards view's inventory, its connections and terminals. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { BoardRegistry } from './board-registry.ts';
import type { Terminals } from './terminal.ts';

export function boardsHandlers(boards: BoardRegistry): HandlersOf<'boards'> {
  const { inventory, connections } = boards;
  return {
    'boards.list': () => connections.summaries(),
    'boards.add': (board) => connections.summary(inventory.add(board).id),
    'boards.update': ({ id, name, notes }) => connections.summary(inventory.update(id, { name, notes }).id),
    'boards.remove': async ({ id, forgetKey }) => ({ removed: await connections.remove(id, forgetKey) }),
    'boards.connect': ({ id, password }) => connections.connect(id, password),
    'boards.disconnect': ({ id }) => connections.disconnect(id),
    'boards.trustHostKey': ({ id, fingerprint }) => connections.trustHostKey(id, fingerprint),
    'boards.installKey': ({ id }) => connections.installKey(id),
    'boards.details': ({ id }) => connections.details(id),
    'boards.identify': ({ board }) => boards.identify(board),
  };
}

export function terminalHandlers(terminals: Terminals): HandlersOf<'terminal'> {
  return {
    'terminal.open': async ({ boardId, cols, rows }) => ({ terminalId: await terminals.open(boardId, cols, rows) }),
    'terminal.input': ({ terminalId, data }) => (terminals.input(terminalId, data), {}),
    'terminal.resize': ({ terminalId, cols, rows }) => (terminals.resize(terminalId, cols, rows), {}),
    'terminal.close': ({ terminalId }) => ({ closed: terminals.close(terminalId) }),
  };
}
