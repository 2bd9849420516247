/**
 * Discovery's port model (STYLE.md D, after Arduino's pluggable discovery):
 * one record for serial, network and USB-recovery ports, keyed by
 * `${protocol}://${address}`, and one interface every source implements.
 */
export type PortProtocol = 'serial' | 'network' | 'usb-recovery';

export interface PortProperties {
  /** USB ids, normalized with `normalizeUsbId` (lowercase 4-hex). */
  vid?: string;
  pid?: string;
  serialNumber?: string;
  /** `SHA256:…`, as OpenSSH prints it. */
  hostKeyFingerprint?: string;
  hostKeyType?: string;
  /** The SSH identification line (`SSH-2.0-OpenSSH_8.9p1 …`). */
  banner?: string;
  mac?: string;
  host?: string;
  port?: number;
  user?: string;
  /** Why this port might be a board, when it is only a guess ("possibly a console"). */
  hint?: string;
  [name: string]: string | number | boolean | undefined;
}

export interface DiscoveredPort {
  key: string;
  protocol: PortProtocol;
  /** `/dev/ttyACM0`, `127.0.0.2:2222`, `1-2.1` (USB bus-port path). */
  address: string;
  label: string;
  properties: PortProperties;
  /** The module, when the source can tell (recovery product id, mDNS name…). */
  module?: string;
  /** Which source(s) saw it, comma-separated after merging. */
  source: string;
}

export type DiscoveryEvent = { type: 'add'; port: DiscoveredPort } | { type: 'remove'; key: string };

export interface DiscoverySource {
  readonly name: string;
  /** Starts watching; the ports already present arrive as an initial burst of `add`. */
  start(): Promise<void>;
  /** Stops watching and releases every timer and socket. */
  stop(): Promise<void>;
  /** Returns a disposer. */
  onDidChange(listener: (event: DiscoveryEvent) => void): () => void;
}

export function portKey(protocol: PortProtocol, address: string): string {
  return `${protocol}://${address}`;
}

/** `host:port`, with IPv6 literals in brackets. */
export function networkAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
