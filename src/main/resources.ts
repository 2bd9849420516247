/**
 * The files the workbench ships beside its code: the on-board agent, the
 * install recipes and the privileged writer's entry. Each shell fills this in
 * from where it knows its files are (a source checkout, the packaged app's
 * resources folder); no service computes a path from its own module URL,
 * which would hold in one shell and throw in another (a CommonJS bundle has
 * no `import.meta.url`).
 */
import { join } from 'node:path';

export interface Resources {
  /** Holds `jwb_agent/` (resources/agent). */
  readonly agentDir: string;
  /** Holds the recipes' JSON files (resources/recipes). */
  readonly recipesDir: string;
  /** The privileged writer's entry script (src/writer/main.ts in a checkout, its bundle in the packaged app), run by Node. */
  readonly writerEntry: string;
}

/** The layout of `resources/` in a checkout, and of Forge's `extraResource` copies in a packaged app; the writer lives with the code. */
export function resourcesIn(folder: string, writerEntry: string): Resources {
  return { agentDir: join(folder, 'agent'), recipesDir: join(folder, 'recipes'), writerEntry };
}
