/**
 * The command line builds the same workbench as the app and goes through its
 * dispatcher, so every option it passes on is validated by the contract's
 * schemas, exactly as a request from the window would be. A board the command
 * line reaches by address is trusted on first use, and said so on stderr.
 */
import { checkoutResources } from '../main/shell/checkout-resources.ts';
import { elevatedArgv } from '../main/shell/elevate.ts';
import { createWorkbench, type Workbench, type WorkbenchOptions } from '../main/app.ts';
import { openConfStore } from '../main/store/conf-store.ts';
import { defaultDataDir } from '../main/store/data-dir.ts';
import type { EventPayload, MethodInput, MethodName, MethodOutput, TopicName } from '../shared/api.ts';
import type { BoardRef } from '../shared/boards/board-ref.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import type { CliIo } from './command.ts';

export interface CliWorkbench {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<T extends TopicName>(topic: T, listener: (payload: EventPayload<T>) => void): () => void;
}

/** Runs `work` with a workbench over the data folder (`JWB_DATA_DIR`, else the per-user one), then disposes it. */
export async function withWorkbench<T>(
  io: CliIo,
  command: string,
  work: (workbench: CliWorkbench) => Promise<T>,
  extra: Pick<WorkbenchOptions, 'discovery'> = {},
): Promise<T> {
  const dataDir = defaultDataDir(io.env);
  const core: Workbench = createWorkbench({
    shell: 'cli',
    dataDir,
    store: openConfStore(dataDir),
    resources: checkoutResources,
    writer: { elevate: elevatedArgv },
    // The command line starts nothing in the background: USB, serial and ssh-config watching stay off.
    discovery: { sources: { usb: false, serial: false, sshConfig: false }, ...extra.discovery },
    trust: {
      kind: 'on-first-use',
      onNewHost: (request) =>
        io.stderr.write(
          `jwb ${command}: trusting ${request.host}:${request.port} on first use, ${request.keyType} ${request.fingerprint}\n`,
        ),
    },
  });
  try {
    return await work({
      async call(method, input) {
        const result = await core.dispatcher.handle(method, input, { via: 'cli' });
        if (!result.ok) throw new WorkbenchFailure(result.error.code, result.error.message, result.error.detail);
        return result.value as MethodOutput<typeof method>;
      },
      on(topic, listener) {
        return core.events.subscribe((name, payload) => {
          if (name === topic) listener(payload as EventPayload<typeof topic>);
        });
      },
    });
  } finally {
    await core.dispose();
  }
}

/** `user@host[:port]` with its password and key files, as the contract's board reference. */
export function addressRef(
  target: { username: string; host: string; port: number },
  password: string | undefined,
  identityFiles: readonly string[] | undefined,
): BoardRef {
  return {
    kind: 'address',
    host: target.host,
    port: target.port,
    user: target.username,
    ...(password === undefined ? {} : { password }),
    ...(identityFiles === undefined ? {} : { identityFiles: [...identityFiles] }),
  };
}
