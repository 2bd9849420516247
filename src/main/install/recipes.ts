import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { parseRecipe, type Recipe } from '../../shared/install/recipe.ts';

/** Every recipe in the folder, validated; a malformed file is an error, never skipped silently. */
export function loadRecipes(folder: string): Recipe[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const recipe = parseRecipe(JSON.parse(readFileSync(join(folder, name), 'utf8')));
      if (`${recipe.library}.json` !== name) throw new Error(`${name} declares library "${recipe.library}"`);
      return recipe;
    });
}

export function findRecipe(library: string, folder: string): Recipe {
  const recipe = loadRecipes(folder).find((candidate) => candidate.library === library);
  if (!recipe) throw new WorkbenchFailure('not-found', `There is no install recipe for "${library}".`);
  return recipe;
}
