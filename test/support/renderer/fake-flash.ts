/**
 * The flash half of FakeCore: `flash.*` answers (drives, devkits, jobs, the
 * serial console's oem-config questions) and `progress(job, lines)` to send
 * a `flash.onDidProgress` event the way src/main/flash/flash-jobs.ts does.
 */
import type { TopicName } from '../../../src/shared/api.ts';
import type { Result } from '../../../src/shared/errors.ts';
import type { ConsoleQuestion, Devkit, Drive, FlashJob } from '../../../src/shared/flash/contract.ts';

export function sampleDrive(overrides: Partial<Drive> = {}): Drive {
  return {
    device: '/dev/sdb',
    description: 'SanDisk Ultra',
    size: 63_864_569_856,
    removable: true,
    virtual: false,
    readOnly: false,
    mountpoints: ['/media/student/boot'],
    busType: 'usb',
    blockers: [],
    large: false,
    ...overrides,
  };
}

export const sampleDrives: Drive[] = [
  sampleDrive(),
  sampleDrive({
    device: '/dev/nvme0n1',
    description: 'Samsung SSD 980',
    size: 1e12,
    removable: false,
    mountpoints: ['/'],
    blockers: ['system', 'holds-system-path'],
    large: true,
  }),
  sampleDrive({ device: '/dev/sdc', description: 'WD Elements', size: 2e12, mountpoints: [], large: true }),
];

export const sampleDevkits: Devkit[] = [
  {
    id: 'agx-orin',
    name: 'Jetson AGX Orin Developer Kit',
    methods: ['recovery'],
    recoverySteps: [
      { text: 'Connect the USB-C port next to the 40-pin header to this computer.', detail: null },
      { text: 'Hold the middle (Force Recovery) button and plug in the power.', detail: 'Release the button after 2 s.' },
    ],
    recoveryProductIds: ['7023', '7223'],
    targets: [{ storage: 'emmc', boardConfig: 'jetson-agx-orin-devkit', rootdev: 'internal', script: 'flash.sh' }],
    source: 'reference §2.4',
  },
];

export function sampleJob(overrides: Partial<FlashJob> = {}): FlashJob {
  return {
    flashId: 'flash-1',
    kind: 'sd',
    label: 'jetson.img.xz → /dev/sdb (SanDisk Ultra)',
    phase: 'writing',
    stage: null,
    bytes: 1_000_000_000,
    totalBytes: 4_000_000_000,
    speed: 40_000_000,
    etaSeconds: 75,
    partitionsDone: null,
    partitionsTotal: null,
    startedAt: Date.UTC(2026, 11, 2, 9, 0, 0),
    endedAt: null,
    sha256: null,
    outcome: null,
    logPath: '/home/student/.config/Jetson Workbench/flash-logs/flash-1.log',
    ...overrides,
  };
}

export class FakeFlash {
  drives: Drive[] = structuredClone(sampleDrives);
  devkits: Devkit[] = structuredClone(sampleDevkits);
  jobs: FlashJob[] = [];
  /** The questions `flash.console.open` / `answer` walk through, then done. */
  questions: { title: string; question: string; secret: boolean }[] = [];
  readonly #emit: (topic: TopicName, payload: unknown) => void;

  constructor(emit: (topic: TopicName, payload: unknown) => void) {
    this.#emit = emit;
  }

  progress(job: FlashJob, lines: string[] = []): void {
    this.jobs = [...this.jobs.filter((candidate) => candidate.flashId !== job.flashId), job];
    this.#emit('flash.onDidProgress', { job, lines });
  }

  answer(method: string, _input: Record<string, unknown>): Result<unknown> {
    switch (method) {
      case 'flash.drives':
        return { ok: true, value: this.drives };
      case 'flash.devkits':
        return { ok: true, value: this.devkits };
      case 'flash.workbenchKey':
        return {
          ok: true,
          value: { publicKeyLine: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey workbench', fingerprint: 'SHA256:fakefingerprint' },
        };
      case 'flash.sd.start':
      case 'flash.recovery.start':
        return { ok: true, value: { flashId: 'flash-1' } };
      case 'flash.recovery.check':
        return {
          ok: true,
          value: [
            { id: 'os', title: 'Ubuntu 22.04', state: 'ok', detail: 'Supported by this release.', fix: null },
            { id: 'sshpass', title: 'sshpass', state: 'missing', detail: 'Not installed.', fix: 'sudo apt-get install sshpass' },
          ],
        };
      case 'flash.cancel':
        return { ok: true, value: { cancelled: true } };
      case 'flash.jobs':
        return { ok: true, value: this.jobs };
      case 'flash.log':
        return { ok: true, value: { path: '/tmp/flash.log', text: '' } };
      case 'flash.console.open':
      case 'flash.console.answer':
      case 'flash.console.auto':
        return { ok: true, value: this.#nextQuestion(method === 'flash.console.auto') };
      case 'flash.console.finish':
        return {
          ok: true,
          value: {
            path: '/dev/ttyACM0',
            user: 'student',
            hostname: 'lab-board-7',
            module: null,
            l4t: null,
            jetpack: null,
            addresses: ['127.0.0.9'],
          },
        };
      case 'flash.console.close':
        return { ok: true, value: { closed: true } };
      default:
        return { ok: false, error: { code: 'unknown-method', message: 'Unknown method.', detail: method } };
    }
  }

  #nextQuestion(all: boolean): ConsoleQuestion {
    if (all) this.questions = [];
    const next = this.questions.shift();
    return next === undefined
      ? { sessionId: 'console-1', done: true, title: null, question: null, secret: false }
      : { sessionId: 'console-1', done: false, ...next };
  }
}
