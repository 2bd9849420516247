import { join } from 'node:path';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import { KnownHosts, type NewHostRequest } from '../link/known-hosts.ts';
import { SshLink } from '../link/ssh-link.ts';
import { identify } from './identify.ts';

export interface BoardLogin {
  host: string;
  port: number;
  username: string;
  password?: string;
  identityFiles?: readonly string[];
}

export interface TrustOnFirstUse {
  knownHosts: KnownHosts;
  /** Told about each key trusted for the first time (the CLI prints it). */
  onNewHost?: (request: NewHostRequest) => void;
  readyTimeoutMs?: number;
}

export interface IdentifiedBoard {
  facts: BoardFacts;
  hostKeyFingerprint: string | null;
  hostKeyType: string | null;
  /** True when this run trusted the key for the first time. */
  newlyTrusted: boolean;
}

/** The data folder's trust store, as every command-line session uses it. */
export function knownHostsIn(dataDir: string): KnownHosts {
  return new KnownHosts(join(dataDir, 'known-hosts.json'));
}

/**
 * Connects, identifies and disconnects. A board never seen is trusted on
 * first use (the caller hears its fingerprint); a changed key is refused by
 * the link with its explanation (`host-key-changed`).
 */
export async function connectAndIdentify(login: BoardLogin, trust: TrustOnFirstUse): Promise<IdentifiedBoard> {
  let newlyTrusted = false;
  const link = await SshLink.connect(
    { host: login.host, port: login.port, username: login.username, password: login.password, identityFiles: login.identityFiles },
    {
      knownHosts: trust.knownHosts,
      readyTimeoutMs: trust.readyTimeoutMs ?? 20_000,
      confirmNewHost: async (request) => {
        newlyTrusted = true;
        trust.onNewHost?.(request);
        return true;
      },
    },
  );
  try {
    const facts = await identify(link);
    const known = await trust.knownHosts.get(login.host, login.port);
    return { facts, hostKeyFingerprint: known?.fingerprint ?? null, hostKeyType: known?.keyType ?? null, newlyTrusted };
  } finally {
    await link.close();
  }
}
