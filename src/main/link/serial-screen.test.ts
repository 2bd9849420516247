import { describe, expect, it } from 'vitest';
import { classifyScreen } from './serial-screen.ts';

describe('classifyScreen', () => {
  it('recognises a getty login prompt after a boot log', () => {
    const screen = '[  OK  ] Reached target Multi-User System.\n\nUbuntu 22.04.5 LTS nano ttyTCU0\n\nnano login: ';
    expect(classifyScreen(screen).kind).toBe('login');
  });

  it('recognises Password: and a shell prompt (user, root, bare)', () => {
    expect(classifyScreen('nano login: jetson\nPassword: ').kind).toBe('password');
    expect(classifyScreen('Welcome to Ubuntu\n\njetson@nano:~$ ')).toMatchObject({ kind: 'shell', prompt: 'jetson@nano:~$' });
    expect(classifyScreen('root@nano:/# ').kind).toBe('shell');
    expect(classifyScreen('\n$ ').kind).toBe('shell');
    expect(classifyScreen('\n> ').kind).toBe('continuation');
  });

  it('calls a scrolling boot log "booting"', () => {
    expect(classifyScreen('[    4.212830] systemd[1]: Hostname set to <nano>.\n').kind).toBe('booting');
    expect(classifyScreen('').kind).toBe('booting');
  });

  it('reports oem-config with its question, never as a password prompt or a shell', () => {
    // The kernel line and the wizard title are from flashing-and-installing.md §4.1.
    const screen =
      "[   24.092716] Please complete system configuration setup on the serial port provided by Jetson's USB device mode connection.\n\nWelcome to Jetson Initial Configuration\n\nPress <Enter> to continue: ";
    expect(classifyScreen(screen)).toMatchObject({ kind: 'first-boot', question: 'Press <Enter> to continue:' });
    expect(classifyScreen('--- Who are you? ---\nChoose a password: ', true)).toMatchObject({
      kind: 'first-boot',
      question: 'Choose a password:',
    });
    expect(classifyScreen('--- Network configuration ---\nHostname: ', true).kind).toBe('first-boot');
  });

  it('leaves the wizard at the login prompt that follows it', () => {
    expect(
      classifyScreen('Welcome to Jetson Initial Configuration\n…\nSystem configuration is complete.\n\nlab-07 login: ', true).kind,
    ).toBe('login');
  });
});
