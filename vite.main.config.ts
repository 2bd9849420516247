import { defineConfig } from 'vite';

// Electron main process. Native modules cannot be bundled: serialport's
// bindings and ssh2's optional crypto addon stay external and ship in
// node_modules (Forge issues #3738, #3917).
export default defineConfig({
  build: {
    rollupOptions: {
      // node:sqlite exists only with its prefix, so Forge's list of Node built-ins misses it.
      // playwright-core prints PDFs for the serve shell and the CLI; the desktop app prints
      // with Electron's own Chromium (src/main/shell/electron-pdf.ts), so it is never loaded there.
      external: ['serialport', '@serialport/bindings-cpp', 'ssh2', 'cpu-features', 'node:sqlite', 'playwright-core'],
    },
  },
});
