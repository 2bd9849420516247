/**
 * Resources for the shells that run from the sources (the serve shell, the
 * CLI, tests): the checkout's resources/ folder. The desktop app fills in its
 * own from the packaged layout (electron.ts).
 */
import { fileURLToPath } from 'node:url';
import { resourcesIn } from '../resources.ts';

export const checkoutResources = resourcesIn(fileURLToPath(new URL('../../../resources', import.meta.url)));
