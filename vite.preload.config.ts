import { defineConfig } from 'vite';

// The sandboxed preload: Forge bundles it to one CommonJS file (preload.cjs),
// since a sandboxed preload cannot load ES modules or other files.
export default defineConfig({});
