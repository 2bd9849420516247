/**
 * What `jwb discover` prints, whichever way the boards were found (a range
 * scan, an mDNS browse): one line a board as it arrives, identified first
 * with `--identify`, then a summary line.
 */
import type { BoardFacts } from '../shared/identify/board-facts.ts';
import { WorkbenchFailure } from '../shared/errors.ts';
import { writeJson, type CliIo } from './command.ts';
import { addressRef, type CliWorkbench } from './workbench.ts';

interface BoardLine {
  type: 'board';
  key: string;
  host: string;
  port: number;
  /** The name the board goes by (its mDNS host name), when it has one besides its address. */
  name?: string;
  banner: string | null;
  hostKeyFingerprint: string | null;
  facts?: BoardFacts;
  error?: { code: string; message: string };
}

/** A network port as a source (`DiscoveredPort`) or the contract (`DiscoveredBoardView`) has it. */
export interface FoundPort {
  key: string;
  label: string;
  address: string;
  properties: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface IdentifyWith {
  workbench: CliWorkbench;
  user: string;
  password: string | undefined;
  identityFiles: readonly string[] | undefined;
}

export class DiscoverReport {
  readonly #io: CliIo;
  readonly #json: boolean;
  readonly #identify: IdentifyWith | undefined;
  readonly #lines: BoardLine[] = [];
  readonly #pending: Array<Promise<void>> = [];
  readonly #started = performance.now();

  constructor(io: CliIo, json: boolean, identify: IdentifyWith | undefined) {
    this.#io = io;
    this.#json = json;
    this.#identify = identify;
  }

  found(port: FoundPort): void {
    const line = toLine(port);
    const identify = this.#identify;
    if (identify === undefined) return this.#print(line);
    const board = addressRef({ host: line.host, port: line.port, username: identify.user }, identify.password, identify.identityFiles);
    this.#pending.push(
      identify.workbench.call('boards.identify', { board }).then(
        (identified) => this.#print({ ...line, hostKeyFingerprint: identified.hostKeyFingerprint, facts: identified.facts }),
        (error: unknown) => this.#print({ ...line, error: failureOf(error) }),
      ),
    );
  }

  /** Waits for the identifications under way, prints the summary and returns the exit code (1 when one failed). */
  async finish(): Promise<number> {
    await Promise.all(this.#pending);
    const lines = this.#lines;
    const summary = {
      type: 'summary',
      found: lines.length,
      identified: lines.filter((line) => line.facts !== undefined).length,
      failed: lines.filter((line) => line.error !== undefined).length,
      elapsedMs: Math.round(performance.now() - this.#started),
    };
    if (this.#json) writeJson(this.#io, summary);
    else
      this.#io.stdout.write(
        `${summary.found} found, ${summary.identified} identified, ${summary.failed} failed in ${summary.elapsedMs} ms\n`,
      );
    return summary.failed > 0 ? 1 : 0;
  }

  #print(line: BoardLine): void {
    this.#lines.push(line);
    if (this.#json) writeJson(this.#io, line);
    else this.#io.stdout.write(`${describe(line)}\n`);
  }
}

function toLine(port: FoundPort): BoardLine {
  const { host, banner, hostKeyFingerprint } = port.properties;
  return {
    type: 'board',
    key: port.key,
    host: String(host),
    port: Number(port.properties.port),
    ...(port.label === port.address ? {} : { name: port.label }),
    banner: typeof banner === 'string' ? banner : null,
    hostKeyFingerprint: typeof hostKeyFingerprint === 'string' ? hostKeyFingerprint : null,
  };
}

function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof WorkbenchFailure) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function describe(line: BoardLine): string {
  const where = `${line.host}:${line.port}${line.name === undefined ? '' : `  ${line.name}`}`;
  if (line.error !== undefined) return `${where}  ${line.banner ?? ''}  error: ${line.error.message}`;
  if (line.facts === undefined) return `${where}  ${line.banner ?? ''}  ${line.hostKeyFingerprint ?? ''}`.trimEnd();
  const facts = line.facts;
  return `${where}  ${facts.kind}  ${facts.module ?? 'unknown module'}  ${facts.jetpack ? `JetPack ${facts.jetpack}` : ''}`.trimEnd();
}
