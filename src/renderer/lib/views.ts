/** The views the renderer offers, in navigation order, and their address in the URL fragment. */
import type { MessageKey } from '../i18n/index.ts';

export const viewNames = ['overview', 'simulator', 'settings'] as const;
export type ViewName = (typeof viewNames)[number];

export const viewLabels: Readonly<Record<ViewName, MessageKey>> = {
  overview: 'nav.overview',
  simulator: 'nav.simulator',
  settings: 'nav.settings',
};

export function viewHash(view: ViewName): string {
  return `#/${view}`;
}

/** The view a fragment names, or undefined for any other fragment (e.g. `#main`). */
export function viewFromHash(hash: string): ViewName | undefined {
  const name = hash.replace(/^#\/?/, '');
  return (viewNames as readonly string[]).includes(name) ? (name as ViewName) : undefined;
}
