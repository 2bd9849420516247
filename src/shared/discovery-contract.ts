/**
 * The discovery part of the contract (`discovery.*`): boards found on USB
 * (recovery mode, serial consoles), in `~/.ssh/config` and by range scans the
 * person starts, streamed as they are found. `api.ts` spreads these in.
 */
import { z } from 'zod';

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

/** What the Boards view shows of discovery: every board found, and the range scan under way (if any). */
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
} as const;

export const discoveryEvents = {
  'discovery.onDidChange': { payload: DiscoveryStateSchema },
} as const;
