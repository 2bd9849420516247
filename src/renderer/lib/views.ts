/** The views the renderer offers, in navigation order, and their address in the URL fragment. */
import type { MessageKey } from '../i18n/index.ts';

export const viewNames = ['boards', 'flash', 'power', 'bench', 'install', 'overview', 'simulator', 'settings'] as const;
export type ViewName = (typeof viewNames)[number];

export const viewLabels: Readonly<Record<ViewName, MessageKey>> = {
  boards: 'nav.boards',
  flash: 'nav.flash',
  power: 'nav.power',
  bench: 'nav.bench',
  install: 'nav.install',
  overview: 'nav.overview',
  simulator: 'nav.simulator',
  settings: 'nav.settings',
};

/** A view, and for the Boards view the board whose details page is open (`#/boards/<id>`). */
export interface Route {
  view: ViewName;
  boardId?: string | undefined;
}

export function viewHash(view: ViewName, boardId?: string): string {
  return view === 'boards' && boardId !== undefined ? `#/boards/${encodeURIComponent(boardId)}` : `#/${view}`;
}

/** The view a fragment names, or undefined for any other fragment (e.g. `#main`). */
export function viewFromHash(hash: string): ViewName | undefined {
  return routeFromHash(hash)?.view;
}

export function routeFromHash(hash: string): Route | undefined {
  const path = hash.replace(/^#\/?/, '');
  const board = /^boards\/([^/]+)$/.exec(path);
  if (board?.[1] !== undefined) return { view: 'boards', boardId: decodeURIComponent(board[1]) };
  return (viewNames as readonly string[]).includes(path) ? { view: path as ViewName } : undefined;
}
