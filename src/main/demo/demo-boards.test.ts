/**
 * Address allocation of demo mode. The real simulator runs in the contract
 * suite; here a stand-in fails the way other systems do (a taken port; macOS
 * routing only 127.0.0.1), which Linux cannot be made to do on demand.
 */
import { expect, it } from 'vitest';
import { DemoBoards, type Simulator } from './demo-boards.ts';

function simulator(refuse: (host: string) => string | undefined): Simulator & { started: string[] } {
  const started: string[] = [];
  let nextPort = 40000;
  return {
    started,
    profiles: () => [{ id: 'nano', name: 'Jetson Nano', kind: 'jetson', l4t: '32.7.1', jetpack: '4.6.1' }],
    async start({ host, port }) {
      const code = refuse(host);
      if (code) throw Object.assign(new Error(code), { code });
      const address = `${host}:${port === 0 ? nextPort++ : port}`;
      started.push(address);
      const [, actualPort] = address.split(':');
      return { host, port: Number(actualPort), user: 'jetson', password: 'jetson', fingerprint: 'SHA256:x', dispose: async () => {} };
    },
  };
}

it('skips loopback addresses another program holds', async () => {
  const sim = simulator((host) => (host === '127.0.0.2' ? 'EADDRINUSE' : undefined));
  const demo = new DemoBoards(sim);
  expect((await demo.add('nano')).host).toBe('127.0.0.3');
  expect((await demo.add('nano')).host).toBe('127.0.0.4');
});

it('falls back to 127.0.0.1 on a free port where only that address is routed (macOS)', async () => {
  const sim = simulator((host) => (host === '127.0.0.1' ? undefined : 'EADDRNOTAVAIL'));
  const demo = new DemoBoards(sim);
  const first = await demo.add('nano');
  const second = await demo.add('nano');
  expect([first.host, second.host]).toEqual(['127.0.0.1', '127.0.0.1']);
  expect(first.port).not.toBe(second.port);
});

it('reports other start failures instead of trying every address', async () => {
  const sim = simulator(() => 'EACCES');
  await expect(new DemoBoards(sim).add('nano')).rejects.toThrow('EACCES');
  expect(sim.started).toEqual([]);
});
