import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/**
 * Vite's dev server (Electron Forge's `npm start`) injects component styles
 * as <style> elements, which `style-src 'self'` refuses. Relax that one
 * directive while serving in development; builds keep the strict policy.
 */
function devServerStyles(): Plugin {
  return {
    name: 'jwb:dev-server-styles',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

// The renderer build, shared by both shells: the serve shell serves
// dist/renderer over HTTP and Electron loads it from file://, hence the
// relative base. Everything ends up in files (no inline script or style) so
// the strict Content-Security-Policy of both shells needs no 'unsafe-inline'.
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  // The root moved to src/renderer, so name the Svelte config at the repository root.
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), devServerStyles()],
  build: {
    // No outDir here: Electron Forge builds into .vite/renderer/main_window,
    // and `npm run build:renderer` passes --outDir (relative to root: ../../dist/renderer) for the serve shell.
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
