/**
 * The Flash view's state: an SD image written to a drive (balenaEtcher's
 * three choices: image, drive, flash), a board flashed in recovery mode with
 * NVIDIA's scripts (SDK Manager's flash step, with the buttons to press and
 * the host checked first), the first boot's pre-configuration both share,
 * and oem-config walked over the serial console. Only this class talks to
 * the bridge for `flash.*`. Passwords live here until the request leaves,
 * then are cleared: never stored.
 */
import type { WorkbenchBridge } from '../../shared/api.ts';
import type { WorkbenchError } from '../../shared/errors.ts';
import type { ConsoleQuestion, Devkit, Drive, FlashJob, HostCheck } from '../../shared/flash/contract.ts';
import type { FirstBootConfig } from '../../shared/flash/first-boot.ts';
import type { SerialLogin } from '../../shared/discovery-contract.ts';
import type { MessageKey } from '../i18n/index.ts';

/** The live log keeps its last characters only: a flash prints thousands of lines. */
export const flashLogLimit = 200_000;
const drivePollMs = 2000;

export type FlashTab = 'sd' | 'recovery' | 'console';

export interface FlashActionError {
  readonly context: MessageKey;
  readonly error: WorkbenchError;
}

/** The customisation form, as typed (empty strings for what is left out). */
export interface FirstBootDraft {
  user: string;
  password: string;
  hostname: string;
  useWorkbenchKey: boolean;
  wifiSsid: string;
  wifiPassword: string;
  wifiCountry: string;
  locale: string;
  timezone: string;
  acceptLicense: boolean;
}

export function emptyFirstBootDraft(): FirstBootDraft {
  return {
    user: '',
    password: '',
    hostname: '',
    useWorkbenchKey: true,
    wifiSsid: '',
    wifiPassword: '',
    wifiCountry: '',
    locale: 'en_US.UTF-8',
    timezone: 'Etc/UTC',
    acceptLicense: false,
  };
}

export class FlashViewState {
  tab = $state<FlashTab>('sd');
  // SD card
  image = $state('');
  imageSha256 = $state('');
  drives = $state.raw<Drive[]>([]);
  drivesLoaded = $state(false);
  showVirtual = $state(false);
  device = $state<string | undefined>();
  confirmLarge = $state(false);
  firmwareAcknowledged = $state(false);
  // Recovery mode
  devkits = $state.raw<Devkit[]>([]);
  devkitId = $state<string | undefined>();
  storage = $state<Devkit['targets'][number]['storage'] | undefined>();
  l4tDir = $state('');
  checks = $state.raw<HostCheck[] | undefined>();
  checking = $state(false);
  sudoPassword = $state('');
  // Both: the first boot
  customise = $state(false);
  firstBoot = $state<FirstBootDraft>(emptyFirstBootDraft());
  workbenchKey = $state.raw<{ publicKeyLine: string; fingerprint: string } | undefined>();
  // The job followed
  job = $state.raw<FlashJob | undefined>();
  log = $state('');
  starting = $state(false);
  actionError = $state.raw<FlashActionError | undefined>();
  // oem-config over the console
  consolePath = $state('');
  question = $state.raw<ConsoleQuestion | undefined>();
  consoleAnswer = $state('');
  consoleBusy = $state(false);
  consoleLogin = $state.raw<SerialLogin | undefined>();

  readonly #bridge: WorkbenchBridge;
  readonly #stops: (() => void)[] = [];
  #poll: ReturnType<typeof setInterval> | undefined;
  /** The job shown: the one this view started, or one found running when the view opened. */
  #followId: string | undefined;

  constructor(bridge: WorkbenchBridge) {
    this.#bridge = bridge;
  }

  get running(): boolean {
    return this.job !== undefined && this.job.endedAt === null;
  }

  get selectedDrive(): Drive | undefined {
    return this.drives.find((drive) => drive.device === this.device);
  }

  get devkit(): Devkit | undefined {
    return this.devkits.find((devkit) => devkit.id === this.devkitId);
  }

  /** Opens the view: follows progress, lists the devkits, and polls the drives (a card put in shows up by itself). */
  start(): void {
    if (this.#stops.length > 0) return;
    this.#stops.push(this.#bridge.on('flash.onDidProgress', ({ job, lines }) => this.#follow(job, lines)));
    void this.#loadDevkits();
    void this.#loadJobs();
    void this.refreshDrives();
    this.#poll = setInterval(() => void this.refreshDrives(), drivePollMs);
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    if (this.#poll !== undefined) clearInterval(this.#poll);
    this.#poll = undefined;
    if (this.question !== undefined) void this.#bridge.call['flash.console.close']({ sessionId: this.question.sessionId });
  }

  async refreshDrives(): Promise<void> {
    const result = await this.#bridge.call['flash.drives']({ includeVirtual: this.showVirtual });
    this.drivesLoaded = true;
    if (!result.ok) {
      if (this.actionError?.context !== 'flash.drivesErrorContext')
        this.actionError = { context: 'flash.drivesErrorContext', error: result.error };
      return;
    }
    if (this.actionError?.context === 'flash.drivesErrorContext') this.actionError = undefined;
    this.drives = result.value;
    // A drive pulled out is no longer chosen: never write to a drive the student cannot see.
    if (this.device !== undefined && this.selectedDrive === undefined) this.device = undefined;
  }

  chooseDrive(device: string): void {
    const drive = this.drives.find((candidate) => candidate.device === device);
    if (drive === undefined || drive.blockers.length > 0) return;
    this.device = device;
    this.confirmLarge = false;
  }

  async useCustomisation(on: boolean): Promise<void> {
    this.customise = on;
    if (!on || this.workbenchKey !== undefined) return;
    const key = await this.#bridge.call['flash.workbenchKey']({});
    if (key.ok) this.workbenchKey = key.value;
  }

  /** The form as the contract's config, or undefined when the student chose no customisation. */
  firstBootConfig(): FirstBootConfig | undefined {
    if (!this.customise) return undefined;
    const draft = this.firstBoot;
    const wifi =
      draft.wifiSsid.trim() === ''
        ? {}
        : { wifi: { ssid: draft.wifiSsid.trim(), password: draft.wifiPassword, country: draft.wifiCountry.trim().toUpperCase() } };
    const key = draft.useWorkbenchKey && this.workbenchKey !== undefined ? { sshPublicKey: this.workbenchKey.publicKeyLine } : {};
    return {
      user: draft.user.trim(),
      password: draft.password,
      hostname: draft.hostname.trim(),
      locale: draft.locale.trim(),
      timezone: draft.timezone.trim(),
      acceptLicense: draft.acceptLicense as true,
      ...key,
      ...wifi,
    };
  }

  async flashSd(): Promise<void> {
    const drive = this.selectedDrive;
    if (drive === undefined || this.image.trim() === '' || this.running || this.starting) return;
    const firstBoot = this.firstBootConfig();
    this.#begin();
    const result = await this.#bridge.call['flash.sd.start']({
      image: this.image.trim(),
      device: drive.device,
      expectedSize: drive.size,
      confirmLarge: this.confirmLarge,
      firmwareAcknowledged: this.firmwareAcknowledged,
      includeVirtual: this.showVirtual,
      ...(this.imageSha256.trim() === '' ? {} : { sha256: this.imageSha256.trim().toLowerCase() }),
      ...(firstBoot === undefined ? {} : { firstBoot }),
    });
    this.#started(result, 'flash.sdStartErrorContext');
  }

  async checkHost(): Promise<void> {
    const devkit = this.devkit;
    if (devkit === undefined || this.storage === undefined || this.l4tDir.trim() === '') return;
    this.checking = true;
    const result = await this.#bridge.call['flash.recovery.check']({
      l4tDir: this.l4tDir.trim(),
      devkit: devkit.id,
      storage: this.storage,
    });
    this.checking = false;
    if (result.ok) this.checks = result.value;
    else this.actionError = { context: 'flash.checkErrorContext', error: result.error };
  }

  async flashRecovery(): Promise<void> {
    const devkit = this.devkit;
    if (devkit === undefined || this.storage === undefined || this.running || this.starting) return;
    const firstBoot = this.firstBootConfig();
    const sudoPassword = this.sudoPassword;
    this.sudoPassword = '';
    this.#begin();
    const result = await this.#bridge.call['flash.recovery.start']({
      l4tDir: this.l4tDir.trim(),
      devkit: devkit.id,
      storage: this.storage,
      ...(sudoPassword === '' ? {} : { sudoPassword }),
      ...(firstBoot === undefined ? {} : { firstBoot }),
    });
    this.#started(result, 'flash.recoveryStartErrorContext');
  }

  async cancel(): Promise<void> {
    if (this.job === undefined || !this.running) return;
    const result = await this.#bridge.call['flash.cancel']({ flashId: this.job.flashId });
    if (!result.ok) this.actionError = { context: 'flash.cancelErrorContext', error: result.error };
  }

  async openConsole(): Promise<void> {
    if (this.consolePath.trim() === '' || this.consoleBusy) return;
    await this.#consoleStep(() => this.#bridge.call['flash.console.open']({ path: this.consolePath.trim() }));
  }

  async answerConsole(): Promise<void> {
    const question = this.question;
    if (question === undefined || question.done || this.consoleBusy) return;
    const answer = this.consoleAnswer;
    this.consoleAnswer = '';
    await this.#consoleStep(() => this.#bridge.call['flash.console.answer']({ sessionId: question.sessionId, answer }));
  }

  async autoAnswerConsole(): Promise<void> {
    const question = this.question;
    const firstBoot = this.firstBootConfig();
    if (question === undefined || question.done || firstBoot === undefined || this.consoleBusy) return;
    await this.#consoleStep(() => this.#bridge.call['flash.console.auto']({ sessionId: question.sessionId, firstBoot }));
  }

  async finishConsole(user: string, password: string): Promise<void> {
    const question = this.question;
    if (question === undefined || !question.done || this.consoleBusy) return;
    this.consoleBusy = true;
    const result = await this.#bridge.call['flash.console.finish']({ sessionId: question.sessionId, user, password });
    this.consoleBusy = false;
    if (result.ok) {
      this.consoleLogin = result.value;
      this.question = undefined;
    } else this.actionError = { context: 'flash.consoleErrorContext', error: result.error };
  }

  async #consoleStep(call: () => Promise<{ ok: true; value: ConsoleQuestion } | { ok: false; error: WorkbenchError }>): Promise<void> {
    this.consoleBusy = true;
    this.actionError = undefined;
    const result = await call();
    this.consoleBusy = false;
    if (result.ok) this.question = result.value;
    else this.actionError = { context: 'flash.consoleErrorContext', error: result.error };
  }

  #begin(): void {
    this.starting = true;
    this.actionError = undefined;
    this.log = '';
    this.job = undefined;
  }

  #started(result: { ok: true; value: { flashId: string } } | { ok: false; error: WorkbenchError }, context: MessageKey): void {
    this.starting = false;
    this.firstBoot = { ...this.firstBoot, password: '', wifiPassword: '' };
    if (!result.ok) {
      this.actionError = { context, error: result.error };
      return;
    }
    this.#followId = result.value.flashId;
  }

  #follow(job: FlashJob, lines: readonly string[]): void {
    // The job this view started, or (after a reload) the latest one running.
    if (this.#followId === undefined && job.endedAt === null) this.#followId = job.flashId;
    if (job.flashId !== this.#followId) return;
    this.job = job;
    if (lines.length > 0) {
      const text = `${this.log}${lines.join('\n')}\n`;
      this.log = text.length > flashLogLimit ? text.slice(-flashLogLimit) : text;
    }
  }

  async #loadDevkits(): Promise<void> {
    const result = await this.#bridge.call['flash.devkits']({});
    if (result.ok) this.devkits = result.value;
  }

  /** On opening: the job followed before (its state and log may have moved on), or one found running. */
  async #loadJobs(): Promise<void> {
    const result = await this.#bridge.call['flash.jobs']({});
    if (!result.ok) return;
    const job =
      result.value.find((candidate) => candidate.flashId === this.#followId) ??
      result.value.find((candidate) => candidate.endedAt === null);
    if (job === undefined) return;
    this.#followId = job.flashId;
    this.job = job;
    const log = await this.#bridge.call['flash.log']({ flashId: job.flashId });
    if (log.ok) this.log = log.value.text.slice(-flashLogLimit);
  }
}
