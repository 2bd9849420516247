/** What the simulated board runs stays inside its sandbox (issue: "Nothing the sim runs can leave its own sandbox folder"). */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkbenchKey, installPublicKey } from '../main/link/keys.ts';
import { KnownHosts } from '../main/link/known-hosts.ts';
import { SshLink } from '../main/link/ssh-link.ts';
import { commandLine } from '../shared/shell-quote.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { connect, exec } from './testing.ts';

const hasBubblewrap = existsSync('/usr/bin/bwrap');
if (!hasBubblewrap)
  process.stdout.write(
    '\n[confine] SKIPPED: bubblewrap (/usr/bin/bwrap) is not installed; python3 on a simulated board runs unconfined.\n',
  );

describe.skipIf(!hasBubblewrap)('what a simulated board runs', () => {
  let fleet: Fleet;
  let outside: string;
  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'jwb-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'host secret');
    fleet = await startFleet({ profile: 'agx-orin', count: 1, port: 0 });
  });
  afterAll(async () => {
    await fleet.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  async function python(code: string) {
    const client = await connect(fleet.boards[0]!);
    try {
      return await exec(client, commandLine('python3', '-c', code));
    } finally {
      client.end();
    }
  }

  it('sees the simulated board at its real paths', async () => {
    const result = await python(
      "print(open('/proc/device-tree/model').read().strip('\\0')); print(open('/etc/nv_tegra_release').readline().strip()); import glob; print(len(glob.glob('/sys/bus/i2c/devices/*/hwmon/hwmon*/in*_label')) > 0)",
    );
    expect(result.code).toBe(0);
    const [model, release, rails] = result.stdout.trim().split('\n');
    expect(model).toContain('AGX Orin');
    expect(release).toMatch(/^# R3\d/);
    expect(rails).toBe('True');
  });

  it('cannot read or write the host outside its folder, nor reach the network', async () => {
    const result = await python(
      [
        'import os, socket',
        `print(os.path.exists(${JSON.stringify(join(outside, 'secret.txt'))}))`,
        `print(os.path.exists(${JSON.stringify(process.cwd())}))`,
        's = socket.socket()',
        's.settimeout(1)',
        'print(s.connect_ex(("127.0.0.1", 22)) != 0)',
        'print(os.access("/usr/bin", os.W_OK))',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(['False', 'False', 'True', 'False']);
  });

  it("runs the link's watchdog and ssh-copy-id scripts like a real board", async () => {
    const board = fleet.boards[0]!;
    const knownHosts = new KnownHosts(join(outside, 'known-hosts.json'));
    const confirmNewHost = async () => true;
    const link = await SshLink.connect(
      { host: board.host, port: board.port, username: board.user, password: board.password, agentSocket: null },
      { knownHosts, confirmNewHost },
    );
    try {
      // A timeout wraps the command in the stop-on-close watchdog script.
      const model = await link.exec(['cat', '/proc/device-tree/model'], { timeoutMs: 10_000 });
      expect(model.stdout).toContain('AGX Orin');
      const key = await ensureWorkbenchKey(join(outside, 'ssh'));
      expect(await installPublicKey(link, key.publicKeyLine)).toEqual({ added: true });
      expect(await installPublicKey(link, key.publicKeyLine)).toEqual({ added: false });
    } finally {
      await link.close();
    }
    const keyOnly = await SshLink.connect(
      { host: board.host, port: board.port, username: board.user, identityFiles: [join(outside, 'ssh', 'id_ed25519')], agentSocket: null },
      { knownHosts },
    );
    expect((await keyOnly.exec(['whoami'])).stdout.trim()).toBe(board.user);
    await keyOnly.close();
  });
});
