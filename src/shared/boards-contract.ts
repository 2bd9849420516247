/**
 * The boards part of the contract (`boards.*`, `terminal.*`): the schemas of
 * the remembered boards, their live state, the outcome of a connection
 * attempt and the terminal's messages. `api.ts` lists the methods; this file
 * keeps their shapes together so the contract file stays readable.
 */
import { z } from 'zod';
import { BoardRef, HostName, PortNumber, UserName } from './boards/board-ref.ts';
import type { BoardFacts } from './identify/board-facts.ts';

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

/** `BoardFacts` (src/shared/identify/board-facts.ts) as a schema; the type check below keeps the two in step. */
export const BoardFactsSchema = z.object({
  kind: z.enum(['jetson', 'desktop-gpu', 'linux-host', 'unknown']),
  // Facts stored by an older workbench lack it: they came from boards identified before the marker existed.
  simulated: z.boolean().catch(false),
  module: nullableString,
  serialNumber: nullableString,
  hostname: nullableString,
  l4t: nullableString,
  jetpack: nullableString,
  ubuntu: nullableString,
  kernel: nullableString,
  arch: nullableString,
  cpuCores: nullableNumber,
  cuda: nullableString,
  cudnn: nullableString,
  tensorrt: nullableString,
  opencv: nullableString,
  python: nullableString,
  ramMb: nullableNumber,
  swapMb: nullableNumber,
  diskFreeGb: nullableNumber,
  diskTotalGb: nullableNumber,
  powerMode: z
    .object({
      current: nullableString,
      currentId: nullableNumber,
      available: z.array(z.object({ id: z.number(), name: z.string() })),
      defaultId: nullableNumber,
    })
    .nullable(),
  frameworks: z.array(z.object({ name: z.string(), version: z.string(), cuda: z.boolean().nullable(), simulated: z.boolean() })),
  addresses: z.array(z.string()),
  internet: z.enum(['yes', 'no', 'unknown']),
});
// Fails to compile when BoardFacts gains or changes a field the schema lacks.
const factsMatch: z.infer<typeof BoardFactsSchema> extends BoardFacts
  ? BoardFacts extends z.infer<typeof BoardFactsSchema>
    ? true
    : never
  : never = true;
void factsMatch;

/**
 * What a card shows. `recovery` and `serial` come from discovery (a board in
 * USB Force Recovery Mode, or seen only on its serial console).
 */
export const boardStates = ['offline', 'connecting', 'online', 'reconnecting', 'recovery', 'serial'] as const;
export type BoardState = (typeof boardStates)[number];

const Id = z.string().min(1).max(80);

export const BoardSummary = z.object({
  id: z.string(),
  name: z.string(),
  notes: z.string(),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  state: z.enum(boardStates),
  /** `SHA256:…` of the trusted host key, or null before the first connection. */
  fingerprint: z.string().nullable(),
  /** Epoch milliseconds of the last successful connection. */
  lastSeen: z.number().nullable(),
  module: z.string().nullable(),
  jetpack: z.string().nullable(),
  /** Names of the frameworks identification found (`torch`, `numpy`, …); null before the first identification. */
  frameworks: z.array(z.string()).nullable(),
  /** Board input power in watts, once a second while connected (null when the board has no rails or tegrastats). */
  powerW: z.number().nullable(),
  /** Set when this entry mirrors a simulated board of demo mode. */
  demoId: z.string().nullable(),
  /** Whether the workbench key has been installed on this board (next logins need no password). */
  keyInstalled: z.boolean(),
  /** Identification is running (after a connection). */
  identifying: z.boolean(),
});
export type BoardSummary = z.infer<typeof BoardSummary>;

export const BoardDetails = BoardSummary.extend({
  facts: BoardFactsSchema.nullable(),
  /** Epoch milliseconds of the identification the facts come from. */
  identifiedAt: z.number().nullable(),
});
export type BoardDetails = z.infer<typeof BoardDetails>;

/**
 * A connection attempt's outcome. The questions a person must answer (trust
 * this key? which password?) are answers, not errors: the UI asks, then
 * calls `boards.trustHostKey` or `boards.connect` again with a password.
 */
export const ConnectOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('connected'), board: BoardSummary }),
  z.object({ status: z.literal('host-key-unknown'), keyType: z.string(), fingerprint: z.string() }),
  z.object({
    status: z.literal('host-key-changed'),
    knownFingerprint: z.string(),
    offeredFingerprint: z.string(),
    trustedSince: z.string(),
  }),
  /** `rejected`: a password was tried and refused (say "wrong password"), not merely missing. */
  z.object({ status: z.literal('password-needed'), rejected: z.boolean() }),
]);
export type ConnectOutcome = z.infer<typeof ConnectOutcome>;

const Fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an OpenSSH SHA256 fingerprint');
const TerminalId = z.string().min(1).max(80);
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);

export const boardsMethods = {
  'boards.list': { input: z.object({}).strict(), output: z.array(BoardSummary) },
  'boards.add': {
    input: z
      .object({ host: HostName, port: PortNumber.default(22), user: UserName, name: z.string().trim().min(1).max(80).optional() })
      .strict(),
    output: BoardSummary,
  },
  'boards.update': {
    input: z.object({ id: Id, name: z.string().trim().min(1).max(80).optional(), notes: z.string().max(2000).optional() }).strict(),
    output: BoardSummary,
  },
  'boards.remove': {
    input: z.object({ id: Id, forgetKey: z.boolean().default(false) }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  'boards.connect': { input: z.object({ id: Id, password: z.string().min(1).max(256).optional() }).strict(), output: ConnectOutcome },
  'boards.disconnect': { input: z.object({ id: Id }).strict(), output: BoardSummary },
  'boards.trustHostKey': { input: z.object({ id: Id, fingerprint: Fingerprint }).strict(), output: BoardSummary },
  'boards.installKey': { input: z.object({ id: Id }).strict(), output: z.object({ added: z.boolean(), fingerprint: z.string() }) },
  'boards.details': { input: z.object({ id: Id }).strict(), output: BoardDetails },
  /** Identifies any board now (what `jwb info` prints): its facts and the host key it was trusted with. */
  'boards.identify': {
    input: z.object({ board: BoardRef }).strict(),
    output: z.object({ facts: BoardFactsSchema, hostKeyFingerprint: z.string().nullable(), hostKeyType: z.string().nullable() }),
  },
  'terminal.open': {
    input: z.object({ boardId: Id, cols: Cols, rows: Rows }).strict(),
    output: z.object({ terminalId: z.string() }),
  },
  'terminal.input': {
    input: z.object({ terminalId: TerminalId, data: z.string().max(64 * 1024) }).strict(),
    output: z.object({}),
  },
  'terminal.resize': { input: z.object({ terminalId: TerminalId, cols: Cols, rows: Rows }).strict(), output: z.object({}) },
  'terminal.close': { input: z.object({ terminalId: TerminalId }).strict(), output: z.object({ closed: z.boolean() }) },
} as const;

export const boardsEvents = {
  'boards.onDidChange': { payload: z.array(BoardSummary) },
  /** Terminal output, batched (one event per terminal every ≤ 30 ms); `data` is UTF-8 text as the board wrote it. */
  'terminal.onDidOutput': { payload: z.object({ terminalId: z.string(), data: z.string() }) },
  'terminal.onDidExit': { payload: z.object({ terminalId: z.string(), code: z.number().nullable() }) },
} as const;
