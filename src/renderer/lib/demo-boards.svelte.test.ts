import { describe, expect, it } from 'vitest';
import { FakeCore, sampleBoard } from '../../../test/support/renderer/fake-core.ts';
import { DemoBoardsState, sshCommand } from './demo-boards.svelte.ts';

describe('DemoBoardsState', () => {
  it('keeps a change heard while an older list was on its way', async () => {
    const core = new FakeCore();
    core.boards = [sampleBoard('nano', 1)];
    const release = core.hold('demo.list');
    const demo = new DemoBoardsState(core.connect());
    demo.start();
    const loading = demo.refresh();
    // The subscription travels first; then another window adds a board.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const newer = [sampleBoard('nano', 1), sampleBoard('orin-nano', 2)];
    core.emit('demo.onDidChange', newer);
    await new Promise((resolve) => setTimeout(resolve, 0));
    core.boards = [];
    release();

    await loading;
    expect(demo.boards.map((board) => board.id)).toEqual(['sim-1', 'sim-2']);
    expect(demo.loaded).toBe(true);
    demo.dispose();
  });

  it('stops following the core once disposed', async () => {
    const core = new FakeCore();
    const demo = new DemoBoardsState(core.connect());
    demo.start();
    await demo.refresh();
    demo.dispose();

    const otherWindow = core.connect();
    const heard = new Promise((resolve) => otherWindow.on('demo.onDidChange', resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await otherWindow.call['demo.add']({ profile: 'nano' });
    await heard;
    expect(demo.boards).toEqual([]);
  });

  it('picks the first profile when the preferred one is missing', async () => {
    const core = new FakeCore();
    core.profiles = core.profiles.filter((profile) => profile.id !== 'orin-nano');
    const demo = new DemoBoardsState(core.connect());
    await demo.refresh();
    expect(demo.selectedProfile).toBe('nano');
  });
});

describe('sshCommand', () => {
  it('names the port only when it is not the SSH default', () => {
    expect(sshCommand({ host: '127.0.0.2', port: 2222, user: 'jetson' })).toBe('ssh -p 2222 jetson@127.0.0.2');
    expect(sshCommand({ host: '127.0.0.3', port: 22, user: 'ubuntu' })).toBe('ssh ubuntu@127.0.0.3');
  });
});
