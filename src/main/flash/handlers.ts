/** `flash.*`: SD images, recovery-mode flashing, their jobs and logs, and oem-config over the serial console. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { ConsoleSessions } from './console-sessions.ts';
import type { FlashJobs } from './flash-jobs.ts';
import type { RecoveryFlashService } from './recovery-flash.ts';
import type { SdFlashService } from './sd-flash.ts';

export interface FlashServices {
  jobs: FlashJobs;
  sd: SdFlashService;
  recovery: RecoveryFlashService;
  consoles: ConsoleSessions;
  /** BoardRegistry.workbenchKey: the key a pre-configured board will trust. */
  workbenchKey: () => Promise<{ publicKeyLine: string; fingerprint: string }>;
}

export function flashHandlers({ jobs, sd, recovery, consoles, workbenchKey }: FlashServices): HandlersOf<'flash'> {
  return {
    'flash.drives': ({ includeVirtual }) => sd.drives(includeVirtual),
    'flash.devkits': () => recovery.devkits(),
    'flash.workbenchKey': async () => {
      const { publicKeyLine, fingerprint } = await workbenchKey();
      return { publicKeyLine, fingerprint };
    },
    'flash.sd.start': (request) => sd.start(request),
    'flash.recovery.check': (request) => recovery.check(request),
    'flash.recovery.start': (request) => recovery.start(request),
    'flash.cancel': ({ flashId }) => ({ cancelled: jobs.cancel(flashId) }),
    'flash.jobs': () => jobs.list(),
    'flash.log': ({ flashId }) => jobs.log(flashId),
    'flash.console.open': ({ path }) => consoles.open(path),
    'flash.console.answer': ({ sessionId, answer }) => consoles.answer(sessionId, answer),
    'flash.console.auto': ({ sessionId, firstBoot }) => consoles.auto(sessionId, firstBoot),
    'flash.console.finish': ({ sessionId, user, password }) => consoles.finish(sessionId, user, password),
    'flash.console.close': ({ sessionId }) => consoles.close(sessionId),
  };
}
