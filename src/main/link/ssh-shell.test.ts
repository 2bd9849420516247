import { describe, expect, it } from 'vitest';
import { ShellListeners } from './ssh-shell.ts';

describe('ShellListeners', () => {
  it('hands what the shell said before anyone listened to the first listener', () => {
    const listeners = new ShellListeners();
    listeners.data('jetson@orin-nano-01:~$ ');
    const heard: string[] = [];
    listeners.onData((text) => heard.push(text));
    listeners.data('ls');
    expect(heard).toEqual(['jetson@orin-nano-01:~$ ', 'ls']);
  });

  it('forwards to every listener and holds nothing while one listens', () => {
    const listeners = new ShellListeners();
    const first: string[] = [];
    const second: string[] = [];
    listeners.onData((text) => first.push(text));
    listeners.data('a');
    listeners.onData((text) => second.push(text));
    listeners.data('b');
    expect(first).toEqual(['a', 'b']);
    expect(second).toEqual(['b']);
  });

  it('holds output again once the last listener left', () => {
    const listeners = new ShellListeners();
    const stop = listeners.onData(() => undefined);
    stop();
    listeners.data('late');
    const heard: string[] = [];
    listeners.onData((text) => heard.push(text));
    expect(heard).toEqual(['late']);
  });

  it('keeps the newest megabyte when nobody listens to a runaway shell', () => {
    const listeners = new ShellListeners();
    listeners.data('x'.repeat(1024 * 1024));
    listeners.data('tail');
    let heard = '';
    listeners.onData((text) => (heard += text));
    expect(heard).toHaveLength(1024 * 1024);
    expect(heard.endsWith('xtail')).toBe(true);
  });

  it('tells a listener that comes after the end how it ended, with the last output', () => {
    const listeners = new ShellListeners();
    listeners.data('logout\r\n');
    listeners.exit(0);
    listeners.exit(1);
    const heard: string[] = [];
    const codes: Array<number | null> = [];
    listeners.onData((text) => heard.push(text));
    listeners.onExit((code) => codes.push(code));
    expect(heard).toEqual(['logout\r\n']);
    expect(codes).toEqual([0]);
    expect(listeners.exited).toBe(true);
  });

  it('tells exit listeners once and forgets data listeners after the end', () => {
    const listeners = new ShellListeners();
    const codes: Array<number | null> = [];
    const heard: string[] = [];
    listeners.onExit((code) => codes.push(code));
    listeners.onData((text) => heard.push(text));
    listeners.exit(null);
    listeners.exit(0);
    listeners.data('after');
    expect(codes).toEqual([null]);
    expect(heard).toEqual([]);
  });
});
