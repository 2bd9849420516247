/** `install.*`: recipes for a board, installs and their procedure documents. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { InstallService } from './service.ts';

export function installHandlers(install: InstallService): HandlersOf<'install'> {
  return {
    'install.recipes': ({ board }) => install.recipes(board),
    'install.start': (request) => install.start(request),
    'install.cancel': ({ installId }) => ({ cancelled: install.cancel(installId) }),
    'install.procedure': ({ installId }) => install.procedure(installId),
  };
}
