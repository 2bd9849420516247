import { describe, expect, it, vi } from 'vitest';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { Dispatcher, type Handlers } from './dispatcher.ts';

const info = {
  name: 'Jetson Workbench',
  version: '1.0.0',
  platform: 'linux',
  arch: 'x64',
  runtime: 'Node.js 22',
  shell: 'test' as const,
  dataDir: '/tmp',
  database: { path: '/tmp/r.sqlite', schemaVersion: 1 },
};

function dispatcher(overrides: Partial<Handlers>, onInternalError = vi.fn()) {
  // Partial: methods this suite does not call need no stand-in (the contract grows with every feature).
  const defaults: Partial<Handlers> = {
    'app.info': () => info,
    'settings.get': () => ({ language: 'en', theme: 'system' }),
    'settings.update': (patch) => ({ language: patch.language ?? 'en', theme: patch.theme ?? 'system' }),
    'demo.profiles': () => [],
    'demo.list': () => [],
    'demo.add': () => Promise.reject(new Error('not in this test')),
    'demo.remove': () => ({ removed: false }),
  };
  return new Dispatcher({ ...defaults, ...overrides } as Handlers, onInternalError);
}

describe('Dispatcher', () => {
  it('never lets a handler see an invalid input', async () => {
    const update = vi.fn();
    const result = await dispatcher({ 'settings.update': update }).handle('settings.update', { theme: 42 }, { via: 'memory' });
    expect(update).not.toHaveBeenCalled();
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: expect.any(String), detail: expect.stringContaining('theme') },
    });
  });

  it('answers an unknown method, including prototype keys, with unknown-method', async () => {
    for (const method of ['app.nope', 'constructor', '__proto__', 42]) {
      expect(await dispatcher({}).handle(method, {}, { via: 'memory' })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('passes a service failure through as data', async () => {
    const failing = dispatcher({
      'app.info': () => {
        throw new WorkbenchFailure('unavailable', 'The board is offline.', 'jetson@127.0.0.2');
      },
    });
    expect(await failing.handle('app.info', {}, { via: 'memory' })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'The board is offline.', detail: 'jetson@127.0.0.2' },
    });
  });

  it('turns a crash into an internal error without a stack trace, and reports it', async () => {
    const report = vi.fn();
    const crashing = dispatcher({ 'app.info': () => Promise.reject(new TypeError('x is undefined')) }, report);
    const result = await crashing.handle('app.info', {}, { via: 'memory' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String), detail: 'x is undefined' } });
    expect(report).toHaveBeenCalledWith('app.info', expect.any(TypeError));
  });

  it('checks what a handler returns against the contract', async () => {
    const broken = dispatcher({ 'app.info': () => ({ ...info, version: 3 }) as never });
    expect(await broken.handle('app.info', {}, { via: 'memory' })).toMatchObject({
      ok: false,
      error: { code: 'internal', detail: expect.stringContaining('version') },
    });
  });
});
