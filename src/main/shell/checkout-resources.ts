/**
 * The files of the shells that run from the sources (the serve shell, the
 * CLI, tests): the checkout's resources/ folder and the renderer build. The
 * one module of the core that finds files from its own URL (a lint rule
 * keeps it so); the desktop app fills in its own from the packaged layout
 * (electron.ts).
 */
import { fileURLToPath } from 'node:url';
import { resourcesIn } from '../resources.ts';

export const checkoutResources = resourcesIn(
  fileURLToPath(new URL('../../../resources', import.meta.url)),
  fileURLToPath(new URL('../../writer/main.ts', import.meta.url)),
);

/** `npm run build:renderer`'s output, which the serve shell serves. */
export const checkoutRendererDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
