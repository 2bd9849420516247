import type { AbortSignalLike, BoardLink } from '../../shared/board-link.ts';
import type { InstallProgress, InstallState, ProbeResult } from '../../shared/install/install-contract.ts';
import type { SupportedPlan } from '../../shared/install/recipe.ts';
import { versionSatisfies } from '../../shared/install/version.ts';
import { commandLine } from '../../shared/shell-quote.ts';
import { interruptedFailure } from './failures.ts';
import { writeInstallState } from './install-state.ts';
import type { InstallRequest } from './runner.ts';
import { displayLine, effectiveStep } from './step-line.ts';

/**
 * Runs the recipe's probe (issue 7, "a probe that says already installed
 * and which version"): exit 0 and the version pattern matching stdout mean
 * installed. Null when the library is not there. `skipped` says whether the
 * install steps can be left out: the version satisfies the recipe's
 * `minVersion` and no reinstall was asked.
 */
export async function probeInstalled(
  link: BoardLink,
  plan: SupportedPlan,
  options: { force: boolean; signal?: AbortSignalLike },
): Promise<ProbeResult | null> {
  const { argv, versionPattern, minVersion } = plan.probe;
  const line = commandLine(...argv);
  let result;
  try {
    result = await link.exec(argv, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw interruptedFailure('Check whether it is already installed', error);
  }
  const version = result.code === 0 ? (new RegExp(versionPattern, 'm').exec(result.stdout)?.[1] ?? null) : null;
  if (version === null) return null;
  return {
    line,
    version,
    minVersion: minVersion ?? null,
    skipped: !options.force && versionSatisfies(version, minVersion),
  };
}

/** The preflight sentence for a probe's finding. */
export function probeMessage(title: string, probe: ProbeResult | null, force: boolean): string {
  if (probe === null) return `${title} is not installed yet`;
  const wanted = probe.minVersion === null ? '' : ` (the recipe needs ${probe.minVersion} or newer)`;
  if (probe.skipped)
    return `${title} ${probe.version} is already installed${wanted}: the install steps are skipped, only the verification runs`;
  if (force) return `${title} ${probe.version} is already installed${wanted}: reinstalling, as asked`;
  return `${title} ${probe.version} is installed but older than the recipe's ${probe.minVersion ?? '?'}: installing`;
}

/**
 * Probes the board before a fresh start (a resumed install goes on with its
 * steps: a half-done install may already import yet lack a part). The
 * finding is kept in the state, so the procedure document tells it.
 */
export async function probeFirst(
  request: InstallRequest,
  plan: SupportedPlan,
  state: InstallState,
  emit: (progress: InstallProgress) => void,
): Promise<ProbeResult | null> {
  if (state.steps.some((step) => step.outcome === 'done')) return null;
  const force = request.force ?? false;
  const probe = await probeInstalled(request.link, plan, { force, ...(request.signal ? { signal: request.signal } : {}) });
  emit({
    type: 'preflight',
    boardId: request.boardId,
    library: request.recipe.library,
    message: probeMessage(request.recipe.title, probe, force),
  });
  state.alreadyInstalled = probe;
  return probe;
}

/** Records every step as skipped because the library is already there: in the state, the events and so the document. */
export function skipInstalled(
  request: InstallRequest,
  state: InstallState,
  plan: SupportedPlan,
  version: string,
  emit: (progress: InstallProgress) => void,
): void {
  const ids = { boardId: request.boardId, library: request.recipe.library };
  const reason = `already installed, version ${version}`;
  const now = new Date().toISOString();
  state.steps = plan.steps.map((step, index) => {
    const { argv, sudo } = effectiveStep(step, request.simulator ?? false);
    return {
      index,
      title: step.title,
      line: displayLine(argv, sudo),
      outcome: 'skipped',
      startedAt: now,
      durationMs: 0,
      exitCode: null,
      note: reason,
    };
  });
  writeInstallState(request.stateFolder, state);
  for (const [index, step] of plan.steps.entries())
    emit({ type: 'step-skipped', ...ids, index, count: plan.steps.length, title: step.title, reason });
}
