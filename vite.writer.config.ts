import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

/**
 * The privileged SD-card writer (src/writer/main.ts) as one CommonJS file,
 * `.vite/build/writer.cjs`, beside electron.cjs, where the Electron shell
 * looks for it. It is run by Node (Electron as Node) as root, so it bundles
 * what it imports (src/shared, zod) and needs nothing from node_modules; Node's
 * built-ins stay external. Forge builds it with
 * `{ entry: 'src/writer/main.ts', config: 'vite.writer.config.ts', target: 'main' }`.
 */
export default defineConfig({
  build: {
    lib: { entry: 'src/writer/main.ts', fileName: () => 'writer.cjs', formats: ['cjs'] },
    rollupOptions: { external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)] },
  },
});
