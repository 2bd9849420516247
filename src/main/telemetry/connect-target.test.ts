import { expect, it } from 'vitest';
import type { BoardLink } from '../link/board-link.ts';
import { KnownHosts } from '../link/known-hosts.ts';
import { connectTarget } from './connect-target.ts';

const knownHosts = new KnownHosts('/nonexistent/known-hosts.json');

it('borrows the link of a board connected in the Boards view, and never owns it', async () => {
  const link = { state: 'ready' } as unknown as BoardLink;
  const opened = await connectTarget(
    { boardId: 'b1' },
    () => [],
    knownHosts,
    (id) => ({ link, label: `lab-${id}` }),
  );
  expect(opened).toEqual({ board: 'b1', label: 'lab-b1', link, ownsLink: false });
});

it('asks for a connection first when the board is not connected', async () => {
  await expect(connectTarget({ boardId: 'b2' }, () => [], knownHosts)).rejects.toMatchObject({ code: 'unavailable' });
});
