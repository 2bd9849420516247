import { defineConfig } from 'vite';

/**
 * Packages the main bundle requires from node_modules at run time: native
 * code cannot be bundled (serialport's bindings, ssh2's optional crypto addon
 * and cpu-features). Forge's Vite plugin packs only `.vite/`, so
 * forge.config.ts ships these and their dependencies (Forge issues #3738,
 * #3917).
 */
export const shippedExternals = ['serialport', '@serialport/bindings-cpp', 'ssh2', 'cpu-features'];

// Electron main process.
export default defineConfig({
  build: {
    rollupOptions: {
      // node:sqlite exists only with its prefix, so Forge's list of Node built-ins misses it.
      // playwright-core prints PDFs for the serve shell and the CLI; the desktop app prints
      // with Electron's own Chromium (src/main/shell/electron-pdf.ts), so it is never loaded
      // there and not shipped.
      external: [...shippedExternals, 'node:sqlite', 'playwright-core'],
    },
  },
});
