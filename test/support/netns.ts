/**
 * Two network namespaces joined by a veth pair whose ends are created
 * directly inside them, with link-local addresses that exist only there:
 * multicast (mDNS) sent in one reaches the other and nothing else, never an
 * interface of this computer. Each namespace also has its own loopback.
 * Names carry the process id, so tests running at once do not share them.
 */
import { execFileSync } from 'node:child_process';

export interface NamespaceEnd {
  /** The namespace's name (`ip netns exec <name> …`). */
  readonly name: string;
  /** The veth end's link-local address inside it. */
  readonly address: string;
}

export interface NamespacePair {
  readonly a: NamespaceEnd;
  readonly b: NamespaceEnd;
  /** `ip netns exec <ns> <command…>` as spawn arguments: `spawn('ip', pair.exec(pair.a, [...]))`. */
  exec(end: NamespaceEnd, command: readonly string[]): string[];
  /** Deletes both namespaces (and with them the veth pair and whatever still runs there loses its network). */
  dispose(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function remove(name: string): void {
  try {
    ip('netns', 'delete', name);
  } catch {
    // Not there: nothing to remove.
  }
}

/** The pair, or why it cannot be made here (no `ip netns`, not permitted): the caller skips with that reason. */
export function createNamespacePair(prefix: string): NamespacePair | string {
  const a = { name: `${prefix}-${process.pid}-a`, address: '169.254.77.1', link: 'jwbv-a' };
  const b = { name: `${prefix}-${process.pid}-b`, address: '169.254.77.2', link: 'jwbv-b' };
  const dispose = (): void => [a, b].forEach((end) => remove(end.name));
  try {
    dispose();
    ip('netns', 'add', a.name);
    ip('netns', 'add', b.name);
    ip('-n', a.name, 'link', 'add', a.link, 'type', 'veth', 'peer', 'name', b.link, 'netns', b.name);
    for (const end of [a, b]) {
      ip('-n', end.name, 'addr', 'add', `${end.address}/24`, 'dev', end.link);
      ip('-n', end.name, 'link', 'set', 'lo', 'up');
      ip('-n', end.name, 'link', 'set', end.link, 'up', 'multicast', 'on');
      ip('-n', end.name, 'route', 'add', '224.0.0.0/4', 'dev', end.link);
    }
  } catch (error) {
    dispose();
    return `ip netns is not permitted here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  return {
    a: { name: a.name, address: a.address },
    b: { name: b.name, address: b.address },
    exec: (end, command) => ['netns', 'exec', end.name, ...command],
    dispose,
  };
}
