import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { MakerZIP } from '@electron-forge/maker-zip';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

// `npm start` and `npm run make`. The renderer is the same Vite build the
// serve shell uses (vite.renderer.config.ts); main and preload are bundled
// by the configs next to this file.
const config: ForgeConfig = {
  packagerConfig: {
    name: 'Jetson Workbench',
    executableName: 'jetson-workbench',
    asar: true,
    extraResource: ['resources/agent'],
  },
  makers: [new MakerZIP({}, ['linux', 'darwin', 'win32'])],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'src/main/shell/electron.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'src/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    // Hardening, as Electron Forge's template: no ELECTRON_RUN_AS_NODE, no
    // NODE_OPTIONS, asar integrity, load the app only from its asar. The
    // inspect-arguments fuse stays on in this test build so Playwright's
    // _electron can drive it (STYLE.md, part I); turn it off for releases.
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
