/**
 * The discovery part of the contract (`discovery.*`): boards found on USB
 * (recovery mode, serial consoles), in `~/.ssh/config`, by range scans and
 * mDNS browsing the person starts, streamed as they are found; and the first
 * login on a serial console, which reads the board's network address.
 * `api.ts` spreads these in.
 */
import { z } from 'zod';
import { UserName } from './boards/board-ref.ts';

const PortProperties = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const DiscoveredPortSchema = z.object({
  key: z.string(),
  protocol: z.enum(['serial', 'network', 'usb-recovery']),
  address: z.string(),
  label: z.string(),
  properties: PortProperties,
  module: z.string().optional(),
  source: z.string(),
});

export const DiscoveredBoardSchema = z.object({
  id: z.string(),
  label: z.string(),
  module: z.string().optional(),
  ports: z.array(DiscoveredPortSchema),
});
export type DiscoveredBoardView = z.infer<typeof DiscoveredBoardSchema>;

/** The mDNS browse the person started: on which interface, and whether it still listens. */
export const MdnsBrowseSchema = z.object({
  /** The interface's IPv4 address (what the browse sends from and listens on) and its name (`eth0`). */
  interface: z.string(),
  name: z.string(),
  running: z.boolean(),
});
export type MdnsBrowse = z.infer<typeof MdnsBrowseSchema>;

/** What the Boards view shows of discovery: every board found, the range scan and the mDNS browse (if any). */
export const DiscoveryStateSchema = z.object({
  boards: z.array(DiscoveredBoardSchema),
  scan: z
    .object({
      range: z.string(),
      ports: z.array(z.number().int()),
      /** Addresses × ports to probe, and how many were probed so far. */
      total: z.number().int(),
      probed: z.number().int(),
      running: z.boolean(),
    })
    .nullable(),
  mdns: MdnsBrowseSchema.nullable(),
});
export type DiscoveryState = z.infer<typeof DiscoveryStateSchema>;

/** `10.0.0.1-10.0.0.254`, a CIDR, or a comma list: the syntax `expandAddressRange` reads; checked there. */
const Range = z
  .string()
  .trim()
  .min(1)
  .max(400)
  .regex(/^[0-9A-Za-z.:/,\s-]+$/, 'addresses, ranges (a-b) or CIDR blocks');
const Ports = z.array(z.number().int().min(1).max(65535)).min(1).max(8);
/** A serial device path: `/dev/ttyACM0`, `/dev/pts/3`, `COM3`; never a relative path or `..`. */
export const SerialPath = z
  .string()
  .min(2)
  .max(120)
  .regex(/^(\/dev\/[A-Za-z0-9._/-]+|COM[0-9]{1,3})$/, 'a serial device such as /dev/ttyUSB0 or COM3')
  .refine((path) => !path.split('/').includes('..'), 'a serial device such as /dev/ttyUSB0 or COM3');

/** An IPv4 address of this computer's interfaces (`discovery.interfaces`); the service checks it is one of them. */
const InterfaceAddress = z
  .string()
  .max(15)
  .regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address of one of this computer’s network interfaces');

/** A network interface mDNS can browse on: not loopback, IPv4. */
export const NetworkInterfaceSchema = z.object({ name: z.string(), address: z.string(), cidr: z.string().nullable() });
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;

/** What a login on a serial console read: enough to name the board and connect to it over the network. */
export const SerialLoginSchema = z.object({
  path: z.string(),
  user: z.string(),
  hostname: z.string().nullable(),
  /** `/proc/device-tree/model`, as the SSH identification's `module`. */
  module: z.string().nullable(),
  l4t: z.string().nullable(),
  jetpack: z.string().nullable(),
  /** The board's IPv4 addresses, without the prefix length; 127.0.0.1 left out. Empty before it has a network. */
  addresses: z.array(z.string()),
});
export type SerialLogin = z.infer<typeof SerialLoginSchema>;

/** The terminal of a serial console is opened as `terminal.open` on this board id. */
export function serialTerminalId(path: string): string {
  return `serial:${path}`;
}

export const discoveryMethods = {
  'discovery.list': { input: z.object({}).strict(), output: DiscoveryStateSchema },
  'discovery.scan': {
    input: z.object({ range: Range, ports: Ports.default([22]) }).strict(),
    output: z.object({ hosts: z.number().int() }),
  },
  'discovery.stop': { input: z.object({}).strict(), output: z.object({ stopped: z.boolean() }) },
  'discovery.addSerialPort': { input: z.object({ path: SerialPath }).strict(), output: DiscoveryStateSchema },
  /** This computer's IPv4 interfaces other than loopback: where an mDNS browse may listen. Sends nothing. */
  'discovery.interfaces': { input: z.object({}).strict(), output: z.array(NetworkInterfaceSchema) },
  /** Browses mDNS on one interface for `seconds` (replacing a browse under way); boards stream through `onDidChange`. */
  'discovery.browseMdns': {
    input: z.object({ interface: InterfaceAddress, seconds: z.number().int().min(1).max(600).default(60) }).strict(),
    output: MdnsBrowseSchema,
  },
  'discovery.stopMdns': { input: z.object({}).strict(), output: z.object({ stopped: z.boolean() }) },
  /**
   * Logs in on a listed serial console and reads the board's name and IPv4
   * addresses, to connect over the network next. The password is typed on
   * the console and forgotten: never kept, never stored.
   */
  'discovery.serialLogin': {
    input: z.object({ path: SerialPath, user: UserName, password: z.string().min(1).max(256) }).strict(),
    output: SerialLoginSchema,
  },
} as const;

export const discoveryEvents = {
  'discovery.onDidChange': { payload: DiscoveryStateSchema },
} as const;
