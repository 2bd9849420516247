import { createHash, generateKeyPairSync, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
// The link's key generator works around ssh2's 1-in-256 broken ed25519 pairs (see there).
import { openSshEd25519 } from '../shared/ssh-key-format.ts';
import { FaultInjector, type FaultSettings } from './faults.ts';
import { LoadSampler } from './load-sampler.ts';
import type { BoardSnapshot, SimProfile } from './model.ts';
import { preinstalledApt } from './packages.ts';
import { PowerModel } from './power-model.ts';
import { getProfile } from './profiles.ts';
import { writeIdentityFiles } from './identity-files.ts';
import { simulatedModulesFor } from './install-state.ts';
import { writeSimulatedModules } from './python-modules.ts';
import { SimSysfs } from './sysfs.ts';

const { utils } = ssh2;

export interface SimBoardOptions {
  /** Folder name of the sandbox under `dataRoot`; also the default hostname suffix. */
  name: string;
  profile: string;
  dataRoot: string;
  host: string;
  port: number;
  user?: string;
  password?: string;
  /** A freshly flashed board: the serial console plays oem-config before the first login. */
  firstBoot?: boolean;
  /** How long a reboot keeps the board away, ms (default 3000). */
  rebootDelayMs?: number;
  seed?: number;
  faults?: Partial<FaultSettings>;
  /** How often the power model and sysfs files update while the board is in use, ms. */
  tickMs?: number;
}

/** What survives a reboot and a restart of the simulator (`<sandbox>/state.json`). */
export interface BoardState {
  user: string;
  password: string;
  hostname: string;
  apt: Record<string, string>;
  pip: Record<string, string>;
  powerModeId: number | null;
  firstBootDone: boolean;
  /** Disk space taken by what was installed, MB. */
  usedMb: number;
}

type Listener = () => void;

/**
 * One simulated board: its profile, sandbox folder, persisted state and host
 * key, and the power model that ticks while anyone uses it. Transports (ssh,
 * serial) attach to it; a reboot tells them to drop everything.
 */
export class SimBoard {
  readonly options: SimBoardOptions;
  readonly profile: SimProfile;
  readonly root: string;
  readonly fsRoot: string;
  readonly gpuLoadFile: string;
  readonly faults: FaultInjector;
  readonly power: PowerModel;
  readonly load: LoadSampler;
  state: BoardState;
  hostKey = '';
  rebooting = false;
  readonly bootTime = Date.now();
  #sysfs: SimSysfs;
  #snapshot: BoardSnapshot | null = null;
  #users = 0;
  #timer: NodeJS.Timeout | null = null;
  #rebootTimer: NodeJS.Timeout | null = null;
  #rebootListeners = new Set<Listener>();
  #upListeners = new Set<Listener>();
  #hostKeyListeners = new Set<Listener>();

  constructor(options: SimBoardOptions) {
    this.options = options;
    this.profile = getProfile(options.profile);
    this.root = join(options.dataRoot, options.name);
    this.fsRoot = join(this.root, 'fs');
    this.gpuLoadFile = join(this.fsRoot, 'run', 'jwb-sim-gpu-load');
    this.faults = new FaultInjector(options.faults);
    this.power = new PowerModel(this.profile, { seed: options.seed ?? 1 });
    this.load = new LoadSampler({ cores: this.profile.cpu.cores, gpuLoadFile: this.gpuLoadFile });
    this.#sysfs = new SimSysfs(this.fsRoot, this.profile);
    this.state = this.#initialState();
  }

  get user(): string {
    return this.state.user;
  }

  get hostname(): string {
    return this.state.hostname;
  }

  /** Creates the sandbox (or reloads it) and the host key. Cheap: no timers, no processes. */
  async start(): Promise<void> {
    mkdirSync(join(this.fsRoot, 'run'), { recursive: true });
    const statePath = join(this.root, 'state.json');
    if (existsSync(statePath)) this.state = { ...this.state, ...(JSON.parse(readFileSync(statePath, 'utf8')) as Partial<BoardState>) };
    const keyPath = join(this.root, 'ssh_host_ed25519_key');
    if (existsSync(keyPath)) this.hostKey = readFileSync(keyPath, 'utf8');
    else this.#newHostKey();
    if (this.state.powerModeId !== null) this.power.setMode(this.state.powerModeId);
    mkdirSync(join(this.fsRoot, 'home', this.state.user, '.ssh'), { recursive: true });
    mkdirSync(join(this.fsRoot, 'root'), { recursive: true });
    mkdirSync(join(this.fsRoot, 'tmp'), { recursive: true });
    await this.#sysfs.init();
    writeIdentityFiles(this);
    this.refreshPythonModules();
    this.saveState();
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#rebootTimer) clearTimeout(this.#rebootTimer);
    this.#timer = null;
    this.#rebootTimer = null;
    this.#users = 0;
    this.#rebootListeners.clear();
    this.#upListeners.clear();
    this.#hostKeyListeners.clear();
  }

  saveState(): void {
    writeFileSync(join(this.root, 'state.json'), `${JSON.stringify(this.state, null, 2)}\n`);
  }

  /** After oem-config set the user, password or hostname: persist, make the home, rewrite /etc/hostname. */
  async applyAccountChange(): Promise<void> {
    mkdirSync(join(this.fsRoot, 'home', this.state.user, '.ssh'), { recursive: true });
    writeIdentityFiles(this);
    this.saveState();
  }

  refreshPythonModules(): void {
    writeSimulatedModules(this.fsRoot, this.profile, simulatedModulesFor(this));
  }

  /** `SHA256:…` as `ssh-keygen -lf` and OpenSSH's first-connection prompt print it. */
  get fingerprint(): string {
    const parsed = utils.parseKey(this.hostKey);
    if (parsed instanceof Error) throw parsed;
    const digest = createHash('sha256').update(parsed.getPublicSSH()).digest('base64');
    return `SHA256:${digest.replace(/=+$/, '')}`;
  }

  /** A re-flash: a new host key; transports restart with it (clients see a changed key). */
  rotateHostKey(): void {
    this.#newHostKey();
    for (const listener of this.#hostKeyListeners) listener();
  }

  onDidRotateHostKey(listener: Listener): () => void {
    this.#hostKeyListeners.add(listener);
    return () => this.#hostKeyListeners.delete(listener);
  }

  /** Marks the board in use; the power model ticks while at least one user holds it. */
  retain(): () => void {
    this.#users += 1;
    if (!this.#timer) {
      this.#tick();
      this.#timer = setInterval(() => this.#tick(), this.options.tickMs ?? 250);
      this.#timer.unref();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#users -= 1;
      if (this.#users <= 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  /** The latest power/load snapshot (computed now when the board is idle or it is stale). */
  snapshot(): BoardSnapshot {
    const now = Date.now();
    if (!this.#snapshot || now - this.#snapshot.time > (this.options.tickMs ?? 250)) this.#tick();
    return this.#snapshot as BoardSnapshot;
  }

  diskFreeMb(): number {
    if (this.faults.settings.diskFull) return 0;
    return Math.max(0, Math.round(this.profile.disk.freeGb * 1024 - this.state.usedMb));
  }

  /** Fills the disk (a fault): installs fail until `faults.set({ diskFull: false })`. */
  fillDisk(): void {
    this.faults.set({ diskFull: true });
  }

  setPowerMode(id: number): void {
    this.power.setMode(id);
    this.state.powerModeId = id;
    this.saveState();
  }

  /** Drops every connection now; the board answers again after the reboot delay. */
  reboot(): void {
    if (this.rebooting) return;
    this.rebooting = true;
    this.power.jetsonClocks = false;
    for (const listener of this.#rebootListeners) listener();
    this.#rebootTimer = setTimeout(() => {
      this.#rebootTimer = null;
      this.rebooting = false;
      for (const listener of this.#upListeners) listener();
    }, this.options.rebootDelayMs ?? 3000);
  }

  onDidStartReboot(listener: Listener): () => void {
    this.#rebootListeners.add(listener);
    return () => this.#rebootListeners.delete(listener);
  }

  onDidComeBack(listener: Listener): () => void {
    this.#upListeners.add(listener);
    return () => this.#upListeners.delete(listener);
  }

  #tick(): void {
    const now = Date.now();
    this.#snapshot = this.power.snapshot(this.load.sample(now), now);
    // A failed write (the sandbox removed while shutting down) must not crash the simulator: the next tick retries.
    this.#sysfs.update(this.#snapshot).catch(() => undefined);
  }

  #newHostKey(): void {
    // The host key in OpenSSH's format, written from Node's raw key (as the workbench writes its own login key).
    const pair = openSshEd25519(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), '', randomInt(2 ** 32));
    this.hostKey = pair.private;
    writeFileSync(join(this.root, 'ssh_host_ed25519_key'), pair.private, { mode: 0o600 });
  }

  #initialState(): BoardState {
    const user = this.options.user ?? 'jetson';
    return {
      user,
      password: this.options.password ?? 'jetson',
      hostname: this.options.name.replace(/[^A-Za-z0-9-]/g, '-').toLowerCase() || this.profile.hostname,
      apt: preinstalledApt(this.profile),
      pip: {},
      powerModeId: null,
      firstBootDone: !this.options.firstBoot,
      usedMb: 0,
    };
  }
}
