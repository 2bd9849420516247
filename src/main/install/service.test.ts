import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InstallProgressEvent } from '../../shared/install/contract.ts';
import { eventOf, ProgressRelay } from './service.ts';

const ids = { boardId: 'board-1', library: 'pytorch' };
const eventIds = { installId: 'a', board: 'board-1', label: 'bench-1', library: 'pytorch' };

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressRelay', () => {
  it('gathers log text into at most one event per interval, and flushes it before the next step', () => {
    vi.useFakeTimers();
    const sent: InstallProgressEvent[] = [];
    const relay = new ProgressRelay(eventIds, (_topic, payload) => sent.push(payload), 100);
    for (let line = 0; line < 50; line += 1) relay.push({ type: 'log', ...ids, index: 0, stream: 'stdout', text: `line ${line}\n` }, false);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'log', stepIndex: 0, state: 'running' });
    expect(sent[0]?.text?.split('\n')).toHaveLength(51);

    relay.push({ type: 'log', ...ids, index: 0, stream: 'stderr', text: 'last words\n' }, false);
    relay.push({ type: 'step-finished', ...ids, index: 0, count: 2, title: 'Build', outcome: 'done', durationMs: 5 }, false);
    expect(sent.map((event) => event.kind)).toEqual(['log', 'log', 'step-finished']);
    expect(sent[1]?.text).toBe('last words\n');
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(3);
  });
});

describe('eventOf', () => {
  it('marks a failure after a cancel as cancelled, and any other as failed', () => {
    const error = { code: 'unavailable' as const, message: 'The connection was lost.' };
    expect(eventOf(eventIds, { type: 'failed', ...ids, error }, true).state).toBe('cancelled');
    expect(eventOf(eventIds, { type: 'failed', ...ids, error }, false)).toMatchObject({ state: 'failed', error });
    expect(eventOf(eventIds, { type: 'finished', ...ids }, false).state).toBe('done');
  });
});
