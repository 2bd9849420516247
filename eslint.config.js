// Lint rules, and the layer rules that keep the architecture honest
// (../shared/STYLE.md, part B). Do not relax these rules: move the code instead.
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const nodeModules = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const nodeOnlyPackages = ['electron', 'ssh2', 'serialport', 'ws', 'conf', 'electron-store', 'playwright-core'];
const ourFolders = (...folders) => folders.map((folder) => `**/${folder}/**`);
// Test-only code (memory transport, renderer fakes, netns helpers) lives in test/support: nothing that ships imports it.
const testCode = {
  group: ['**/test/**', '**/testing/**'],
  message: 'Test-only code lives in test/support; shipped code never imports it.',
};
function rendererImports(extraPatterns) {
  return {
    paths: [...nodeModules, ...nodeOnlyPackages].map((name) => ({
      name,
      message: 'The renderer is a web page: talk to the core through lib/bridge.ts.',
    })),
    patterns: [{ group: ourFolders('main', 'preload', 'sim', 'cli'), message: 'The renderer only imports src/shared.' }, ...extraPatterns],
  };
}
const ipcMainSelectors = [
  { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Only src/main/shell/ipc-adapter.ts uses ipcMain.' },
  {
    selector: "MemberExpression[property.name='ipcMain'][object.name='electron']",
    message: 'Only src/main/shell/ipc-adapter.ts uses ipcMain.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vite/', 'test-results/', 'resources/agent/**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      // Only the two Electron entry points, the IPC adapter and the Electron PDF printer may import electron.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only src/main/shell/electron.ts, electron-pdf.ts, ipc-adapter.ts and src/preload/preload.ts import electron.',
            },
          ],
        },
      ],
      // Only the IPC adapter touches ipcMain (VS Code's validatedIpcMain rule).
      'no-restricted-syntax': ['error', ...ipcMainSelectors],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] }, globals: { ...globals.browser } },
  },
  {
    files: ['src/main/shell/electron.ts', 'src/main/shell/electron-pdf.ts', 'src/preload/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/main/shell/ipc-adapter.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The renderer is a web page: no Node, no Electron, nothing from main.
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererImports([testCode])] },
  },
  {
    // Its tests run as web pages too, against the fakes of test/support/renderer.
    files: ['src/renderer/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', rendererImports([])] },
  },
  {
    // shared is pure TypeScript: imported by everything, imports nothing of ours.
    files: ['src/shared/**'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeModules, ...nodeOnlyPackages].map((name) => ({
            name,
            message: 'src/shared runs everywhere: no Node, no Electron.',
          })),
          patterns: [
            {
              group: ourFolders('main', 'renderer', 'preload', 'sim', 'cli'),
              message: 'src/shared imports nothing of ours outside itself.',
            },
            testCode,
          ],
        },
      ],
    },
  },
  {
    // The core never reaches up into its shells' callers, the renderer or the simulator.
    files: ['src/main/**'],
    ignores: ['src/main/**/*.test.ts', 'src/main/app.ts', 'src/main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only the shell files import electron.' }],
          patterns: [
            {
              group: ourFolders('renderer', 'cli', 'sim', 'shell', 'writer'),
              message: 'Arrows point down: services do not import shells, the CLI, the renderer, the simulator or the writer.',
            },
            testCode,
          ],
        },
      ],
    },
  },
  {
    // The core finds its files through the Resources a shell fills in: a path from `import.meta.url` holds in one
    // shell and throws in the CommonJS bundle of another. The checkout's own resources are the one exception.
    files: ['src/main/**'],
    ignores: ['src/main/**/*.test.ts', 'src/main/shell/checkout-resources.ts', 'src/main/shell/ipc-adapter.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...ipcMainSelectors,
        {
          selector: "MetaProperty[meta.name='import'][property.name='meta']",
          message: 'Take files from the Resources object (src/main/resources.ts), not from import.meta.url.',
        },
      ],
    },
  },
  {
    // The simulator stands on its own: it imports src/shared and nothing else of ours (tests may use the core).
    files: ['src/sim/**'],
    ignores: ['src/sim/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ourFolders('main', 'renderer', 'preload', 'cli'), message: 'src/sim imports src/shared only.' }, testCode] },
      ],
    },
  },
  {
    // The privileged writer runs as root in a process of its own: Node and src/shared only, no network library.
    files: ['src/writer/**'],
    ignores: ['src/writer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeOnlyPackages, 'node:http', 'node:https', 'node:net', 'node:dgram'].map((name) => ({
            name,
            message: 'The writer runs as root: it reads files and block devices, and talks to the app over its stdin/stdout only.',
          })),
          patterns: [
            { group: ourFolders('main', 'renderer', 'preload', 'sim', 'cli'), message: 'src/writer imports src/shared only.' },
            testCode,
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    ignores: ['src/preload/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ourFolders('main', 'renderer', 'sim', 'cli'), message: 'The preload only imports src/shared.' }, testCode] },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'scripts/**'],
    rules: { 'max-lines': 'off' },
  },
  {
    // The one exception: the tegrastats hot path (≥ 500,000 lines/s budget) shares
    // module-level scan state between its field readers; splitting it costs speed.
    files: ['src/shared/telemetry/tegrastats-parser.ts'],
    rules: { 'max-lines': ['error', { max: 1000, skipBlankLines: true, skipComments: true }] },
  },
);
