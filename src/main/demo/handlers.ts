/** `demo.*`: the simulated boards of demo mode. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { DemoBoards } from './demo-boards.ts';

export function demoHandlers(demo: DemoBoards): HandlersOf<'demo'> {
  return {
    'demo.profiles': () => demo.profiles(),
    'demo.list': () => demo.list(),
    'demo.add': ({ profile }) => demo.add(profile),
    'demo.remove': async ({ id }) => ({ removed: await demo.remove(id) }),
  };
}
