import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The renderer build, shared by both shells: the serve shell serves
// dist/renderer over HTTP and Electron loads it from file://, hence the
// relative base. Everything ends up in files (no inline script or style) so
// the strict Content-Security-Policy of both shells needs no 'unsafe-inline'.
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Vite would otherwise inline small assets as data: URLs and, for the
    // module preload polyfill, an inline script the CSP refuses.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    // light-dark() and :has() natively: Electron 45 is Chromium 142; browsers since 2024.
    cssTarget: ['chrome123', 'firefox121', 'safari17.5'],
  },
});
