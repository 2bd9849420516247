/**
 * The simulator as the app's demo mode sees it (src/main/demo/demo-boards.ts
 * declares the shape; the composition root passes this in). Sandboxes live
 * in the data folder, so a demo board keeps what was installed on it.
 */
import { startBoard } from './fleet.ts';
import { listProfiles } from './profiles.ts';

export function createInProcessSimulator(dataRoot: string) {
  return {
    profiles() {
      return listProfiles().map((profile) => ({
        id: profile.id,
        name: profile.name,
        kind: profile.kind,
        l4t: profile.l4t,
        jetpack: profile.jetpack,
      }));
    },
    async start(options: { profile: string; name: string; host: string; port: number }) {
      const running = await startBoard({ ...options, dataRoot });
      const descriptor = running.descriptor();
      return {
        host: descriptor.host,
        port: descriptor.port,
        user: descriptor.user,
        password: descriptor.password,
        fingerprint: descriptor.fingerprint,
        async dispose() {
          await running.ssh.dispose();
          await running.serial?.dispose();
          running.board.dispose();
        },
      };
    },
  };
}
