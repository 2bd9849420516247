import { describe, expect, it } from 'vitest';
import { remoteCommandLine, watchdogScript } from './remote-command.ts';

describe('remoteCommandLine', () => {
  it('quotes every argument with the shared quoting function', () => {
    expect(remoteCommandLine(['ls', '-l', 'my file', '$(id)'], { sudo: false, stopWhenChannelCloses: false })).toBe(
      "ls -l 'my file' '$(id)'",
    );
  });

  it('puts sudo in front with the password read from stdin and no prompt', () => {
    expect(remoteCommandLine(['nvpmodel', '-m', '0'], { sudo: true, stopWhenChannelCloses: false })).toBe(
      "sudo -k -S -p '' -- nvpmodel -m 0",
    );
  });

  it('wraps a cancellable command in the constant watchdog script, argv after it', () => {
    const line = remoteCommandLine(['tegrastats', '--interval', '100'], { sudo: false, stopWhenChannelCloses: true });
    expect(line.startsWith("sh -c '")).toBe(true);
    expect(line.endsWith("' jwb-watchdog tegrastats --interval 100")).toBe(true);
    expect(watchdogScript).not.toContain("'");
  });

  it('runs sudo inside the watchdog, so sudo sees the password line alone and a refused one ends at once', () => {
    const line = remoteCommandLine(['jetson_clocks'], { sudo: true, stopWhenChannelCloses: true });
    expect(line.startsWith("sh -c '")).toBe(true);
    expect(line.endsWith("' jwb-watchdog sudo -k -S -p '' -- jetson_clocks")).toBe(true);
  });

  it('refuses an empty command', () => {
    expect(() => remoteCommandLine([], { sudo: false, stopWhenChannelCloses: false })).toThrow(/program name/);
    expect(() => remoteCommandLine([''], { sudo: false, stopWhenChannelCloses: false })).toThrow(/program name/);
  });
});
