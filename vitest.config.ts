import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// Four projects, run in this order by `npm test`: fast unit tests (Node),
// renderer tests (jsdom + Svelte), slow integration tests (real sshd, pty,
// sockets) and end-to-end tests (Chromium through the serve shell).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.slow.test.ts', 'src/renderer/**'],
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          sequence: { groupOrder: 0 },
          include: ['src/renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'slow',
          environment: 'node',
          sequence: { groupOrder: 1 },
          include: ['src/**/*.slow.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
