import type { BoardLink, ExecOptions } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import type { BoardFacts } from '../../shared/identify/board-facts.ts';
import type { InstallProgress, InstallState, StepRecord, VerifiedVersions } from '../../shared/install/install-contract.ts';
import {
  familyOfL4t,
  isSupported,
  type JetpackFamily,
  type Recipe,
  type RecipeStep,
  type SupportedPlan,
} from '../../shared/install/recipe.ts';
import { isOlderRelease } from '../../shared/install/version.ts';
import { identify } from '../identify/identify.ts';
import { interruptedFailure, stepFailure } from './failures.ts';
import { readInstallState, writeInstallState } from './install-state.ts';
import { offlineOverrides, planOffline, type OfflinePlan } from './offline.ts';
import { fetchMissingWheels, type FetchOptions } from './offline-fetch.ts';
import { stageOfflineFiles } from './offline-upload.ts';
import { probeFirst, skipInstalled } from './probe.ts';
import { displayLine, effectiveStep } from './step-line.ts';
import { verifyInstall } from './verification.ts';

export interface InstallRequest {
  boardId: string;
  link: BoardLink;
  recipe: Recipe;
  /** Where the per-board state files live (`<data>/installs`). */
  stateFolder: string;
  /** Used for the sudo steps only; never logged, echoed or stored. */
  sudoPassword?: string;
  /** Facts from an earlier identify; the runner identifies the board when left out. */
  facts?: BoardFacts;
  /** The board is the simulator: steps with a `simulator` stand-in run that instead. */
  simulator?: boolean;
  /**
   * A local folder of `.whl` / `.deb` files for a board without internet: the
   * pip and apt steps install from copies uploaded to `~/.jwb/offline/`.
   */
  offlineDir?: string;
  /** With `offlineDir`: first download the wheels it lacks on this computer (its pip, its internet). */
  fetchMissing?: boolean;
  /** How pip runs for `fetchMissing` (tests point it at a local index). */
  fetch?: Pick<FetchOptions, 'python' | 'env'>;
  /** Run the install steps even when the probe finds the library already installed. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?(progress: InstallProgress): void;
}

export interface InstallOutcome {
  recipe: Recipe;
  facts: BoardFacts;
  family: JetpackFamily;
  plan: SupportedPlan;
  state: InstallState;
  verification: VerifiedVersions;
}

export interface ResolvedPlan {
  family: JetpackFamily;
  plan: SupportedPlan;
}

/** The recipe's plan for the board's JetPack, or `unsupported` with the reason. */
export function resolvePlan(recipe: Recipe, facts: Pick<BoardFacts, 'l4t' | 'jetpack'>): ResolvedPlan {
  const family = familyOfL4t(facts.l4t);
  if (family === null)
    throw new WorkbenchFailure(
      'unsupported',
      facts.l4t === null
        ? `${recipe.title} can only be installed on a Jetson: this board reports no L4T release.`
        : `${recipe.title}: there is no recipe for L4T ${facts.l4t} (JetPack ${facts.jetpack ?? '?'}); recipes cover JetPack 4, 5 and 6.`,
    );
  const plan = recipe.families[family];
  if (!isSupported(plan))
    throw new WorkbenchFailure('unsupported', `${recipe.title} on JetPack ${facts.jetpack ?? family}: ${plan.unsupported}`);
  return { family, plan };
}

/**
 * Installs a library on a board: pre-flight (JetPack, disk, sudo), then the
 * steps one by one with streamed logs, the state saved after each, then the
 * verification. A second call after a drop, a reboot or an app restart skips
 * the steps already done.
 */
export async function runInstall(request: InstallRequest): Promise<InstallOutcome> {
  const emit = (progress: InstallProgress): void => request.onProgress?.(progress);
  const ids = { boardId: request.boardId, library: request.recipe.library };
  try {
    const facts = request.facts ?? (await identify(request.link, { checkInternet: false }));
    const { family, plan } = resolvePlan(request.recipe, facts);
    const state = startingState(request, family);
    if (request.offlineDir !== undefined && request.fetchMissing === true) await fetchOffline(request, request.offlineDir, plan, emit);
    // Checked before anything touches the board: a missing file is the user's next errand.
    const offline = request.offlineDir === undefined ? null : planOffline(plan, request.offlineDir);
    const probe = await probeFirst(request, plan, state, emit);
    await preflight(request, facts, plan, state, emit, probe?.skipped ?? false);
    if (probe?.skipped) skipInstalled(request, state, plan, probe.version, emit);
    else {
      const overrides = offline === null ? new Map<number, StepOverride>() : await stageOffline(request, offline, emit);
      for (const [index, step] of plan.steps.entries())
        await runStep(request, state, index, step, plan.steps.length, emit, overrides.get(index));
    }
    const verification = await verifyInstall(request.link, request.recipe.title, plan, {
      alreadyInstalled: probe?.skipped ?? false,
      ...signalOf(request),
    });
    emit({ type: 'verified', ...ids, verification });
    state.verification = verification;
    state.finishedAt = new Date().toISOString();
    writeInstallState(request.stateFolder, state);
    emit({ type: 'finished', ...ids });
    return { recipe: request.recipe, facts, family, plan, state, verification };
  } catch (error) {
    const failure =
      error instanceof WorkbenchFailure
        ? error
        : new WorkbenchFailure('internal', 'The install stopped on an unexpected error.', String(error));
    emit({ type: 'failed', ...ids, error: failure.toError() });
    throw failure;
  }
}

/** Resumes the saved state unless it belongs to another JetPack or a finished install. */
function startingState(request: InstallRequest, family: JetpackFamily): InstallState {
  const saved = readInstallState(request.stateFolder, request.boardId, request.recipe.library);
  const simulator = request.simulator ?? false;
  if (saved && saved.family === family && saved.simulator === simulator && saved.finishedAt === null) return saved;
  return {
    version: 1,
    boardId: request.boardId,
    library: request.recipe.library,
    family,
    simulator,
    startedAt: new Date().toISOString(),
    steps: [],
    verification: null,
    finishedAt: null,
  };
}

async function preflight(
  request: InstallRequest,
  facts: BoardFacts,
  plan: SupportedPlan,
  state: InstallState,
  emit: (progress: InstallProgress) => void,
  alreadyInstalled: boolean,
): Promise<void> {
  const ids = { boardId: request.boardId, library: request.recipe.library };
  emit({ type: 'preflight', ...ids, message: `JetPack ${facts.jetpack ?? '?'} (L4T ${facts.l4t ?? '?'}), Python ${facts.python ?? '?'}` });
  if (facts.python !== null && !facts.python.startsWith(`${plan.prerequisites.python}.`) && facts.python !== plan.prerequisites.python)
    emit({
      type: 'preflight',
      ...ids,
      warning: true,
      message: `The wheels are built for Python ${plan.prerequisites.python}; this board runs Python ${facts.python}.`,
    });
  // Nothing to install: no disk, swap or sudo needed for the verification alone.
  if (alreadyInstalled) return;
  if (isOlderRelease(facts.l4t, plan.prerequisites.minL4t))
    emit({
      type: 'preflight',
      ...ids,
      warning: true,
      message: `The wheels are built for L4T ${plan.prerequisites.minL4t ?? '?'} or newer (its CUDA and cuDNN); this board runs L4T ${facts.l4t ?? '?'}. Update JetPack first, or expect import errors.`,
    });
  const done = new Set(state.steps.filter((step) => step.outcome === 'done').map((step) => step.index));
  if (facts.diskFreeGb !== null && done.size === 0 && facts.diskFreeGb * 1024 < plan.estimate.diskMb)
    throw new WorkbenchFailure(
      'disk-full',
      `${request.recipe.title} needs about ${(plan.estimate.diskMb / 1024).toFixed(1)} GB free; the board has ${facts.diskFreeGb.toFixed(1)} GB. Free some space and start again.`,
    );
  if (plan.prerequisites.swapMb > 0 && facts.swapMb !== null && facts.swapMb < plan.prerequisites.swapMb)
    emit({
      type: 'preflight',
      ...ids,
      warning: true,
      message: `The build may run out of memory: ${plan.prerequisites.swapMb} MB of swap is advised, the board has ${facts.swapMb} MB.`,
    });
  const simulator = request.simulator ?? false;
  const needsSudo = plan.steps.some((step, index) => !done.has(index) && effectiveStep(step, simulator).sudo);
  if (!needsSudo) return;
  if (request.sudoPassword === undefined)
    throw new WorkbenchFailure('auth-failed', `${request.recipe.title} needs administrator rights: enter the board's sudo password.`);
  const check = await request.link.exec(['true'], { sudoPassword: request.sudoPassword, ...signalOf(request) }).catch((error: unknown) => {
    if (error instanceof WorkbenchFailure && error.code === 'auth-failed')
      throw new WorkbenchFailure('auth-failed', 'The board refused the sudo password. Enter it again.', error.detail);
    throw error;
  });
  if (check.code !== 0)
    throw new WorkbenchFailure(
      'auth-failed',
      'sudo does not work for this user on the board. Enter the password again, or use an administrator account.',
      check.stderr.trim(),
    );
  emit({ type: 'preflight', ...ids, message: 'sudo works' });
}

/** An offline step's line, or null for a step that only makes sense online (`apt-get update`). */
type StepOverride = { argv: string[]; sudo: boolean } | null;

/** Downloads on this computer the wheels the offline folder lacks; pip's output goes to the log (as step -1: before the steps). */
async function fetchOffline(
  request: InstallRequest,
  localDir: string,
  plan: SupportedPlan,
  emit: (progress: InstallProgress) => void,
): Promise<void> {
  const ids = { boardId: request.boardId, library: request.recipe.library };
  emit({ type: 'preflight', ...ids, message: `Downloading the wheels ${localDir} lacks on this computer` });
  const fetched = await fetchMissingWheels(plan, localDir, {
    ...request.fetch,
    ...(request.signal ? { signal: request.signal } : {}),
    onLog: (text) => emit({ type: 'log', ...ids, index: -1, stream: 'stdout', text }),
  });
  emit({
    type: 'preflight',
    ...ids,
    message: fetched === 0 ? 'The folder already holds every wheel' : `Downloaded the wheels of ${fetched} pip step(s)`,
  });
}

async function stageOffline(
  request: InstallRequest,
  offline: OfflinePlan,
  emit: (progress: InstallProgress) => void,
): Promise<Map<number, StepOverride>> {
  const ids = { boardId: request.boardId, library: request.recipe.library };
  const staged = await stageOfflineFiles(request.link, offline, {
    ...signalOf(request),
    onMessage: (message) => emit({ type: 'preflight', ...ids, message }),
  });
  emit({
    type: 'preflight',
    ...ids,
    message: `Offline files in ${staged.remoteDir}: ${staged.uploaded.length} uploaded (SHA-256 checked), ${staged.kept.length} already there`,
  });
  return offlineOverrides(offline, staged.remoteDir);
}

async function runStep(
  request: InstallRequest,
  state: InstallState,
  index: number,
  step: RecipeStep,
  count: number,
  emit: (progress: InstallProgress) => void,
  override?: StepOverride,
): Promise<void> {
  const ids = { boardId: request.boardId, library: request.recipe.library };
  if (override === null) {
    emit({ type: 'preflight', ...ids, message: `"${step.title}" needs the internet: skipped offline` });
    emit({ type: 'step-skipped', ...ids, index, count, title: step.title, reason: 'needs the internet (offline install)' });
    return;
  }
  if (state.steps.some((record) => record.index === index && record.outcome === 'done')) {
    emit({ type: 'step-skipped', ...ids, index, count, title: step.title, reason: 'done earlier' });
    return;
  }
  const { argv, sudo } = override ?? effectiveStep(step, request.simulator ?? false);
  const line = displayLine(argv, sudo);
  const startedAt = new Date();
  emit({ type: 'step-started', ...ids, index, count, title: step.title, line });
  const options: ExecOptions = {
    ...signalOf(request),
    onStdout: (text) => emit({ type: 'log', ...ids, index, stream: 'stdout', text }),
    onStderr: (text) => emit({ type: 'log', ...ids, index, stream: 'stderr', text }),
  };
  if (sudo) {
    if (request.sudoPassword === undefined) throw new WorkbenchFailure('auth-failed', `"${step.title}" needs the board's sudo password.`);
    options.sudoPassword = request.sudoPassword;
  }
  const record = (outcome: StepRecord['outcome'], exitCode: number | null): void => {
    const durationMs = Date.now() - startedAt.getTime();
    state.steps = [
      ...state.steps.filter((other) => other.index !== index),
      { index, title: step.title, line, outcome, startedAt: startedAt.toISOString(), durationMs, exitCode },
    ];
    writeInstallState(request.stateFolder, state);
    emit({ type: 'step-finished', ...ids, index, count, title: step.title, outcome, durationMs });
  };
  let result;
  try {
    result = await request.link.exec(argv, options);
  } catch (error) {
    record('interrupted', null);
    throw interruptedFailure(step.title, error);
  }
  if (result.code !== 0) {
    record('failed', result.code);
    throw stepFailure(step.title, result);
  }
  record('done', 0);
}

function signalOf(request: InstallRequest): { signal?: AbortSignal } {
  return request.signal ? { signal: request.signal } : {};
}
