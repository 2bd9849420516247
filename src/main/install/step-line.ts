import type { RecipeStep } from '../../shared/install/recipe.ts';
import { commandLine } from '../../shared/shell-quote.ts';

/** The argv a step runs on this board and whether it runs as root. */
export function effectiveStep(step: RecipeStep, simulator: boolean): { argv: string[]; sudo: boolean } {
  if (simulator && step.simulator) return { argv: step.simulator.argv, sudo: step.simulator.sudo ?? step.sudo ?? false };
  return { argv: step.argv, sudo: step.sudo ?? false };
}

/** The command as a person would type it, quoted with the shared `commandLine` (`sudo …` when it runs as root). */
export function displayLine(argv: readonly string[], sudo: boolean): string {
  return sudo ? commandLine('sudo', ...argv) : commandLine(...argv);
}
