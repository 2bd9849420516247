/**
 * Reads the output of NVIDIA's `flash.sh` and `l4t_initrd_flash.sh` as it
 * streams: the stage, the board, per-partition progress and the outcome
 * (/work/shared/reference/flashing-and-installing.md §2.6, verbatim logs
 * (a)–(k); markers §2.1, §2.2). "Flashed" means the script says so, nothing
 * more (§2.6 k): the runner then waits for the board to come back.
 */
import { failureCause, isEvidence, stripStamp, type FailureCause } from './flash-failures.ts';
import { cleanFlashLine, FlashLineReader } from './flash-lines.ts';

export { failureCause, type FailureCause } from './flash-failures.ts';
export { cleanFlashLine, FlashLineReader, maxFlashLineChars } from './flash-lines.ts';

/** How many error-looking lines are kept for `failureCause`. */
const evidenceLimit = 200;

export type FlashLogStatus = 'running' | 'flashed' | 'failed';

export interface FlashBoardInfo {
  /** The board config name from the header (`jetson-nano-emmc`). */
  name: string;
  family: string | null;
  soc: string | null;
}

export type FlashLogUpdate =
  | { kind: 'stage'; stage: string }
  | { kind: 'board'; board: FlashBoardInfo }
  | { kind: 'release'; release: string }
  | { kind: 'partition-started'; name: string; file: string | null }
  | { kind: 'partition-done'; name: string; done: number }
  | { kind: 'flashed'; line: string }
  | { kind: 'failed'; line: string };

export interface FlashLogResult {
  status: FlashLogStatus;
  stage: string | null;
  board: FlashBoardInfo | null;
  /** `R32.6.1`, from the `# R32 , REVISION: 6.1` header. */
  release: string | null;
  partitionsDone: number;
  /** The partition being written now. */
  partition: string | null;
  /** The last `[ 12.3456 ]` stamp: seconds since the script's tool started. */
  scriptSeconds: number | null;
  successLine: string | null;
  /** The first line that ended the flash. */
  failureLine: string | null;
  /** What went wrong in plain words, when it failed and the reference knows the message (§2.7). */
  cause: FailureCause | null;
}

/**
 * How many partitions a layout XML holds: its `<partition …>` entries, not
 * `<partition_layout>` and not those commented out. The denominator of
 * progress (§2.6 c: partitions done ÷ partitions in the layout, not the bar).
 */
export function countPartitions(xmlText: string): number {
  const live = xmlText.replace(/<!--[\s\S]*?(-->|$)/g, '');
  return live.match(/<partition[\s>/]/g)?.length ?? 0;
}

/** Lines that are stages as they are (§2.6 a–c, §2.2 "Waiting"). */
const plainStages: readonly RegExp[] = [
  /^Generating RCM messages/,
  /^Boot Rom communication( completed)?$/,
  /^Sending bootloader and pre-requisite binaries/,
  /^Parsing partition layout/,
  /^Flashing completed/,
  /^Coldbooting the device/,
  /^Mounting NFS folder/,
  /^Waiting for target to boot-up/,
  /^Waiting for device to expose ssh/,
  /^SSH ready/,
  /^Run command: flash on/,
  /^Starting to flash to \S+/,
  /^Successfully flash the .+/,
  /^Reboot device/,
];

const successMarkers: readonly RegExp[] = [
  /^\*\*\* The target \S+ has been flashed successfully\. \*\*\*/,
  /^Flash is successful/,
  /^Flashing success/,
];

/** Lines after which the script has given up (§2.1, §2.2, §2.5, §2.6 e–i). */
const fatalMarkers: readonly RegExp[] = [
  /^Failed flashing /,
  /Flash complete \(WITH FAILURES\)/,
  /^Error: Return value \d+/,
  /^Error: probing the target board failed/,
  /^\*\*\* Error: (No Jetson device found|Too many Jetson devices found|ECID read failed)/,
  /^Error: (Target board not found|Boot device not found)/,
  /^Error: None of the bootloaders are running/,
  /^ERR: write failure/,
  /^ERROR \S+ not found! To install/,
  /^No devices to flash/,
  /^Error, too many devices in RCM mode/,
  /IPv6 is disabled/,
  /Device ping failed/,
  /NFS port is blocked by UFW/,
  /No space left on device/,
];

export class FlashLogParser {
  #status: FlashLogStatus = 'running';
  #stage: string | null = null;
  #board: FlashBoardInfo | null = null;
  #release: string | null = null;
  #done = 0;
  /** The partition being written and how its end shows: a `100%` bar (flash.sh) or the next write (initrd). */
  #pending: { name: string; endsWith: 'bar' | 'next' } | null = null;
  #seconds: number | null = null;
  #successLine: string | null = null;
  #failureLine: string | null = null;
  readonly #evidence: string[] = [];

  push(raw: string): FlashLogUpdate[] {
    const line = cleanFlashLine(raw);
    const { seconds, text } = stripStamp(line);
    if (seconds !== null) this.#seconds = seconds;
    if (text === '') return [];
    if (isEvidence(text)) this.#keepEvidence(text);
    const updates: FlashLogUpdate[] = [];
    this.#readHeader(text, updates);
    this.#readPartition(text, updates);
    this.#readStage(text, updates);
    this.#readOutcome(text, updates);
    return updates;
  }

  result(): FlashLogResult {
    return {
      status: this.#status,
      stage: this.#stage,
      board: this.#board,
      release: this.#release,
      partitionsDone: this.#done,
      partition: this.#pending?.name ?? null,
      scriptSeconds: this.#seconds,
      successLine: this.#successLine,
      failureLine: this.#failureLine,
      cause: this.#status === 'failed' ? failureCause(this.#evidence) : null,
    };
  }

  /** The error-looking lines seen (the last 200), for `failureCause` when the script's exit code says more than its text. */
  evidence(): string[] {
    return [...this.#evidence];
  }

  #keepEvidence(text: string): void {
    this.#evidence.push(text);
    if (this.#evidence.length > evidenceLimit) this.#evidence.shift();
  }

  // §2.6 b: `# R32 , REVISION: 6.1` and `# Name: jetson-nano-emmc, Board Family: t210ref, SoC: Tegra 210,`.
  #readHeader(text: string, updates: FlashLogUpdate[]): void {
    const release = /^# R(\d+)\s*,\s*REVISION:\s*(\d+(?:\.\d+)*)/.exec(text);
    if (release) {
      this.#release = `R${release[1]}.${release[2]}`;
      updates.push({ kind: 'release', release: this.#release });
      return;
    }
    const board = /^# Name: ([^,\s]+)(?:,\s*Board Family: ([^,\s]*))?(?:,\s*SoC: ([^,]*))?/.exec(text);
    if (board?.[1] !== undefined) {
      this.#board = { name: board[1], family: board[2] || null, soc: board[3]?.trim() || null };
      updates.push({ kind: 'board', board: this.#board });
      this.#setStage('Reading the board information', updates);
    }
  }

  // §2.6 c: `Writing partition X with Y` then `[....] 100%`; the initrd flasher's board side says
  // `Writing X partition with Y` and `Successfully flash the …` (§2.2).
  #readPartition(text: string, updates: FlashLogUpdate[]): void {
    const flashSh = /^Writing partition (\S+) with (\S+)/.exec(text);
    const initrd = flashSh ? null : /^Writing (\S+) partition with (\S+)/.exec(text);
    const started = flashSh ?? initrd;
    if (started?.[1] !== undefined) {
      if (this.#pending?.endsWith === 'next') this.#completePartition(updates);
      this.#pending = { name: started[1], endsWith: flashSh ? 'bar' : 'next' };
      updates.push({ kind: 'partition-started', name: started[1], file: started[2] ?? null });
      this.#setStage(`Writing partition ${started[1]}`, updates);
      return;
    }
    if (this.#pending?.endsWith === 'bar' && /\]\s*100%$/.test(text)) this.#completePartition(updates);
    if (this.#pending?.endsWith === 'next' && /^(Successfully flash the |Flashing success|Flash is successful)/.test(text)) {
      this.#completePartition(updates);
    }
  }

  #completePartition(updates: FlashLogUpdate[]): void {
    if (this.#pending === null) return;
    this.#done += 1;
    updates.push({ kind: 'partition-done', name: this.#pending.name, done: this.#done });
    this.#pending = null;
  }

  #readStage(text: string, updates: FlashLogUpdate[]): void {
    if (/^\*\*\* Flashing target device started\. \*\*\*/.test(text)) return this.#setStage('Flashing target device started', updates);
    // §2.6 h: the initrd flasher's boxed `*  Step 3: Start the flashing process *`.
    const boxed = /^\*\s+(\S.*?)\s*\*$/.exec(text);
    if (boxed?.[1] !== undefined && !/^\*+$/.test(boxed[1])) return this.#setStage(boxed[1], updates);
    // §2.6 i, §2.9: OE4T's `== Step 2: Boot Jetson via RCM at 2025-07-09T16:07:59+08:00 ==`.
    const oe4t = /^== (Step \d+: .*?)(?: at \S+)? ==$/.exec(text);
    if (oe4t?.[1] !== undefined) return this.#setStage(oe4t[1], updates);
    if (plainStages.some((pattern) => pattern.test(text))) this.#setStage(text.replace(/\.{3,}$/, '').trim(), updates);
  }

  #readOutcome(text: string, updates: FlashLogUpdate[]): void {
    if (fatalMarkers.some((pattern) => pattern.test(text))) {
      if (this.#failureLine === null) this.#failureLine = text;
      if (this.#status !== 'failed') updates.push({ kind: 'failed', line: text });
      this.#status = 'failed';
      return;
    }
    if (successMarkers.some((pattern) => pattern.test(text))) {
      this.#completePartition(updates);
      this.#successLine ??= text;
      // A failure already seen is not undone by a later success line (the initrd host summary comes last).
      if (this.#status === 'running') {
        this.#status = 'flashed';
        updates.push({ kind: 'flashed', line: text });
      }
    }
  }

  #setStage(stage: string, updates: FlashLogUpdate[]): void {
    if (stage === this.#stage) return;
    this.#stage = stage;
    updates.push({ kind: 'stage', stage });
  }
}

export interface FlashLogSummary {
  /** The stages in order (each once after the other; at most 500). */
  stages: string[];
  partitionsWritten: number;
  outcome: FlashLogStatus;
  board: FlashBoardInfo | null;
  release: string | null;
  cause: string | null;
  advice: string | null;
}

const summaryStageLimit = 500;

/** A whole saved log (a job's log file, or a log a student pastes) read at once: what `jwb flash log` prints. */
export function summarizeFlashLog(text: string): FlashLogSummary {
  const reader = new FlashLineReader();
  const parser = new FlashLogParser();
  const stages: string[] = [];
  for (const line of [...reader.push(text), ...reader.flush()]) {
    for (const update of parser.push(line)) if (update.kind === 'stage' && stages.length < summaryStageLimit) stages.push(update.stage);
  }
  const result = parser.result();
  const cause = result.status === 'failed' ? result.cause : null;
  return {
    stages,
    partitionsWritten: result.partitionsDone,
    outcome: result.status,
    board: result.board,
    release: result.release,
    cause: cause?.cause ?? null,
    advice: cause?.advice ?? null,
  };
}
