/**
 * Runs a packaged desktop app (desktop-package.ts) in a child Node process
 * that plays Electron's main process (electron-main-process.ts), and talks
 * to its page: `call` goes through the preload's `window.workbench`, the
 * IPC stand-in and the app's IPC router, as a click in the window would.
 */
import { fork } from 'node:child_process';
import type { MethodInput, MethodName, MethodOutput, TopicName } from '../../src/shared/api.ts';
import type { Result } from '../../src/shared/errors.ts';
import { shellEnvironment, type PackagedApp } from './desktop-package.ts';
import type { FromTest, ToTest, WindowReport } from './electron-main-process.ts';

export interface RunningApp {
  window: WindowReport;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** The same request from a frame at another URL (not the app's page). */
  callFrom(url: string, method: MethodName, input: unknown): Promise<Result<unknown>>;
  subscribe(topic: TopicName): void;
  readonly events: { topic: TopicName; payload: unknown }[];
  /** `app.quit()`; resolves with the exit code. */
  quit(): Promise<number | null>;
}

const mainProcess = new URL('./electron-main-process.ts', import.meta.url).pathname;
/** Long enough for a loaded 2-core machine; the window comes up in about a second. */
const loadTimeoutMs = 30_000;

type Request =
  { type: 'call'; method: MethodName; input: unknown } | { type: 'call-from'; url: string; method: MethodName; input: unknown };

/** Starts the app; rejects with the app's own error when it does not get as far as a loaded window. */
export function launchPackagedApp(app: PackagedApp, userDataDir: string): Promise<RunningApp> {
  // The desktop app's data folder is Electron's userData unless JWB_DATA_DIR says otherwise: leave it to Electron.
  const env = shellEnvironment();
  delete env.JWB_DATA_DIR;
  const child = fork(mainProcess, [app.resourcesDir, userDataDir], {
    env,
    execArgv: ['--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((settle) => child.on('exit', (code) => settle(code)));
  const pending = new Map<number, (result: unknown) => void>();
  const events: RunningApp['events'] = [];
  let nextId = 1;
  const request = (message: Request) =>
    new Promise<unknown>((settle) => {
      const id = nextId++;
      pending.set(id, settle);
      child.send({ ...message, id } as FromTest);
    });

  return new Promise((settle, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`The packaged app's window did not load within ${loadTimeoutMs} ms:\n${output}`));
    }, loadTimeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`The packaged app exited (${code}) before its window loaded:\n${output}`));
    });
    child.on('message', (message: ToTest) => {
      if (message.type !== 'result' && message.type !== 'event') clearTimeout(timer);
      if (message.type === 'failed') fail(new Error(`The packaged app failed to load: ${message.error.name}: ${message.error.message}`));
      else if (message.type === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.type === 'event') events.push({ topic: message.topic, payload: message.payload });
      else
        settle({
          window: message.window,
          call: <M extends MethodName>(method: M, input: MethodInput<M>) =>
            request({ type: 'call', method, input }) as Promise<Result<MethodOutput<M>>>,
          callFrom: (url, method, input) => request({ type: 'call-from', url, method, input }) as Promise<Result<unknown>>,
          subscribe: (topic) => child.send({ type: 'subscribe', topic } satisfies FromTest),
          events,
          quit: () => {
            child.send({ type: 'quit' } satisfies FromTest);
            return exited;
          },
        });
    });
  });
}
