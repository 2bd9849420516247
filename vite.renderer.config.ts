import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type ConfigEnv, type Plugin } from 'vite';

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

/** What Electron Forge's Vite plugin adds to the config env (its forge-vite-env.d.ts); absent for a plain `vite build`. */
interface ForgeRendererEnv {
  root?: string;
  forgeConfigSelf?: { name?: string };
}

/**
 * Where Forge wants this renderer: `.vite/renderer/<name>` of the project,
 * the one folder its packager keeps besides `.vite/build` (electron.ts loads
 * `../renderer/<name>/index.html` from there). Forge writes that outDir
 * relative to the root, and our root is src/renderer, so left to Forge the
 * page would land in src/renderer/.vite and the packaged app would have none.
 */
function forgeOutDir(env: ConfigEnv): string | undefined {
  const { root, forgeConfigSelf } = env as ConfigEnv & ForgeRendererEnv;
  return root !== undefined && forgeConfigSelf?.name ? join(root, '.vite', 'renderer', forgeConfigSelf.name) : undefined;
}

// The renderer build, shared by both shells: the serve shell serves
// dist/renderer over HTTP and Electron loads it from file://, hence the
// relative base. Everything ends up in files (no inline script or style) so
// the strict Content-Security-Policy of both shells needs no 'unsafe-inline'.
export default defineConfig((env) => {
  const outDir = forgeOutDir(env);
  return {
    root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
    base: './',
    // The root moved to src/renderer, so name the Svelte config at the repository root.
    plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), devServerStyles()],
    build: {
      // `npm run build:renderer` passes --outDir (relative to root: ../../dist/renderer) for the serve shell.
      ...(outDir === undefined ? {} : { outDir }),
      emptyOutDir: true,
      // Vite would otherwise inline small assets as data: URLs and, for the
      // module preload polyfill, an inline script the CSP refuses.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: 'es2022',
      // light-dark() and :has() natively: Electron 45 is Chromium 142; browsers since 2024.
      cssTarget: ['chrome123', 'firefox121', 'safari17.5'],
    },
  };
});
