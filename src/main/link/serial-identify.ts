import type { BoardLink } from '../../shared/board-link.ts';
import { jetpackForL4t } from '../../shared/identify/jetpack.ts';
import { parseNvTegraRelease } from '../../shared/identify/parse-nvidia.ts';
import { parseDeviceTreeString, parseIpv4Addresses } from '../../shared/identify/parse-system.ts';

/** What a console can tell cheaply: enough to name the board and offer SSH to one of its addresses. */
export interface SerialIdentity {
  /** `/proc/device-tree/model` (jetson-facts.md §3.2), null when unreadable. */
  model: string | null;
  /** From `/etc/nv_tegra_release` (§3.4), e.g. `36.4.3`. */
  l4t: string | null;
  jetpack: string | null;
  hostname: string | null;
  /** `address/prefix` from `ip -4 addr`, loopback left out. */
  addresses: string[];
}

/**
 * The reduced identification over a serial console: four short commands, one
 * at a time (a console runs nothing in parallel), each allowed to fail.
 * The parsers are the same ones the SSH identification uses.
 */
export async function identifyOverSerial(link: Pick<BoardLink, 'exec'>, timeoutMs = 10_000): Promise<SerialIdentity> {
  const read = async (argv: string[]): Promise<string | undefined> => {
    const result = await link.exec(argv, { timeoutMs });
    return result.code === 0 ? result.stdout : undefined;
  };
  const model = parseDeviceTreeString(await read(['cat', '/proc/device-tree/model']));
  const { l4t } = parseNvTegraRelease(await read(['cat', '/etc/nv_tegra_release']));
  const hostname = (await read(['hostname']))?.trim() || null;
  // Plain `ip -4 addr` rather than `-o`: the parser reads both, and the simulated board knows only this form.
  const addresses = parseIpv4Addresses(await read(['ip', '-4', 'addr']));
  return { model, l4t, jetpack: jetpackForL4t(l4t), hostname, addresses };
}
